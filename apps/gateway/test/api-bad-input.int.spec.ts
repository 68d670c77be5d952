// Every route and method of the OpenAPI document (/docs-json), fed every class of bad input in
// support/bad-input.ts — in its path parameters, its query, its body, its headers, at the socket — with
// the admin's token and without one; then random input (fast-check) to the same places. Whatever comes
// in, the answer is never a 5xx, and a 4xx is application/problem+json with type, title, status and a
// detail saying what is wrong (a 400 also lists `problemas`).
//
// The gateway runs on a broker vhost of its own: input that happens to be valid starts real work (a SIAL
// pull, an upload), whose commands must not reach other tests' services on the shared one (without
// rabbitmqctl, a broker in a container, it shares the tests' vhost as every other suite does).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  CONSULTAS,
  CUERPOS_CRUDOS,
  CUERPOS_JSON,
  EN_CABECERA,
  EN_JSON,
  EN_URL,
  SUBIDAS,
  type Schema,
} from './support/bad-input.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';

interface Parametro {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: Schema;
}
interface Operacion {
  method: string;
  ruta: string;
  params: Parametro[];
  cuerpo?: Record<string, { schema?: Schema }>;
}
interface Caso {
  clase: string;
  op: Operacion;
  path: string;
  headers?: Record<string, string>;
  /** The value went where a date goes. */
  fecha?: boolean;
  body?: string | Buffer;
  contentType?: string;
}

const UUID = '00000000-0000-4000-8000-000000000000';

/** A value the parameter accepts, so that a case changes one thing at a time. */
function valido(p: Parametro): string {
  const s = p.schema;
  if (s.enum?.length) return String(s.enum[0]);
  if (s.format === 'uuid' || /id$/i.test(p.name)) return UUID;
  if (s.type === 'integer' || s.type === 'number') return String(Math.max(s.minimum ?? 1, 1));
  if (s.type === 'boolean') return 'true';
  if (s.pattern) return 'gateway';
  return 'x';
}

const rellenar = (op: Operacion, cambia?: string, valor?: string) =>
  op.ruta.replace(/\{(\w+)\}/g, (_m, n: string) =>
    n === cambia ? valor! : encodeURIComponent(valido(op.params.find((p) => p.name === n)!)),
  );

/** An own vhost on the broker, for this suite only; null without rabbitmqctl (a broker in a container). */
function vhostPropio(): { url: string; borrar(): void } | null {
  const base = new URL(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const vhost = `lucy-fuzz-${randomBytes(4).toString('hex')}`;
  try {
    execFileSync('rabbitmqctl', ['add_vhost', vhost], { stdio: 'ignore' });
    execFileSync(
      'rabbitmqctl',
      ['set_permissions', '-p', vhost, decodeURIComponent(base.username || 'guest'), '.*', '.*', '.*'],
      { stdio: 'ignore' },
    );
  } catch {
    return null;
  }
  base.pathname = `/${vhost}`;
  return {
    url: base.toString(),
    borrar: () => execFileSync('rabbitmqctl', ['delete_vhost', vhost], { stdio: 'ignore' }),
  };
}

describe('gateway API: bad input on every route of the OpenAPI document', () => {
  let gw: TestGateway;
  let vhost: ReturnType<typeof vhostPropio>;
  let ops: Operacion[];
  const fallas: string[] = [];
  const clasesEnviadas = new Set<string>();
  const cubiertas = new Set<string>();
  let enviados = 0;
  /** Time spent per route, in the report: where the suite's minutes go. */
  const tiempos = new Map<string, number>();

  /** Sends one request; records a failure when the answer breaks the rule. */
  async function enviar(c: Caso, token: string | null): Promise<void> {
    clasesEnviadas.add(c.clase);
    cubiertas.add(`${c.op.method} ${c.op.ruta}`);
    enviados++;
    const headers: Record<string, string> = { ...c.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (c.contentType) headers['content-type'] = c.contentType;
    const t0 = Date.now();
    let status = 0;
    let tipo = '';
    let texto = '';
    try {
      const res = await fetch(`${gw.url}${c.path}`, {
        method: c.op.method.toUpperCase(),
        headers,
        body: c.body,
        signal: AbortSignal.timeout(15_000),
      });
      status = res.status;
      tipo = res.headers.get('content-type') ?? '';
      if (tipo.startsWith('text/event-stream')) await res.body?.cancel();
      else texto = await res.text();
    } catch (err) {
      texto = `(no answer: ${(err as Error).message})`;
    }
    const k = `${c.op.method} ${c.op.ruta}`;
    tiempos.set(k, (tiempos.get(k) ?? 0) + Date.now() - t0);
    const problema =
      revisar(status, tipo, texto) ??
      (debeRechazarse(c) && (status < 400 || status >= 500) ? `${status}: bad input taken as good` : undefined);
    if (problema)
      fallas.push(
        `[${c.clase}] ${token ? 'admin' : 'no token'} ${c.op.method.toUpperCase()} ${c.path.slice(0, 120)} ${c.body ? `${c.contentType} ${String(c.body).slice(0, 60)}` : ''} → ${problema}`,
      );
  }

  beforeAll(async () => {
    vhost = vhostPropio();
    gw = await startGateway('gwbad', vhost ? { RABBITMQ_URL: vhost.url } : {});
    const doc = (await (await fetch(`${gw.url}/docs-json`)).json()) as {
      paths: Record<
        string,
        Record<string, { parameters?: Parametro[]; requestBody?: { content: Operacion['cuerpo'] } }>
      >;
    };
    ops = Object.entries(doc.paths).flatMap(([ruta, metodos]) =>
      Object.entries(metodos).map(([method, o]) => ({
        method,
        ruta,
        params: o.parameters ?? [],
        cuerpo: o.requestBody?.content,
      })),
    );
  });
  afterAll(async () => {
    // BAD_INPUT_REPORT=<file> keeps every failure (the assertions show the first 60).
    if (process.env.BAD_INPUT_REPORT)
      writeFileSync(
        process.env.BAD_INPUT_REPORT,
        [
          `${enviados} requests by fetch, ${fallas.length} failures`,
          ...fallas,
          ...[...tiempos].sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${ms} ms ${k}`),
        ].join('\n'),
      );
    await gw?.close();
    try {
      vhost?.borrar();
    } catch {
      /* a vhost left behind is named lucy-fuzz-*: harmless, and deleted by hand */
    }
  });

  const CLASES_ESPERADAS = [
    ...Object.keys(EN_URL),
    ...Object.keys(EN_CABECERA),
    ...Object.keys(CONSULTAS),
    ...EN_JSON.map((c) => c.clase),
    ...Object.keys(CUERPOS_CRUDOS),
    ...Object.keys(CUERPOS_JSON),
    ...Object.keys(SUBIDAS),
    'over-long URL',
    'oversize header block',
    'malformed request line and headers',
    'raw bytes in the request target',
    'bad Authorization headers',
    'bad Idempotency-Key headers',
    'random input (fast-check)',
  ];

  it('reads a document with every route of the API', () => {
    // Fewer operations than this means the document lost routes and the cases below would cover less.
    expect(ops.length).toBeGreaterThanOrEqual(40);
    // The upload documents both ways to send a lote, each with its own schema.
    const carga = ops.find((o) => o.ruta === '/api/v1/lotes' && o.method === 'post')!.cuerpo!;
    expect(Object.keys(carga).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(Object.keys(carga['application/json']!.schema!.properties!).sort()).toEqual(['filas', 'nombreArchivo']);
    expect(carga['application/json']!.schema!.required).toEqual(['filas']);
    expect(carga['multipart/form-data']!.schema!.properties!.archivo).toMatchObject({ format: 'binary' });
    // A lote's plan and what an operator does with it; the dry runs' query; every one gets the cases below.
    const rutas = ops.map((o) => `${o.method} ${o.ruta}`);
    for (const r of [
      'get /api/v1/lotes/{id}/plan',
      'post /api/v1/lotes/{id}/confirmar',
      'post /api/v1/lotes/{id}/aprobar',
      'post /api/v1/lotes/{id}/descartar',
    ])
      expect(rutas).toContain(r);
    for (const ruta of ['/api/v1/sync/sial', '/api/v1/lotes'])
      expect(ops.find((o) => o.ruta === ruta && o.method === 'post')!.params.map((p) => p.name)).toContain('simular');
    expect(ops.find((o) => o.ruta === '/api/v1/lotes/{id}/plan')!.params.map((p) => p.name)).toEqual(
      expect.arrayContaining(['accion', 'q', 'limit', 'offset']),
    );
  });

  it.each([
    ['with the admin token', true],
    ['without a token', false],
  ])(
    'answers every class of bad input with a 4xx problem+json, %s',
    async (_, conToken) => {
      const token = conToken ? gw.adminToken : null;
      // Without a token every class still goes to every route and place, with its first value only: the
      // answer is a refusal before any handler runs either way, and the suite stays well under 2 minutes.
      const algunos = <T>(valores: T[]): T[] => (conToken ? valores : valores.slice(0, 1));
      const casos: Caso[] = [];
      for (const op of ops) {
        const base = rellenar(op);
        // Path parameters.
        for (const p of op.params.filter((x) => x.in === 'path')) {
          for (const [clase, valores] of Object.entries(EN_URL))
            for (const v of algunos(valores)) casos.push({ clase, op, path: rellenar(op, p.name, v) });
        }
        // Query parameters: each declared one, then what any route may receive.
        op.params
          .filter((x) => x.in === 'query')
          .forEach((p, i) => {
            // Every value of a class where it matters (numbers to a number, dates to a date...) and to the
            // first parameter; the first value elsewhere: the suite stays well under 2 minutes.
            for (const [clase, valores] of Object.entries(EN_URL))
              for (const v of i === 0 || hace(clase, p.schema) ? algunos(valores) : valores.slice(0, 1))
                casos.push({ clase, op, path: `${base}?${p.name}=${v}`, fecha: hace('impossible dates', p.schema) });
            for (const [clase, hacer] of Object.entries(CONSULTAS))
              for (const q of algunos(hacer(p.name))) casos.push({ clase, op, path: `${base}?${q}` });
          });
        for (const [clase, hacer] of Object.entries(CONSULTAS))
          for (const q of algunos(hacer('limit'))) casos.push({ clase, op, path: `${base}?${q}` });
        // Declared headers (Idempotency-Key), with a body the route would otherwise take.
        for (const h of op.params.filter((x) => x.in === 'header')) {
          for (const [clase, valores] of Object.entries(EN_CABECERA))
            for (const v of algunos(valores))
              casos.push({
                clase,
                op,
                path: base,
                headers: { [h.name]: v },
                ...(op.method === 'get' ? {} : { body: '{}', contentType: 'application/json' }),
              });
        }
        if (op.method === 'get') continue;
        // Bodies that must be refused before any handler runs: on every route that takes a body or not.
        for (const [clase, cuerpos] of Object.entries(CUERPOS_CRUDOS))
          for (const [contentType, body] of algunos(cuerpos)) casos.push({ clase, op, path: base, body, contentType });
        const json = op.cuerpo?.['application/json']?.schema;
        if (json) {
          for (const [clase, cuerpos] of Object.entries(CUERPOS_JSON))
            for (const body of algunos(cuerpos))
              casos.push({ clase, op, path: base, body, contentType: 'application/json' });
          // One property at a time, in a body holding only it (a body missing what it needs cannot start anything).
          for (const [prop, schema] of Object.entries(json.properties ?? {})) {
            for (const { clase, valores, aplica } of EN_JSON) {
              if (aplica && !aplica(schema)) continue;
              for (const v of algunos(valores))
                casos.push({
                  clase,
                  op,
                  path: base,
                  body: JSON.stringify({ [prop]: v }),
                  contentType: 'application/json',
                  fecha: hace('impossible dates', schema),
                });
            }
            casos.push({
              clase: 'prototype-pollution keys',
              op,
              path: base,
              body: `{"${prop}":null,"__proto__":{"${prop}":1}}`,
              contentType: 'application/json',
            });
          }
        }
        if (op.cuerpo?.['multipart/form-data']) {
          for (const [clase, cuerpos] of Object.entries(SUBIDAS))
            for (const [contentType, body] of algunos(cuerpos))
              casos.push({ clase, op, path: base, body, contentType });
        }
      }
      // Nested fields of a body: the bulk action's filter is GET /alumnos' query, as JSON.
      const acciones = ops.find((o) => o.ruta === '/api/v1/acciones' && o.method === 'post')!;
      for (const [campo, v] of [
        ['desde', '2026-02-30'],
        ['hasta', '2026-02-28T24:30:00Z'],
        ['q', 'a\u0000b'],
        ['carrera', '\ud800'],
        ['loteId', 'x'],
      ] as const) {
        const clase = {
          q: 'NUL in text',
          carrera: 'lone UTF-16 surrogates',
          loteId: 'wrong types',
          desde: 'impossible dates',
          hasta: 'impossible dates',
        }[campo];
        casos.push({
          clase,
          op: acciones,
          path: '/api/v1/acciones',
          body: JSON.stringify({ accion: 'activar', filtro: { [campo]: v } }),
          contentType: 'application/json',
          fecha: true,
        });
      }

      // A few at a time: fast, and still a steady stream for the server.
      expect(casos.length).toBeGreaterThan(conToken ? 5000 : 1500);
      for (let i = 0; i < casos.length; i += 8) await Promise.all(casos.slice(i, i + 8).map((c) => enviar(c, token)));

      expect(fallas.slice(0, 60)).toEqual([]);
      expect(new Set(casos.map((c) => `${c.op.method} ${c.op.ruta}`)).size).toBe(ops.length);
    },
    180_000,
  );

  it('refuses bad values of a dry run, a plan and its resolution with a 400 naming the field', async () => {
    const casos: [string, { method?: string; body?: unknown }, string][] = [
      ['/sync/sial?simular=quizas', { body: {} }, 'simular'],
      ['/lotes?simular=2', { body: { filas: [{ dni: '1' }] } }, 'simular'],
      ['/sync/sial?simular=true&aprobar=true', { body: {} }, 'consulta'],
      [`/lotes/${UUID}/plan?accion=borrar`, {}, 'accion'],
      [`/lotes/${UUID}/plan?limit=0`, {}, 'limit'],
      [`/lotes/${UUID}/confirmar`, { body: { motivo: 5 } }, 'motivo'],
      [`/lotes/${UUID}/aprobar`, { body: { aprobadoPor: 'otra' } }, 'cuerpo'],
      [`/lotes/${UUID}/descartar`, { body: { motivo: 'x'.repeat(501) } }, 'motivo'],
      ['/acciones', { body: { accion: 'aprobar', filtro: { workflow: 'esperando' } } }, 'filtro.workflow'],
      ['/acciones', { body: { accion: 'aprobar' } }, 'cuerpo'],
    ];
    for (const [ruta, opts, campo] of casos) {
      const r = await gw.api(ruta, { method: opts.body === undefined ? 'GET' : 'POST', body: opts.body });
      const problema = revisar(r.status, r.type, JSON.stringify(r.body));
      expect({ ruta, status: r.status, problema }).toEqual({ ruta, status: 400, problema: undefined });
      expect({ ruta, campos: r.body.problemas.map((p: { campo: string }) => p.campo) }).toEqual({
        ruta,
        campos: expect.arrayContaining([expect.stringContaining(campo)]),
      });
    }
    // A lote that does not exist, or no plan to resolve: 404 and 409, as problem+json.
    for (const [ruta, status] of [
      [`/lotes/${UUID}/plan`, 404],
      [`/lotes/${UUID}/confirmar`, 404],
    ] as const) {
      const r = await gw.api(ruta, { method: ruta.endsWith('plan') ? 'GET' : 'POST' });
      expect({ ruta, status: r.status, problema: revisar(r.status, r.type, JSON.stringify(r.body)) }).toEqual({
        ruta,
        status,
        problema: undefined,
      });
    }
  });

  it('answers bad request lines, headers and over-long URLs with problem+json, at the socket', async () => {
    const op = (ruta: string, method = 'get') => ops.find((o) => o.ruta === ruta && o.method === method)!;
    const alumnos = op('/api/v1/alumnos');
    const crudos: { clase: string; op: Operacion; head: string | Buffer; esperado?: number }[] = [];
    const pedir = (linea: string | Buffer, headers = '') =>
      Buffer.concat([
        Buffer.isBuffer(linea) ? linea : Buffer.from(linea, 'latin1'),
        Buffer.from(
          `\r\nHost: x\r\nAuthorization: Bearer ${gw.adminToken}\r\nConnection: close\r\n${headers}\r\n`,
          'latin1',
        ),
      ]);
    for (const o of ops) {
      const base = rellenar(o);
      for (const n of [9_000, 20_000, 40_000, 200_000])
        crudos.push({
          clase: 'over-long URL',
          op: o,
          head: pedir(`${o.method.toUpperCase()} ${base}?q=${'x'.repeat(n)} HTTP/1.1`),
          esperado: 414,
        });
      crudos.push({
        clase: 'over-long URL',
        op: o,
        head: pedir(`${o.method.toUpperCase()} ${base}/${'x'.repeat(30_000)} HTTP/1.1`),
        esperado: 414,
      });
      crudos.push({
        clase: 'raw bytes in the request target',
        op: o,
        head: pedir(
          Buffer.concat([
            Buffer.from(`${o.method.toUpperCase()} ${base}?q=`),
            Buffer.from([0xff, 0xfe, 0xc3]),
            Buffer.from(' HTTP/1.1'),
          ]),
        ),
      });
    }
    crudos.push(
      {
        clase: 'oversize header block',
        op: alumnos,
        head: pedir('GET /api/v1/alumnos HTTP/1.1', `X-Relleno: ${'x'.repeat(100_000)}\r\n`),
        esperado: 431,
      },
      {
        clase: 'oversize header block',
        op: alumnos,
        head: pedir(
          'GET /api/v1/alumnos HTTP/1.1',
          Array.from({ length: 400 }, (_, i) => `X-R${i}: ${'x'.repeat(200)}\r\n`).join(''),
        ),
        esperado: 431,
      },
      {
        clase: 'raw bytes in the request target',
        op: alumnos,
        head: pedir(Buffer.concat([Buffer.from('GET /api/v1/alumnos/'), Buffer.from('ñ'), Buffer.from(' HTTP/1.1')])),
      },
      {
        clase: 'malformed request line and headers',
        op: alumnos,
        head: pedir('GET /api/v1/alumnos HTTP/1.1', 'X-Nul: a\u0000b\r\n'),
        esperado: 400,
      },
      {
        clase: 'malformed request line and headers',
        op: alumnos,
        head: pedir('GET /api/v1/alumnos HTTP/1.1', 'Mala Cabecera: x\r\n'),
        esperado: 400,
      },
      {
        clase: 'malformed request line and headers',
        op: alumnos,
        head: pedir('GET /api/v1/alumnos HTTP/9.9'),
        esperado: 400,
      },
      { clase: 'malformed request line and headers', op: alumnos, head: pedir('GET api/v1/alumnos HTTP/1.1') },
      {
        clase: 'malformed request line and headers',
        op: alumnos,
        head: pedir('GET /api/v1/alumnos HTTP/1.1', 'Content-Length: -1\r\n'),
        esperado: 400,
      },
      {
        clase: 'malformed request line and headers',
        op: alumnos,
        head: pedir('GET /api/v1/alumnos HTTP/1.1', 'Content-Length: 1\r\nTransfer-Encoding: chunked\r\n'),
        esperado: 400,
      },
      {
        clase: 'bad Authorization headers',
        op: alumnos,
        head: Buffer.from(
          'GET /api/v1/alumnos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\xed\xa0\x80\r\nConnection: close\r\n\r\n',
          'latin1',
        ),
        esperado: 401,
      },
      {
        clase: 'bad Authorization headers',
        op: alumnos,
        head: `GET /api/v1/alumnos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'x'.repeat(5000)}\r\nConnection: close\r\n\r\n`,
        esperado: 401,
      },
      {
        clase: 'bad Authorization headers',
        op: alumnos,
        head: 'GET /api/v1/alumnos HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YTpi\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n',
        esperado: 401,
      },
    );
    const sync = op('/api/v1/sync/sial', 'post');
    for (const clave of ['\xff\xfe', 'x'.repeat(5000), '', '\x01']) {
      crudos.push({
        clase: 'bad Idempotency-Key headers',
        op: sync,
        head: pedir(
          'POST /api/v1/sync/sial HTTP/1.1',
          `Idempotency-Key: ${clave}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n`,
        ),
      });
    }
    for (const c of crudos) {
      clasesEnviadas.add(c.clase);
      const body = /Content-Length: 2\r\n/.test(String(c.head)) ? '{}' : '';
      const r = await rawRequest(gw.url, c.head, body).catch((err: Error) => ({
        status: 0,
        headers: {} as Record<string, string>,
        body: `(no answer: ${err.message})`,
      }));
      const problema =
        revisar(r.status, r.headers['content-type'] ?? '', r.body) ??
        (c.esperado && r.status !== c.esperado ? `${r.status}, expected ${c.esperado}` : undefined);
      if (problema) fallas.push(`[${c.clase}] ${String(c.head).slice(0, 100)} → ${problema}`);
    }
    expect(fallas.slice(0, 60)).toEqual([]);
  });

  it('answers random input in any parameter or body of any route without a 5xx (fast-check)', async () => {
    const texto = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom(...Object.values(EN_URL).flat().map(decodeURIComponentSeguro)),
    );
    const json = fc.oneof(fc.jsonValue({ maxDepth: 4 }), texto, fc.double(), fc.bigInt().map(String));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ops),
        fc.constantFrom('path', 'query', 'body'),
        texto,
        json,
        fc.boolean(),
        async (op, donde, t, j, conToken) => {
          const params = op.params.filter((p) => p.in === (donde === 'body' ? 'query' : donde));
          const p = params[t.length % Math.max(params.length, 1)];
          const enc = encodeURIComponent(t.replace(/[\ud800-\udfff]/g, '\ufffd'));
          let c: Caso = { clase: 'random input (fast-check)', op, path: rellenar(op) };
          if (donde === 'path' && p) c = { ...c, path: rellenar(op, p.name, enc) };
          if (donde === 'query') c = { ...c, path: `${c.path}?${p?.name ?? 'x'}=${enc}` };
          if (donde === 'body' && op.method !== 'get') {
            const props = Object.keys(op.cuerpo?.['application/json']?.schema?.properties ?? { x: 1 });
            c = {
              ...c,
              body: JSON.stringify({ [props[t.length % props.length]!]: j }),
              contentType: 'application/json',
            };
          }
          const antes = fallas.length;
          await enviar(c, conToken ? gw.adminToken : null);
          return fallas.length === antes;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('covered every route, method and class of bad input, and still answers normally', async () => {
    expect([...cubiertas].sort()).toEqual(ops.map((o) => `${o.method} ${o.ruta}`).sort());
    expect([...clasesEnviadas].sort()).toEqual([...new Set(CLASES_ESPERADAS)].sort());
    expect(enviados).toBeGreaterThan(3000);
    expect((await gw.api('/alumnos')).status).toBe(200);
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
  });
});

/** Classes no route may take, wherever they go (an impossible date only where a date goes). */
const SIEMPRE_RECHAZADAS = new Set([
  'NUL',
  'NUL in text',
  'control characters',
  'lone UTF-16 surrogates',
  'lone UTF-16 surrogates (as their CESU-8 bytes)',
  'invalid UTF-8 bytes',
  'bad percent-encoding',
  'deep nesting',
  'malformed JSON',
  'huge bodies',
  'wrong content types',
  'bad bytes in a query key',
]);

function debeRechazarse(c: Caso): boolean {
  return SIEMPRE_RECHAZADAS.has(c.clase) || (c.clase === 'impossible dates' && c.fecha === true);
}

/** Whether a class of values is the kind a parameter of this schema must tell apart. */
function hace(clase: string, s: Schema): boolean {
  if (clase === 'impossible dates') return /fecha|date/i.test(`${s.format ?? ''} ${s.description ?? ''}`);
  if (clase === 'huge numbers' || clase.startsWith('negative')) return s.type === 'number' || s.type === 'integer';
  if (clase === 'unknown enum values') return Array.isArray(s.enum) || s.type === 'boolean';
  return false;
}

/** What is wrong with an answer to bad input, or undefined when it is right. */
function revisar(status: number, tipo: string, texto: string): string | undefined {
  if (status >= 200 && status < 400) return undefined;
  const resumen = `${status} ${tipo} ${texto.slice(0, 300)}`;
  if (status < 400 || status >= 500) return resumen;
  if (!tipo.startsWith('application/problem+json')) return `not problem+json: ${resumen}`;
  let b: { type?: unknown; title?: unknown; status?: unknown; detail?: unknown; problemas?: unknown };
  try {
    b = JSON.parse(texto);
  } catch {
    return `not JSON: ${resumen}`;
  }
  if (
    typeof b.type !== 'string' ||
    typeof b.title !== 'string' ||
    b.status !== status ||
    typeof b.detail !== 'string' ||
    !b.detail
  )
    return `incomplete problem: ${resumen}`;
  if (
    status === 400 &&
    !(
      Array.isArray(b.problemas) &&
      b.problemas.length &&
      b.problemas.every(
        (p: { campo?: unknown; mensaje?: unknown }) => typeof p.campo === 'string' && typeof p.mensaje === 'string',
      )
    )
  ) {
    return `a 400 without problemas: ${resumen}`;
  }
  return undefined;
}

function decodeURIComponentSeguro(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
