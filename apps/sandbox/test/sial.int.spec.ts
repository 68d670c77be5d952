// The SIAL stand-in over HTTP: Basic auth, DRF pagination, advance between pulls, faults.
import { silentLogger } from '../src/log.js';
import { type RunningSandbox, startSandbox } from '../src/sandbox.js';

let sandbox: RunningSandbox;
const auth = { authorization: `Basic ${Buffer.from('lucy:sandbox-sial-password').toString('base64')}` };

beforeAll(async () => {
  sandbox = await startSandbox({
    ephemeral: true,
    graph: false,
    log: silentLogger,
    env: {},
    sial: { size: 60, pageSize: 10 },
  });
});
beforeEach(async () => {
  await fetch(`${sandbox.urls.admin}/_admin/sial/reset`, { method: 'POST' });
  await fetch(`${sandbox.urls.admin}/_admin/faults/reset`, { method: 'POST' });
});
afterAll(() => sandbox?.close());

const get = (path: string, headers: Record<string, string> = auth) =>
  fetch(`${sandbox.urls.sial}${path}`, { headers, redirect: 'manual' });

describe('SIAL stand-in', () => {
  it('refuses requests without or with wrong Basic credentials, as DRF does', async () => {
    const none = await get('/v1/api/aspirantes/', {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="api"');
    expect((await none.json()) as any).toEqual({ detail: 'Authentication credentials were not provided.' });
    const bad = await get('/v1/api/aspirantes/', {
      authorization: `Basic ${Buffer.from('lucy:nope').toString('base64')}`,
    });
    expect(bad.status).toBe(401);
    expect((await bad.json()) as any).toEqual({ detail: 'Invalid username/password.' });
  });

  it('pages like PageNumberPagination, with absolute next/previous links', async () => {
    const p1 = (await (await get('/v1/api/preinscriptos/')).json()) as any;
    expect(p1.results).toHaveLength(10);
    expect(p1.previous).toBeNull();
    expect(p1.next).toBe(`${sandbox.urls.sial}/v1/api/preinscriptos/?page=2`);
    const p2 = (await (await get('/v1/api/preinscriptos/?page=2&page_size=5')).json()) as any;
    expect(p2.results).toHaveLength(5);
    // The link back to page 1 drops the page parameter.
    expect(p2.previous).toBe(`${sandbox.urls.sial}/v1/api/preinscriptos/?page_size=5`);
    let url: string | null = `${sandbox.urls.sial}/v1/api/aspirantes/?page_size=7`;
    const seen: unknown[] = [];
    while (url) {
      const page = (await (await fetch(url, { headers: auth })).json()) as {
        next: string | null;
        results: unknown[];
        count: number;
      };
      seen.push(...page.results);
      url = page.next;
    }
    expect(seen).toHaveLength(sandbox.sial.cohort().aspirantes.length);
  });

  it('answers 404 Invalid page. past the end or for a bad page, and redirects without slash', async () => {
    const far = await get('/v1/api/ingresantes/?page=999');
    expect(far.status).toBe(404);
    expect((await far.json()) as any).toEqual({ detail: 'Invalid page.' });
    expect((await get('/v1/api/ingresantes/?page=abc')).status).toBe(404);
    const noSlash = await get('/v1/api/ingresantes?page=1');
    expect(noSlash.status).toBe(301);
    expect(noSlash.headers.get('location')).toBe('/v1/api/ingresantes/?page=1');
  });

  it('returns the records changed after "advance"', async () => {
    const before = (await (await get('/v1/api/ingresantes/?page_size=1000')).json()) as any;
    const adv = await fetch(`${sandbox.urls.admin}/_admin/sial/advance`, { method: 'POST' });
    expect((await adv.json()) as any).toEqual({ revision: 1 });
    const after = (await (await get('/v1/api/ingresantes/?page_size=1000')).json()) as any;
    expect(after.count).toBe(before.count + 1);
    expect(JSON.stringify(after.results)).not.toBe(JSON.stringify(before.results));
  });

  it('can serve a bare list, like the system the seed describes', async () => {
    await fetch(`${sandbox.urls.admin}/_admin/sial/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paginated: false, size: 12 }),
    });
    const list = (await (await get('/v1/api/aspirantes/')).json()) as any;
    expect(Array.isArray(list)).toBe(true);
    expect(list[0]).toHaveProperty('dni');
  });

  it('answers faults like the web server in front would, and counts requests', async () => {
    await fetch(`${sandbox.urls.admin}/_admin/faults/sial`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ burst429: 1, retryAfterSeconds: 2 }),
    });
    const throttled = await get('/v1/api/aspirantes/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    await fetch(`${sandbox.urls.admin}/_admin/faults/sial`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ downForMs: 60_000 }),
    });
    expect((await get('/v1/api/aspirantes/')).status).toBe(503);
    const counters = (await (await fetch(`${sandbox.urls.admin}/_admin/counters?target=sial`)).json()) as any;
    expect(counters.rows).toEqual(
      expect.arrayContaining([expect.objectContaining({ endpoint: '/v1/api/aspirantes/', status: 429, count: 1 })]),
    );
  });
});

describe('SIAL stand-in admin: a year between pulls', () => {
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.urls.admin}/_admin/sial${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const lista = async (l: string) =>
    ((await (await get(`/v1/api/${l}/?page_size=1000`)).json()) as { results: any[] }).results;
  /** An ingresante listed only once, with a DNI of digits (the cohort lists some students twice on purpose). */
  const unIngresante = async () => {
    const todos = [...(await lista('aspirantes')), ...(await lista('preinscriptos')), ...(await lista('ingresantes'))];
    const digitos = (d: string) => d.replace(/\D/g, '');
    return (await lista('ingresantes')).find(
      (r) => /^\d+$/.test(r.dni) && todos.filter((x) => digitos(x.dni) === r.dni).length === 1,
    );
  };

  it('changes a record’s fields and marks a student leaving, kept in their list with that estado', async () => {
    const ana = await unIngresante();
    const cambio = await admin('PATCH', `/records/${ana.dni}`, { apellido: 'Nueva', email_personal: null });
    expect(cambio.status).toBe(200);
    expect(((await cambio.json()) as any).records).toEqual([
      { lista: 'ingresantes', record: { ...ana, apellido: 'Nueva', email_personal: null } },
    ]);
    await admin('PATCH', `/records/${ana.dni}`, { estado: 'egresado' });
    const despues = (await lista('ingresantes')).find((r) => r.id === ana.id);
    expect(despues).toEqual({ ...ana, apellido: 'Nueva', email_personal: null, estado: 'egresado' });
    // Still there after advancing to the next revision.
    await admin('POST', '/advance');
    expect((await lista('ingresantes')).find((r) => r.id === ana.id)).toMatchObject({ estado: 'egresado' });
  });

  it('takes a record off its list and adds it back as it was, at the end, or with changed fields', async () => {
    const ana = await unIngresante();
    const antes = await lista('ingresantes');
    const quitado = await admin('DELETE', `/records/${ana.dni.replace(/(\d{2})(\d{3})(\d{3})/, '$1.$2.$3')}`);
    expect(quitado.status).toBe(200);
    expect(((await quitado.json()) as any).removed).toEqual([{ lista: 'ingresantes', record: ana }]);
    expect((await lista('ingresantes')).map((r) => r.dni)).not.toContain(ana.dni);
    expect((await get('/v1/api/ingresantes/')).status).toBe(200);
    expect(((await (await get('/v1/api/ingresantes/')).json()) as any).count).toBe(antes.length - 1);

    const vuelta = await admin('POST', '/records', { lista: 'ingresantes', dni: ana.dni, carrera: 'Contador Público' });
    expect(vuelta.status).toBe(201);
    const { id: _, ...datos } = ana;
    expect(((await vuelta.json()) as any).record).toEqual({ ...datos, carrera: 'Contador Público', id: 1_000_001 });
    expect((await lista('ingresantes')).at(-1)).toMatchObject({ dni: ana.dni, carrera: 'Contador Público' });
    expect((await admin('POST', '/records', { lista: 'ingresantes', dni: ana.dni })).status).toBe(409);
  });

  it('adds a new record with the list’s estado, and moves one to another list', async () => {
    const nuevo = await admin('POST', '/records', {
      lista: 'preinscriptos',
      dni: '30.111.222',
      nombre: 'Ana',
      apellido: 'Paz',
      carrera: 'Contador Público',
    });
    expect(nuevo.status).toBe(201);
    expect(((await nuevo.json()) as any).record).toMatchObject({
      dni: '30.111.222',
      estado: 'preinscripto',
      email_personal: null,
      periodo: '2027',
    });
    const movido = await admin('PATCH', '/records/30111222', { lista: 'ingresantes', legajo: '100777' });
    expect(((await movido.json()) as any).records).toEqual([
      { lista: 'ingresantes', record: expect.objectContaining({ estado: 'ingresante', legajo: '100777' }) },
    ]);
    expect((await lista('preinscriptos')).some((r) => r.dni === '30.111.222')).toBe(false);
  });

  it('answers bad input with 400 and a message naming the field, an unlisted DNI with 404', async () => {
    const casos: [string, string, unknown, RegExp][] = [
      ['PATCH', '/records/12-345', { apellido: 'X' }, /^dni: a DNI is 7 or 8 digits/],
      ['PATCH', '/records/30111222?lista=egresados', { apellido: 'X' }, /^lista: unknown list/],
      ['PATCH', '/records/30111222', {}, /nothing to change/],
      ['PATCH', '/records/30111222', { apodo: 'X' }, /apodo/],
      ['PATCH', '/records/30111222', { estado: 'becado' }, /^estado: /],
      ['PATCH', '/records/30111222', { anio_ingreso: '2027' }, /^anio_ingreso: /],
      [
        'POST',
        '/records',
        { lista: 'ingresantes', dni: '30111222' },
        /apellido: required; nombre: required; carrera: required/,
      ],
      ['POST', '/records', { lista: 'egresados', dni: '30111222', nombre: 'A' }, /^lista: /],
      ['POST', '/records', { lista: 'ingresantes', dni: 'abc', nombre: 'A' }, /^dni: /],
    ];
    for (const [method, path, body, mensaje] of casos) {
      const r = await admin(method, path, body);
      expect([method, path, r.status]).toEqual([method, path, 400]);
      expect(((await r.json()) as any).message).toMatch(mensaje);
    }
    const nadie = await admin('DELETE', '/records/30111222');
    expect(nadie.status).toBe(404);
    expect(((await nadie.json()) as any).message).toBe('DNI 30111222 is not listed');
    expect((await admin('PATCH', '/records/30111222', { apellido: 'X' })).status).toBe(404);
  });

  it('forgets every edit on reset', async () => {
    const ana = await unIngresante();
    await admin('DELETE', `/records/${ana.dni}`);
    await admin('POST', '/reset');
    expect((await lista('ingresantes')).find((r) => r.id === ana.id)).toEqual(ana);
  });
});
