import { startHarness, type Harness } from './graph-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.store.reset();
  h.standIn.service.throttler.reset();
  h.ctx.faults.reset('graph');
  h.ctx.counters.reset('graph');
});

const STUDENT_SKU = '314c4481-f395-4525-be8b-2ec4bb1e9d91';
const A1_SKU = 'b17653a4-2443-4e8c-a550-18249dda78bb';

describe('Graph users', () => {
  it('creates a user: 201, the default projection, Location, never the password', async () => {
    const body = h.newUser({ givenName: 'Ana', surname: 'Pérez' });
    const a = await h.api('POST', '/users', body, { 'client-request-id': 'abc-123' });
    expect(a.status).toBe(201);
    expect(a.headers.get('location')).toMatch(
      new RegExp(`/directoryObjects/${a.body.id}/Microsoft.DirectoryServices.User$`),
    );
    expect(a.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get('client-request-id')).toBe('abc-123');
    expect(a.body).toEqual({
      '@odata.context': `${h.standIn.graphUrl}/$metadata#users/$entity`,
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      businessPhones: [],
      displayName: body.displayName,
      givenName: 'Ana',
      jobTitle: null,
      mail: null,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: 'Pérez',
      userPrincipalName: body.userPrincipalName,
    });
    expect(JSON.stringify(a.body)).not.toContain('Temporal-2024!');
    expect(h.store.verifyPassword(a.body.id, 'Temporal-2024!')).toBe(true);
    expect(JSON.stringify(h.store.allUsers())).not.toContain('Temporal-2024!');
  });

  it("refuses a duplicate userPrincipalName with exactly the service's 400", async () => {
    const body = h.newUser();
    const first = await h.api('POST', '/users', body);
    const dup = await h.api('POST', '/users', { ...body, userPrincipalName: body.userPrincipalName.toUpperCase() });
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('Request_BadRequest');
    expect(dup.body.error.message).toBe(
      'Another object with the same value for property userPrincipalName already exists.',
    );
    expect(dup.body.error.details).toEqual([
      {
        code: 'ObjectConflict',
        message: 'Another object with the same value for property userPrincipalName already exists.',
        target: 'userPrincipalName',
      },
      {
        code: 'ConflictingObjects',
        message: 'Another object with the same value for property userPrincipalName already exists.',
        target: `User_${first.body.id}`,
      },
    ]);
    expect(dup.body.error.innerError).toEqual({
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
      'request-id': expect.any(String),
      'client-request-id': expect.any(String),
    });
    expect(h.store.stats().users.everCreated).toBe(1);
    expect(h.store.stats().createsRejected.duplicate).toBe(1);
  });

  it.each([
    ['accountEnabled', "A value is required for property 'accountEnabled' of resource 'User'."],
    ['displayName', "A value is required for property 'displayName' of resource 'User'."],
    ['mailNickname', "A value is required for property 'mailNickname' of resource 'User'."],
    ['passwordProfile', "A value is required for property 'passwordProfile' of resource 'User'."],
    ['userPrincipalName', "A value is required for property 'userPrincipalName' of resource 'User'."],
  ])('refuses a user without %s', async (prop, message) => {
    const body: Record<string, unknown> = h.newUser();
    delete body[prop];
    const a = await h.api('POST', '/users', body);
    expect([a.status, a.body.error.code, a.body.error.message]).toEqual([400, 'Request_BadRequest', message]);
  });

  it('refuses bad values: unverified domain, weak password, wrong types, unknown property, bad JSON', async () => {
    const domain = await h.api('POST', '/users', h.newUser({ userPrincipalName: 'x@gmail.com' }));
    expect([domain.status, domain.body.error.message]).toEqual([
      400,
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    ]);
    for (const password of ['short1!', 'alllowercaseletters', 'NoDigitsOrSymbols']) {
      const weak = await h.api(
        'POST',
        '/users',
        h.newUser({ passwordProfile: { password, forceChangePasswordNextSignIn: true } }),
      );
      expect([weak.status, weak.body.error.code, weak.body.error.message]).toEqual([
        400,
        'Request_BadRequest',
        'The specified password does not comply with password complexity requirements. Please provide a different password.',
      ]);
    }
    const type = await h.api('POST', '/users', h.newUser({ accountEnabled: 'yes' }));
    expect(type.body.error.message).toBe("Invalid value specified for property 'accountEnabled' of resource 'User'.");
    const unknown = await h.api('POST', '/users', h.newUser({ favouriteColour: 'red' }));
    expect(unknown.status).toBe(400);
    const json = await h.api('POST', '/users', '{not json');
    expect([json.status, json.body.error.code]).toEqual([400, 'BadRequest']);
    // @odata.type is accepted and not required (reference README caveat).
    expect((await h.api('POST', '/users', h.newUser({ '@odata.type': '#microsoft.graph.user' }))).status).toBe(201);
  });

  it('gets a user by id or userPrincipalName, with $select; 404 when unknown', async () => {
    const created = (await h.api('POST', '/users', h.newUser({ usageLocation: 'AR' }))).body;
    const byUpn = await h.api('GET', `/users/${encodeURIComponent(created.userPrincipalName.toUpperCase())}`);
    expect(byUpn.body.id).toBe(created.id);
    const sel = await h.api('GET', `/users/${created.id}?$select=id,usageLocation,accountEnabled`);
    expect(sel.body).toEqual({
      '@odata.context': `${h.standIn.graphUrl}/$metadata#users(id,usageLocation,accountEnabled)/$entity`,
      id: created.id,
      usageLocation: 'AR',
      accountEnabled: true,
    });
    const missing = await h.api('GET', '/users/nadie@estudiantes.unrc.edu.ar');
    expect([missing.status, missing.body.error.code, missing.body.error.message]).toEqual([
      404,
      'Request_ResourceNotFound',
      "Resource 'nadie@estudiantes.unrc.edu.ar' does not exist or one of its queried reference-property objects are not present.",
    ]);
    expect((await h.api('GET', `/users/${created.id}?$select=nope`)).status).toBe(400);
  });

  it('filters by userPrincipalName / mail / startswith(displayName), pages with $top and nextLink, counts with eventual', async () => {
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(
        (await h.api('POST', '/users', h.newUser({ displayName: `Grupo ${i}`, mail: `m${i}@estudiantes.unrc.edu.ar` })))
          .body,
      );
    const eq = await h.api(
      'GET',
      `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${made[2].userPrincipalName}'`)}&$select=id`,
    );
    expect(eq.body.value).toEqual([{ id: made[2].id }]);
    const mail = await h.api('GET', `/users?$filter=${encodeURIComponent("mail eq 'M3@estudiantes.unrc.edu.ar'")}`);
    expect(mail.body.value.map((u: { id: string }) => u.id)).toEqual([made[3].id]);
    const sw = await h.api('GET', `/users?$filter=${encodeURIComponent("startswith(displayName,'grupo')")}&$top=2`);
    expect(sw.body.value).toHaveLength(2);
    const seen = [...sw.body.value];
    let next: string | undefined = sw.body['@odata.nextLink'];
    while (next) {
      const page = await h.api('GET', next.slice(h.standIn.graphUrl.length));
      seen.push(...page.body.value);
      next = page.body['@odata.nextLink'];
    }
    expect(seen.map((u) => u.id).sort()).toEqual(made.map((u) => u.id).sort());
    const unsupported = await h.api('GET', `/users?$filter=${encodeURIComponent("faxNumber eq '1'")}`);
    expect([unsupported.status, unsupported.body.error.code]).toEqual([400, 'Request_UnsupportedQuery']);
    expect((await h.api('GET', '/users?$top=1000')).status).toBe(400);
    const noEventual = await h.api('GET', '/users?$count=true');
    expect(noEventual.status).toBe(400);
    const counted = await h.api('GET', '/users?$count=true&$top=1', undefined, { ConsistencyLevel: 'eventual' });
    expect(counted.body['@odata.count']).toBe(5);
  });

  it('updates with PATCH (204), including a password reset, and validates types', async () => {
    const u = (await h.api('POST', '/users', h.newUser())).body;
    const patch = await h.api('PATCH', `/users/${u.id}`, {
      usageLocation: 'AR',
      accountEnabled: false,
      displayName: 'Nuevo',
      passwordProfile: { password: 'Otra-Clave-99', forceChangePasswordNextSignIn: true },
    });
    expect(patch.status).toBe(204);
    expect(patch.body).toBeUndefined();
    const got = await h.api('GET', `/users/${u.id}?$select=usageLocation,accountEnabled,displayName`);
    expect(got.body).toMatchObject({ usageLocation: 'AR', accountEnabled: false, displayName: 'Nuevo' });
    expect(h.store.verifyPassword(u.id, 'Otra-Clave-99')).toBe(true);
    // The admin view shows the profile as it now is (what a test checks after Lucy updates a student).
    await h.api('PATCH', `/users/${u.id}`, { givenName: 'Ana María', surname: 'Paz', department: 'Economía' });
    expect(h.store.allUsers()[0]).toMatchObject({
      displayName: 'Nuevo',
      givenName: 'Ana María',
      surname: 'Paz',
      department: 'Economía',
      accountEnabled: false,
    });
    expect((await h.api('PATCH', `/users/${u.id}`, { accountEnabled: 'no' })).status).toBe(400);
    expect((await h.api('PATCH', `/users/${u.id}`, { usageLocation: 'Argentina' })).status).toBe(400);
    expect(
      (await h.api('PATCH', `/users/${u.id}`, { passwordProfile: { password: 'weak' } })).body.error.message,
    ).toMatch(/password complexity/);
    expect((await h.api('PATCH', '/users/00000000-0000-0000-0000-000000000000', { displayName: 'x' })).status).toBe(
      404,
    );
  });

  it('deletes to deleted items, restores (both paths), and purges', async () => {
    const u = (await h.api('POST', '/users', h.newUser())).body;
    expect((await h.api('DELETE', `/users/${u.id}`)).status).toBe(204);
    expect((await h.api('GET', `/users/${u.id}`)).status).toBe(404);
    const deleted = await h.api('GET', `/directory/deletedItems/${u.id}`);
    expect(deleted.body).toMatchObject({
      '@odata.type': '#microsoft.graph.user',
      id: u.id,
      deletedDateTime: expect.any(String),
    });
    const restored = await h.api('POST', `/directory/deletedItems/${u.id}/restore`);
    expect([restored.status, restored.body.id, restored.body.deletedDateTime]).toEqual([200, u.id, null]);
    expect((await h.api('GET', `/users/${u.id}`)).status).toBe(200);
    await h.api('DELETE', `/users/${u.id}`);
    expect((await h.api('POST', `/directory/deletedItems/${u.id}/microsoft.graph.restore`)).status).toBe(200);
    await h.api('DELETE', `/users/${u.id}`);
    expect((await h.api('DELETE', `/directory/deletedItems/${u.id}`)).status).toBe(204);
    expect((await h.api('GET', `/directory/deletedItems/${u.id}`)).status).toBe(404);
    expect((await h.api('POST', `/directory/deletedItems/${u.id}/restore`)).status).toBe(404);
    expect(h.store.allUsers().map((x) => x.state)).toEqual(['purged']);
  });

  it('restores the same user (id, UPN, properties, licences back in use) within the window, and purges it after', async () => {
    const consumed = async () =>
      (await h.api('GET', '/subscribedSkus')).body.value.find((s: { skuId: string }) => s.skuId === STUDENT_SKU)
        .consumedUnits;
    const u = (await h.api('POST', '/users', h.newUser({ usageLocation: 'AR', department: 'Abogacía' }))).body;
    await h.api('POST', `/users/${u.id}/assignLicense`, {
      addLicenses: [{ skuId: STUDENT_SKU, disabledPlans: [] }],
      removeLicenses: [],
    });
    await h.api('PATCH', `/users/${u.id}`, { accountEnabled: false });
    expect(await consumed()).toBe(1);

    await h.api('DELETE', `/users/${u.id}`);
    expect(await consumed()).toBe(0);
    expect((await h.api('POST', `/directory/deletedItems/${u.id}/restore`)).status).toBe(200);
    const back = await h.api(
      'GET',
      `/users/${u.id}?$select=id,userPrincipalName,accountEnabled,department,assignedLicenses`,
    );
    expect(back.body).toMatchObject({
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      accountEnabled: false,
      department: 'Abogacía',
      assignedLicenses: [{ disabledPlans: [], skuId: STUDENT_SKU }],
    });
    expect(await consumed()).toBe(1);

    await h.api('DELETE', `/users/${u.id}`);
    h.store.configure({ deletedItemsRetentionSeconds: 0 });
    try {
      expect((await h.api('GET', `/directory/deletedItems/${u.id}`)).status).toBe(404);
      expect((await h.api('POST', `/directory/deletedItems/${u.id}/restore`)).status).toBe(404);
      expect(h.store.allUsers().map((x) => x.state)).toEqual(['purged']);
    } finally {
      h.store.configure({ deletedItemsRetentionSeconds: 30 * 86_400 });
    }
  });

  it("lets a new user take a deleted user's UPN, and then refuses to restore the old one", async () => {
    const body = h.newUser();
    const old = (await h.api('POST', '/users', body)).body;
    await h.api('DELETE', `/users/${old.id}`);
    expect((await h.api('POST', '/users', body)).status).toBe(201);
    const restore = await h.api('POST', `/directory/deletedItems/${old.id}/restore`);
    expect([restore.status, restore.body.error.details[0].code]).toEqual([400, 'ObjectConflict']);
  });
});

describe('Graph licences', () => {
  it('lists subscribed SKUs with prepaid and consumed units', async () => {
    const a = await h.api('GET', '/subscribedSkus');
    const student = a.body.value.find((s: { skuPartNumber: string }) => s.skuPartNumber === 'STANDARDWOFFPACK_STUDENT');
    expect(student).toMatchObject({
      skuId: STUDENT_SKU,
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 0,
      prepaidUnits: { enabled: expect.any(Number), suspended: 0, warning: 0, lockedOut: 0 },
    });
    expect(student.servicePlans.length).toBeGreaterThan(0);
  });

  it('assigns a licence only with a usage location, a known SKU and free units', async () => {
    h.store.configure({ skuUnits: { M365EDU_A1: 1 } });
    const u1 = (await h.api('POST', '/users', h.newUser())).body;
    const noLocation = await h.api('POST', `/users/${u1.id}/assignLicense`, {
      addLicenses: [{ skuId: A1_SKU, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect([noLocation.status, noLocation.body.error.code, noLocation.body.error.message]).toEqual([
      400,
      'Request_BadRequest',
      'License assignment cannot be done for user with invalid usage location.',
    ]);
    await h.api('PATCH', `/users/${u1.id}`, { usageLocation: 'AR' });
    const unknown = await h.api('POST', `/users/${u1.id}/assignLicense`, {
      addLicenses: [{ skuId: '00000000-0000-0000-0000-000000000000', disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(unknown.body.error.message).toBe(
      'License 00000000-0000-0000-0000-000000000000 does not correspond to a valid company License.',
    );
    const ok = await h.api('POST', `/users/${u1.id}/assignLicense`, {
      addLicenses: [{ skuId: A1_SKU, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect([ok.status, ok.body.id]).toEqual([200, u1.id]);
    const lic = await h.api('GET', `/users/${u1.id}?$select=assignedLicenses`);
    expect(lic.body.assignedLicenses).toEqual([{ disabledPlans: [], skuId: A1_SKU }]);
    // Assigning again is not a second unit.
    expect(
      (
        await h.api('POST', `/users/${u1.id}/microsoft.graph.assignLicense`, {
          addLicenses: [{ skuId: A1_SKU }],
          removeLicenses: [],
        })
      ).status,
    ).toBe(200);

    const u2 = (await h.api('POST', '/users', h.newUser({ usageLocation: 'AR' }))).body;
    const full = await h.api('POST', `/users/${u2.id}/assignLicense`, {
      addLicenses: [{ skuId: A1_SKU, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect([full.status, full.body.error.message]).toEqual([
      400,
      `Subscription with SKU ${A1_SKU} does not have any available licenses.`,
    ]);
    const sku = (await h.api('GET', '/subscribedSkus')).body.value.find((s: { skuId: string }) => s.skuId === A1_SKU);
    expect([sku.prepaidUnits.enabled, sku.consumedUnits]).toEqual([1, 1]);

    // Deleting the holder frees the unit.
    await h.api('DELETE', `/users/${u1.id}`);
    expect(
      (
        await h.api('POST', `/users/${u2.id}/assignLicense`, {
          addLicenses: [{ skuId: A1_SKU, disabledPlans: [] }],
          removeLicenses: [],
        })
      ).status,
    ).toBe(200);
    expect(
      (await h.api('POST', `/users/${u2.id}/assignLicense`, { addLicenses: [], removeLicenses: [A1_SKU] })).status,
    ).toBe(200);
    expect(
      (await h.api('POST', `/users/${u2.id}/assignLicense`, { addLicenses: [], removeLicenses: [A1_SKU] })).status,
    ).toBe(400);
  });
});

describe('Graph $batch', () => {
  it('answers each request on its own, honours dependsOn, fails dependents with 424', async () => {
    const body = h.newUser();
    const a = await h.api('POST', '/$batch', {
      requests: [
        { id: '1', method: 'POST', url: '/users', headers: { 'Content-Type': 'application/json' }, body },
        {
          id: '2',
          method: 'GET',
          url: `/users/${body.userPrincipalName}?$select=id,userPrincipalName`,
          dependsOn: ['1'],
        },
        { id: '3', method: 'GET', url: 'users/nobody@estudiantes.unrc.edu.ar' },
        { id: '4', method: 'GET', url: '/subscribedSkus', dependsOn: ['3'] },
      ],
    });
    expect(a.status).toBe(200);
    const byId = Object.fromEntries(a.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId['1'].status).toBe(201);
    expect(byId['2']).toMatchObject({ status: 200, body: { userPrincipalName: body.userPrincipalName } });
    expect(byId['3'].status).toBe(404);
    expect(byId['4'].status).toBe(424);
  });

  it('refuses more than 20 requests and a write without Content-Type', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/subscribedSkus' }));
    const tooMany = await h.api('POST', '/$batch', { requests: many });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'BadRequest']);
    const noType = await h.api('POST', '/$batch', {
      requests: [{ id: '1', method: 'POST', url: '/users', body: h.newUser() }],
    });
    expect([noType.status, noType.body.error.message]).toEqual([
      400,
      'Write request id : 1 does not contain Content-Type header or body.',
    ]);
  });

  it('throttles inner requests individually: 429 inside, with its own Retry-After, batch still 200', async () => {
    h.store.configure({ throttle: { resourceUnits: { small: 2, medium: 2, large: 2 } } });
    try {
      const a = await h.api('POST', '/$batch', {
        requests: [1, 2, 3, 4].map((i) => ({
          id: String(i),
          method: 'GET',
          url: '/users/someone@estudiantes.unrc.edu.ar',
        })),
      });
      expect(a.status).toBe(200);
      const statuses = a.body.responses.map((r: { status: number }) => r.status);
      expect(statuses).toEqual([404, 404, 429, 429]);
      const throttled = a.body.responses[2];
      expect(Number(throttled.headers['Retry-After'])).toBeGreaterThan(0);
      expect(throttled.body.error.code).toBe('TooManyRequests');
    } finally {
      h.store.configure({ throttle: { resourceUnits: { small: 3500, medium: 5000, large: 8000 } } });
    }
  });
});

describe('Graph throttling and faults', () => {
  it('returns 429 + Retry-After when the resource-unit budget is spent, and recovers after that time', async () => {
    h.store.configure({ throttle: { resourceUnits: { small: 3, medium: 3, large: 3 }, resourceUnitWindowSeconds: 1 } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await h.api('GET', '/users/x@estudiantes.unrc.edu.ar')).status);
      expect(codes).toEqual([404, 404, 404, 429]);
      const t = await h.api('GET', '/users/x@estudiantes.unrc.edu.ar');
      expect(t.status).toBe(429);
      expect(t.body.error).toMatchObject({ code: 'TooManyRequests', message: 'Please retry again later.' });
      expect(t.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
      const wait = Number(t.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      await new Promise((r) => setTimeout(r, wait * 1000));
      expect((await h.api('GET', '/users/x@estudiantes.unrc.edu.ar')).status).toBe(404);
      expect(h.ctx.counters.total('graph', { endpoint: 'GET /users/{id}', status: 429 })).toBe(2);
    } finally {
      h.store.configure({
        throttle: { resourceUnits: { small: 3500, medium: 5000, large: 8000 }, resourceUnitWindowSeconds: 10 },
      });
    }
  });

  it('enforces the write quota separately, and costs GET /users 2 units', async () => {
    h.store.configure({ throttle: { writeLimit: 2, writeWindowSeconds: 150 } });
    try {
      expect((await h.api('POST', '/users', h.newUser())).status).toBe(201);
      expect((await h.api('POST', '/users', h.newUser())).status).toBe(201);
      const third = await h.api('POST', '/users', h.newUser());
      expect(third.status).toBe(429);
      expect(third.headers.get('x-ms-throttle-information')).toBe('WriteLimitExceeded');
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(1);
      const list = await h.api('GET', '/users');
      expect(list.headers.get('x-ms-resource-unit')).toBe('2');
      expect((await h.api('GET', '/users?$select=id')).headers.get('x-ms-resource-unit')).toBe('1');
      expect(h.store.stats().users.everCreated).toBe(2);
    } finally {
      h.store.configure({ throttle: { writeLimit: 3000, writeWindowSeconds: 150 } });
    }
  });

  it('applies the fault knobs: injected 429 burst, 5xx, downtime, latency', async () => {
    h.ctx.faults.set('graph', { burst429: 2, retryAfterSeconds: 7 });
    const t = await h.api('GET', '/subscribedSkus');
    expect([t.status, t.headers.get('retry-after'), t.body.error.code]).toEqual([429, '7', 'TooManyRequests']);
    expect((await h.api('GET', '/subscribedSkus')).status).toBe(429);
    expect((await h.api('GET', '/subscribedSkus')).status).toBe(200);

    h.ctx.faults.set('graph', { errorRate: 1 });
    const e1 = await h.api('GET', '/subscribedSkus');
    const e2 = await h.api('GET', '/subscribedSkus');
    expect([e1.status, e2.status].sort()).toEqual([503, 504]);
    expect(e1.body.error.innerError['request-id']).toBeDefined();
    h.ctx.faults.reset('graph');

    h.ctx.faults.set('graph', { downUntil: Date.now() + 60_000 });
    const down = await h.api('GET', '/subscribedSkus');
    expect([down.status, down.body.error.code]).toEqual([503, 'ServiceNotAvailable']);
    h.ctx.faults.reset('graph');

    h.ctx.faults.set('graph', { latencyMs: 300 });
    const started = Date.now();
    expect((await h.api('GET', '/subscribedSkus')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    h.ctx.faults.reset('graph');
  });

  it('refuses missing, forged and foreign-audience tokens with InvalidAuthenticationToken', async () => {
    const good = await h.token();
    const none = await fetch(`${h.standIn.graphUrl}/users`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.message).toBe('Access token is empty.');
    const [hd, pl] = good.split('.');
    const forged = `${hd}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(pl, 'base64url').toString()), roles: ['X'] })).toString('base64url')}.${good.split('.')[2]}`;
    h.setBearer(forged);
    const f = await h.api('GET', '/users');
    expect([f.status, f.body.error.code]).toEqual([401, 'InvalidAuthenticationToken']);
    h.setBearer(good);
    expect(h.ctx.counters.total('graph', { endpoint: 'GET /users', status: 401 })).toBeGreaterThanOrEqual(2);
  });
});
