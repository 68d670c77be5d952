// Garbage in, never a 5xx out: wrong types, unknown keys, huge bodies, non-UUID ids, bad JSON, wrong
// content types, arrays where one value goes — every answer a 4xx problem+json saying what to fix.
import { startGateway, type TestGateway } from './support/gateway.js';

type Caso = [method: string, path: string, body?: unknown, headers?: Record<string, string>];

const RUTAS_ID = ['/alumnos/%s', '/lotes/%s', '/tareas/%s', '/tokens/%s'];
const IDS_MALOS = [
  '123',
  'not-a-uuid',
  '%27%20OR%201%3D1--',
  '..%2F..%2Fetc',
  'x'.repeat(5000),
  '00000000-0000-0000-0000-00000000000Z',
];
const CUERPOS_MALOS: unknown[] = [
  null,
  42,
  'texto',
  [],
  [1, 2],
  { accion: 1 },
  { accion: 'activar', alumnoIds: 'todos' },
  { accion: 'activar', alumnoIds: [1, 2] },
  { accion: 'activar', alumnoIds: [] },
  { constructor: { prototype: {} }, accion: [] },
];

describe('gateway API under garbage', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway('gwfuzz');
  });
  afterAll(() => gw?.close());

  const casos: Caso[] = [
    ...RUTAS_ID.map((r): Caso => ['GET', r.replace('%s', 'nope')]),
    ...IDS_MALOS.flatMap(
      (id) =>
        [
          ['GET', `/alumnos/${id}`],
          ['POST', `/alumnos/${id}/acciones/activar`],
          ['POST', `/lotes/${id}/reintentar`],
          ['DELETE', `/tokens/${id}`],
        ] as Caso[],
    ),
    ['POST', '/alumnos/00000000-0000-4000-8000-000000000000/acciones/volar'],
    ...CUERPOS_MALOS.flatMap(
      (b) =>
        [
          ['POST', '/acciones', b],
          ['POST', '/tokens', b],
          ['POST', '/sync/sial', b],
          ['PATCH', '/config', b],
          ['PUT', '/config', b],
          ['POST', '/config/import', b],
          ['POST', '/dlq/gateway/descartar', b],
        ] as Caso[],
    ),
    ['GET', '/alumnos?limit=abc'],
    ['GET', '/alumnos?limit=-1'],
    ['GET', '/alumnos?limit=1&limit=2'],
    ['GET', '/alumnos?offset=1e99'],
    ['GET', '/alumnos?desde=ayer'],
    ['GET', '/alumnos?desde=2027-13-45'],
    ['GET', '/alumnos?workflow=volando'],
    ['GET', '/alumnos?estado[]=x'],
    ['GET', '/alumnos?q[a]=b'],
    ['GET', '/alumnos?inventado=1'],
    ['GET', `/alumnos?q=${'x'.repeat(500)}`],
    ['GET', '/alumnos?atascado=quizas'],
    ['GET', '/lotes?estado=raro&limit=100000'],
    ['GET', '/workflows?desde=2027-02-30T25:00:00Z'],
    ['GET', '/tareas?tipo=nada'],
    ['GET', '/config/versiones/-1'],
    ...[
      ...IDS_MALOS,
      '__proto__',
      'constructor',
      'toString',
      'loteTamano?motivo=a&motivo=b',
      `loteTamano?motivo=${'x'.repeat(600)}`,
      'loteTamano',
    ].map((k): Caso => ['DELETE', `/config/fijadas/${k}`]),
    ['GET', '/dlq/NO_VALE'],
    ['GET', '/dlq/gateway?limit=0'],
    ['POST', '/sync/sial', { fuentes: ['todas'] }],
    ['POST', '/sync/sial', { fuentes: ['aspirantes'], periodo: 'x'.repeat(100) }],
    ['POST', '/acciones', '{"accion":', { 'content-type': 'application/json' }],
    ['POST', '/acciones', '<xml/>', { 'content-type': 'application/xml' }],
    ['POST', '/acciones', 'accion=activar', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['POST', '/acciones', '{"accion":"activar"}', { 'content-type': 'application/json; charset=latin-9' }],
    [
      'POST',
      '/acciones',
      '{"accion":"activar"}',
      { 'content-type': 'application/json', 'content-encoding': 'zstd-fake' },
    ],
    [
      'POST',
      '/acciones',
      JSON.stringify({
        accion: 'activar',
        alumnoIds: Array.from({ length: 30_000 }, () => '00000000-0000-4000-8000-000000000000'),
      }),
      { 'content-type': 'application/json' },
    ],
    ['POST', '/lotes', JSON.stringify({ filas: 'x'.repeat(2_000_000) }), { 'content-type': 'application/json' }],
    ['POST', '/lotes', { filas: [] }],
    ['POST', '/lotes', { filas: [1, 2, 3] }],
    ['POST', '/lotes', { filas: [{ a: { b: 1 } }] }],
    ['POST', '/lotes', '--xyz\r\nbroken', { 'content-type': 'multipart/form-data; boundary=xyz' }],
    ['POST', '/lotes', 'hola', { 'content-type': 'multipart/form-data' }],
    ['POST', '/lotes'],
    ['POST', '/tokens', { nombre: '', rol: 'admin' }],
    ['POST', '/tokens', { nombre: 'a'.repeat(500), rol: 'admin' }],
    ['POST', '/tokens', { nombre: 'x', rol: 'root' }],
    ['POST', '/breakers/a/b/reiniciar', { extra: 1 }],
    ['GET', '/nada-por-aqui'],
    [
      'POST',
      '/acciones',
      '{"__proto__":{"accion":"activar"},"alumnoIds":["00000000-0000-4000-8000-000000000000"]}',
      { 'content-type': 'application/json' },
    ],
    ['POST', '/sync/sial', 'fuentes=aspirantes', { 'content-type': 'text/plain' }],
  ];

  it('answers every malformed request with a 4xx problem+json that has a detail', async () => {
    const fallas: string[] = [];
    for (const [method, path, body, headers] of casos) {
      const r = await gw.api(path, { method, body, headers });
      const ok =
        r.status >= 400 &&
        r.status < 500 &&
        r.type.includes('application/problem+json') &&
        typeof r.body?.detail === 'string' &&
        r.body.detail.length > 0;
      if (!ok)
        fallas.push(
          `${method} ${path.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 60)} → ${r.status} ${r.type} ${JSON.stringify(r.body).slice(0, 200)}`,
        );
    }
    expect(fallas).toEqual([]);
  });

  it('still answers normally afterwards', async () => {
    expect((await gw.api('/alumnos')).status).toBe(200);
    expect((await fetch(`${gw.url}/health/ready`)).status).toBe(200);
  });
});
