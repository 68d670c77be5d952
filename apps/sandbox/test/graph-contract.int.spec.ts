// Every body the Graph stand-in answers — success and error — validated against Microsoft's published
// Graph v1.0 OpenAPI description (the provisioning subset vendored in apps/sandbox/reference/graph). OpenAPI 3.0 is
// turned into JSON Schema here: `nullable` becomes a "null" type, component $refs point into one
// definitions document, discriminators are dropped, and `@odata.type` is not required (the reference
// README's caveat: a converter artifact the live service does not impose).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { startHarness, type Harness } from './graph-harness.js';

const YAML_PATH = fileURLToPath(new URL('../reference/graph/graph-v1.0-provisioning-subset.yaml', import.meta.url));

function toJsonSchema(node: any): any {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'discriminator' || k === 'nullable' || k === 'example' || k === 'externalDocs' || k.startsWith('x-'))
      continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace('#/components/schemas/', 'graph#/definitions/');
    else if (k === 'required' && Array.isArray(v)) {
      const req = v.filter((r) => r !== '@odata.type');
      if (req.length) out.required = req;
    } else if (k === 'properties')
      out.properties = Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, toJsonSchema(s)]));
    else out[k] = toJsonSchema(v);
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (out.enum) out.enum = [...out.enum, null];
    if (!out.type && (out.$ref || out.allOf || out.anyOf)) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

interface Contract {
  ok: (opPath: string, method: string) => ValidateFunction | 'empty';
  error: ValidateFunction;
}

function loadContract(): Contract {
  const doc = parse(readFileSync(YAML_PATH, 'utf8'), { maxAliasCount: -1 });
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS with a default export: unwrap it under ESM.
  const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (a: Ajv) => Ajv;
  addFormats(ajv);
  for (const f of [
    'int8',
    'uint8',
    'int16',
    'int32',
    'int64',
    'float',
    'double',
    'decimal',
    'base64url',
    'byte',
    'sbyte',
  ])
    ajv.addFormat(f, true);
  ajv.addSchema({ $id: 'graph', definitions: toJsonSchema(doc.components.schemas) });
  const responseSchema = (resp: any) => {
    const r = resp.$ref ? doc.components.responses[resp.$ref.split('/').pop()] : resp;
    return r.content?.['application/json']?.schema;
  };
  const cache = new Map<string, ValidateFunction | 'empty'>();
  return {
    ok: (opPath, method) => {
      const key = `${method} ${opPath}`;
      if (!cache.has(key)) {
        const op = doc.paths[opPath]?.[method.toLowerCase()];
        if (!op) throw new Error(`no operation ${key} in the reference`);
        const resp = op.responses['2XX'] ?? op.responses['204'];
        const schema = responseSchema(resp);
        cache.set(key, schema ? ajv.compile(toJsonSchema(schema)) : 'empty');
      }
      return cache.get(key)!;
    },
    error: ajv.compile(toJsonSchema(responseSchema(doc.components.responses.error))),
  };
}

let h: Harness;
let contract: Contract;
beforeAll(async () => {
  contract = loadContract();
  // Compile every operation's schema up front (seconds for the user closure), inside the hook's timeout.
  for (const [p, m] of [
    ['/users', 'GET'],
    ['/users', 'POST'],
    ['/users/{user-id}', 'GET'],
    ['/subscribedSkus', 'GET'],
    ['/directory/deletedItems/{directoryObject-id}', 'GET'],
    ['/directory/deletedItems/{directoryObject-id}/microsoft.graph.restore', 'POST'],
    ['/users/{user-id}/microsoft.graph.assignLicense', 'POST'],
  ])
    contract.ok(p, m);
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

const checked: string[] = [];

/** Calls the stand-in and validates the body against the operation's schema for that status. */
async function call(opPath: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const a = await h.api(method, path, body, headers);
  const got: any = a.body;
  if (a.status >= 200 && a.status < 300) {
    const v = contract.ok(opPath, method);
    if (v === 'empty' || a.status === 204) expect(a.body).toBeUndefined();
    else if (!v(a.body))
      throw new Error(`${method} ${path} → ${a.status} breaks ${opPath}: ${JSON.stringify(v.errors?.slice(0, 5))}`);
  } else {
    if (!contract.error(got))
      throw new Error(
        `${method} ${path} → ${a.status} error body breaks ODataError: ${JSON.stringify(contract.error.errors)}`,
      );
    expect(a.body.error.innerError).toMatchObject({ date: expect.any(String), 'request-id': expect.any(String) });
  }
  checked.push(`${method} ${opPath} ${a.status}`);
  return a;
}

describe('Graph stand-in against the Graph v1.0 OpenAPI contract', () => {
  it('rejects a body that breaks the schema (the validator is live)', () => {
    expect(contract.error({ error: { code: 1 } })).toBe(false);
    const user = contract.ok('/users/{user-id}', 'GET') as ValidateFunction;
    expect(user({ id: 'x', accountEnabled: 'yes' })).toBe(false);
    expect(user({ id: 'x', accountEnabled: null, businessPhones: [] })).toBe(true);
  });

  it('answers every user operation, success and error, within the contract', async () => {
    const body = h.newUser({ givenName: 'Ana', usageLocation: 'AR' });
    const created = await call('/users', 'POST', '/users', body);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call('/users', 'POST', '/users', body)).status).toBe(400);
    expect((await call('/users', 'POST', '/users', { displayName: 'x' })).status).toBe(400);
    expect((await call('/users', 'POST', '/users', h.newUser({ userPrincipalName: 'x@gmail.com' }))).status).toBe(400);
    expect((await call('/users', 'POST', '/users', h.newUser({ passwordProfile: { password: 'weak' } }))).status).toBe(
      400,
    );

    expect((await call('/users', 'GET', '/users')).status).toBe(200);
    expect(
      (
        await call(
          '/users',
          'GET',
          `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${body.userPrincipalName}'`)}&$select=id,accountEnabled,createdDateTime,assignedLicenses,passwordProfile`,
        )
      ).status,
    ).toBe(200);
    expect(
      (await call('/users', 'GET', '/users?$top=1&$count=true', undefined, { ConsistencyLevel: 'eventual' })).status,
    ).toBe(200);
    expect((await call('/users', 'GET', '/users?$top=5000')).status).toBe(400);
    expect((await call('/users', 'GET', `/users?$filter=${encodeURIComponent("faxNumber eq '1'")}`)).status).toBe(400);

    expect((await call('/users/{user-id}', 'GET', `/users/${id}`)).status).toBe(200);
    expect(
      (
        await call(
          '/users/{user-id}',
          'GET',
          `/users/${id}?$select=id,accountEnabled,usageLocation,createdDateTime,businessPhones,deletedDateTime`,
        )
      ).status,
    ).toBe(200);
    expect((await call('/users/{user-id}', 'GET', '/users/nobody@estudiantes.unrc.edu.ar')).status).toBe(404);
    expect((await call('/users/{user-id}', 'PATCH', `/users/${id}`, { jobTitle: 'Alumno' })).status).toBe(204);
    expect((await call('/users/{user-id}', 'PATCH', `/users/${id}`, { accountEnabled: 3 })).status).toBe(400);

    expect(
      (
        await call('/users/{user-id}/microsoft.graph.assignLicense', 'POST', `/users/${id}/assignLicense`, {
          addLicenses: [{ skuId: '314c4481-f395-4525-be8b-2ec4bb1e9d91', disabledPlans: [] }],
          removeLicenses: [],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          '/users/{user-id}/microsoft.graph.assignLicense',
          'POST',
          `/users/${id}/microsoft.graph.assignLicense`,
          { addLicenses: [{ skuId: '00000000-0000-0000-0000-000000000000', disabledPlans: [] }], removeLicenses: [] },
        )
      ).status,
    ).toBe(400);
    expect((await call('/users/{user-id}', 'GET', `/users/${id}?$select=assignedLicenses`)).status).toBe(200);

    expect((await call('/users/{user-id}', 'DELETE', `/users/${id}`)).status).toBe(204);
    expect((await call('/users/{user-id}', 'DELETE', `/users/${id}`)).status).toBe(404);
    expect(
      (await call('/directory/deletedItems/{directoryObject-id}', 'GET', `/directory/deletedItems/${id}`)).status,
    ).toBe(200);
    expect(
      (
        await call(
          '/directory/deletedItems/{directoryObject-id}/microsoft.graph.restore',
          'POST',
          `/directory/deletedItems/${id}/restore`,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          '/directory/deletedItems/{directoryObject-id}/microsoft.graph.restore',
          'POST',
          `/directory/deletedItems/${id}/restore`,
        )
      ).status,
    ).toBe(404);
    await call('/users/{user-id}', 'DELETE', `/users/${id}`);
    expect(
      (
        await call('/directory/deletedItems/{directoryObject-id}', 'PATCH', `/directory/deletedItems/${id}`, {
          displayName: 'x',
        })
      ).status,
    ).toBe(405);
    expect(
      (await call('/directory/deletedItems/{directoryObject-id}', 'DELETE', `/directory/deletedItems/${id}`)).status,
    ).toBe(204);
    expect(
      (await call('/directory/deletedItems/{directoryObject-id}', 'GET', `/directory/deletedItems/${id}`)).status,
    ).toBe(404);
    expect(
      (await call('/directory/deletedItems/{directoryObject-id}', 'DELETE', `/directory/deletedItems/${id}`)).status,
    ).toBe(404);
  });

  it('answers subscribedSkus, throttling, faults and auth failures within the contract', async () => {
    expect((await call('/subscribedSkus', 'GET', '/subscribedSkus')).status).toBe(200);
    expect(
      (await call('/subscribedSkus', 'GET', '/subscribedSkus?$select=skuId,consumedUnits,prepaidUnits')).status,
    ).toBe(200);
    expect(
      (await call('/subscribedSkus', 'POST', '/subscribedSkus', { skuId: '314c4481-f395-4525-be8b-2ec4bb1e9d91' }))
        .status,
    ).toBe(405);

    h.ctx.faults.set('graph', { burst429: 1, errorRate: 0 });
    expect((await call('/users', 'GET', '/users')).status).toBe(429);
    h.ctx.faults.set('graph', { errorRate: 1 });
    expect((await call('/users', 'GET', '/users')).status).toBeGreaterThanOrEqual(503);
    h.ctx.faults.reset('graph');

    h.store.configure({ throttle: { resourceUnits: { small: 1, medium: 1, large: 1 } } });
    await h.api('GET', '/subscribedSkus');
    expect((await call('/subscribedSkus', 'GET', '/subscribedSkus')).status).toBe(429);
    h.store.configure({ throttle: { resourceUnits: { small: 3500, medium: 5000, large: 8000 } } });
    h.standIn.service.throttler.reset();

    h.setBearer('');
    expect((await call('/users', 'GET', '/users')).status).toBe(401);
    h.setBearer('not-a-jwt');
    expect((await call('/users', 'GET', '/users')).status).toBe(401);
    await h.refreshBearer();
  });

  it('answers inner $batch responses within the contract of the operation they address', async () => {
    const body = h.newUser();
    const a = await h.api('POST', '/$batch', {
      requests: [
        { id: '1', method: 'POST', url: '/users', headers: { 'Content-Type': 'application/json' }, body },
        { id: '2', method: 'GET', url: `/users/${body.userPrincipalName}`, dependsOn: ['1'] },
        { id: '3', method: 'GET', url: '/users/nobody@estudiantes.unrc.edu.ar' },
      ],
    });
    expect(a.status).toBe(200);
    const [r1, r2, r3] = a.body.responses;
    expect((contract.ok('/users', 'POST') as ValidateFunction)(r1.body)).toBe(true);
    expect((contract.ok('/users/{user-id}', 'GET') as ValidateFunction)(r2.body)).toBe(true);
    expect(contract.error(r3.body)).toBe(true);
  });

  afterAll(() => {
    // Every operation of the reference was exercised at least once.
    const ops = new Set(checked.map((c) => c.split(' ').slice(0, 2).join(' ')));
    expect([...ops].sort()).toEqual(
      [
        'DELETE /directory/deletedItems/{directoryObject-id}',
        'DELETE /users/{user-id}',
        'GET /directory/deletedItems/{directoryObject-id}',
        'GET /subscribedSkus',
        'GET /users',
        'GET /users/{user-id}',
        'PATCH /directory/deletedItems/{directoryObject-id}',
        'PATCH /users/{user-id}',
        'POST /directory/deletedItems/{directoryObject-id}/microsoft.graph.restore',
        'POST /subscribedSkus',
        'POST /users',
        'POST /users/{user-id}/microsoft.graph.assignLicense',
      ].sort(),
    );
  });
});
