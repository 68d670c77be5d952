// Access to the API: bearer tokens stored hashed, roles, revocation, the open routes; the actor recorded.
import { createHash } from 'node:crypto';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

describe('gateway API access', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway('gwauth');
  });
  afterAll(() => gw?.close());

  it('answers 401 problem+json without a token, with a wrong one, and with a malformed header', async () => {
    for (const token of [null, 'nope-not-a-token']) {
      const r = await gw.api('/alumnos', { token });
      expect(r.status).toBe(401);
      expect(r.type).toContain('application/problem+json');
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
      expect(r.body.detail).toMatch(/token/);
    }
    const r = await gw.api('/alumnos', { token: null, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(r.status).toBe(401);
  });

  it('leaves /health, /metrics and the OpenAPI document open', async () => {
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(200);
    const doc = (await (await fetch(`${gw.url}/docs-json`)).json()) as any;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/alumnos',
        '/api/v1/lotes',
        '/api/v1/acciones',
        '/api/v1/dlq/{servicio}/reintentar',
        '/api/v1/config',
        '/api/v1/tokens',
      ]),
    );
    // Request schemas come from the zod schemas the routes validate with.
    const params = doc.paths['/api/v1/alumnos'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['workflow', 'carrera', 'q', 'limit', 'offset']));
    expect(JSON.stringify(doc.paths['/api/v1/acciones'].post.requestBody)).toContain('alumnoIds');
    expect((await fetch(`${gw.url}/docs`)).headers.get('content-type')).toContain('text/html');
  });

  it('stores the environment admin token and created tokens only as their SHA-256', async () => {
    const viewer = await tokenDe(gw, 'lectora', 'viewer');
    const { rows } = await gw.db.query(
      `SELECT nombre, rol, hash, creado_por FROM "${gw.config.DB_SCHEMA}".api_token ORDER BY created_at`,
    );
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(rows).toEqual([
      { nombre: 'admin', rol: 'admin', hash: sha(gw.adminToken), creado_por: 'entorno' },
      { nombre: 'lectora', rol: 'viewer', hash: sha(viewer), creado_por: 'admin' },
    ]);
    const dump = JSON.stringify((await gw.db.query(`SELECT * FROM "${gw.config.DB_SCHEMA}".api_token`)).rows);
    expect(dump).not.toContain(viewer);
    expect(dump).not.toContain(gw.adminToken);
    // Listed without the token or its hash.
    const list = await gw.api('/tokens');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(sha(viewer));
    expect(list.body.map((t: { nombre: string }) => t.nombre)).toEqual(['admin', 'lectora']);
  });

  it('lets a viewer read but not act, and an operator act but not manage tokens or configuration', async () => {
    const viewer = await tokenDe(gw, 'viewer-1', 'viewer');
    const operator = await tokenDe(gw, 'operator-1', 'operator');
    expect((await gw.api('/alumnos', { token: viewer })).status).toBe(200);
    expect((await gw.api('/sesion', { token: viewer })).body).toEqual({ nombre: 'viewer-1', rol: 'viewer' });
    const denied = await gw.api('/sync/sial', { token: viewer, body: {} });
    expect(denied.status).toBe(403);
    expect(denied.type).toContain('application/problem+json');
    expect(denied.body.detail).toMatch(/viewer.*operator/);
    expect((await gw.api('/sync/sial', { token: operator, body: {} })).status).toBe(202);
    expect((await gw.api('/tokens', { token: operator })).status).toBe(403);
    expect((await gw.api('/tokens', { token: operator, body: { nombre: 'x', rol: 'admin' } })).status).toBe(403);
    expect(
      (await gw.api('/config', { token: operator, method: 'PATCH', body: { valores: { loteTamano: 5 } } })).status,
    ).toBe(403);
    expect((await gw.api('/config', { token: viewer })).status).toBe(200);
  });

  it('records who did what under the token name', async () => {
    const operator = await tokenDe(gw, 'Operadora Ana', 'operator');
    const r = await gw.api('/sync/sial', { token: operator, body: { fuentes: ['ingresantes'] } });
    const { rows } = await gw.db.query(
      `SELECT actor, evento FROM "${gw.config.DB_SCHEMA}".auditoria WHERE lote_id = $1`,
      [r.body.loteId],
    );
    expect(rows).toEqual([{ actor: 'Operadora Ana', evento: 'accion.sincronizar-sial' }]);
    const tareas = await gw.api(`/tareas?loteId=${r.body.loteId}`);
    expect(tareas.body.items).toEqual([
      expect.objectContaining({ tipo: 'sincronizacion', actor: 'Operadora Ana', estado: 'en_curso' }),
    ]);
  });

  it('refuses a revoked token at once, and a second live token with the same name', async () => {
    const created = await gw.api('/tokens', { body: { nombre: 'temporal', rol: 'operator' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^lucy_/);
    expect((await gw.api('/tokens', { body: { nombre: 'temporal', rol: 'viewer' } })).status).toBe(409);
    expect((await gw.api('/alumnos', { token: created.body.token })).status).toBe(200);
    const revoked = await gw.api(`/tokens/${created.body.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revocadoAt).toBeTruthy();
    const after = await gw.api('/alumnos', { token: created.body.token });
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/revocado/);
    expect((await gw.api(`/tokens/${created.body.id}`, { method: 'DELETE' })).status).toBe(200); // idempotent
    expect((await gw.api('/tokens/00000000-0000-4000-8000-000000000000', { method: 'DELETE' })).status).toBe(404);
  });
});
