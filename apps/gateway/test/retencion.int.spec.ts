// Retention runs through the API, the broker and a service's handler (libs/messaging's, as every service
// registers it): the gateway removes its audit entries, finished tareas and workflows past their ages —
// never a running one nor a student's current state — the service its inbox ids; a simulation counts the
// same and removes nothing; a service that does not answer is reported sin_respuesta at the deadline.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createLogger, ensureDatabase, ensureSchema, loadConfig } from '@lucy/platform';
import {
  DAY_MS,
  messagingDefaults,
  MessagingRuntime,
  MessagingTables1732000000000,
  registerRetention,
} from '@lucy/messaging';
import { deleteServiceQueues, dropSchema, throwawayNames, waitFor } from '@lucy/testing';
import { gatewayConfigSchema } from '../src/config.js';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

const RETRY_DELAYS = [100];
const log = createLogger('retencion-test', { level: 'silent' });

/** A service as far as retention goes: its schema with the transport's tables, its runtime with the handler. */
async function servicio(rabbitUrl: string, databaseUrl: string) {
  const { service, schema } = throwawayNames('retsvc');
  await ensureDatabase(databaseUrl);
  await ensureSchema(databaseUrl, schema);
  const ds = new DataSource({
    type: 'postgres',
    url: databaseUrl,
    schema,
    migrations: [MessagingTables1732000000000],
    migrationsTableName: 'migrations',
  });
  await ds.initialize();
  await ds.runMigrations();
  const rt = new MessagingRuntime(
    {
      ...messagingDefaults(service, rabbitUrl),
      retryDelaysMs: RETRY_DELAYS,
      outboxPollMs: 200,
      shutdownTimeoutMs: 5000,
    },
    { log, dataSource: ds },
  );
  registerRetention(rt, ds, log);
  await rt.start();
  return {
    service,
    ds,
    inbox: (id: string, at: Date) =>
      ds.query(`INSERT INTO "${schema}".inbox (consumer, message_id, type, applied_at) VALUES ($1, $2, 'x', $3)`, [
        service,
        id,
        at,
      ]),
    ids: async () =>
      (await ds.query(`SELECT message_id FROM "${schema}".inbox WHERE consumer = $1 ORDER BY 1`, [service])).map(
        (r: { message_id: string }) => r.message_id,
      ),
    close: async () => {
      await rt.stop();
      await deleteServiceQueues(service, RETRY_DELAYS, rabbitUrl);
      await dropSchema(ds, schema);
      await ds.destroy();
    },
  };
}

const ago = (dias: number) => new Date(Date.now() - dias * DAY_MS);

describe('gateway API: retention', () => {
  let gw: TestGateway;
  let svc: Awaited<ReturnType<typeof servicio>>;
  let s: string;
  const alumno = randomUUID();
  const ids = {
    onboarding: randomUUID(),
    actualizacionVieja: randomUUID(),
    actualizacionUltima: randomUUID(),
    bajaSuspendida: randomUUID(),
  };

  const q = <T = any>(sql: string, p: unknown[] = []) => gw.db.query(sql, p).then((r) => r.rows as T[]);
  const n = async (sql: string, p: unknown[] = []) => Number((await q(sql, p))[0].n);

  async function sembrar() {
    for (const [at, evento] of [
      [ago(400), 'viejo'],
      [ago(400), 'viejo'],
      [ago(370), 'viejo'],
      [ago(100), 'reciente'],
    ] as const)
      await q(`INSERT INTO ${s}.auditoria (at, evento, actor) VALUES ($1, $2, 'prueba')`, [at, `prueba.${evento}`]);
    const tarea = (estado: string, inicio: Date, fin: Date | null) =>
      q(
        `INSERT INTO ${s}.tarea (id, tipo, estado, actor, started_at, finished_at) VALUES ($1, 'accion', $2, 'prueba', $3, $4)`,
        [randomUUID(), estado, inicio, fin],
      );
    await tarea('completada', ago(120), ago(119));
    await tarea('fallida', ago(100), ago(100));
    await tarea('con_errores', ago(95), ago(95));
    await tarea('en_curso', ago(200), null); // still running, however old
    await tarea('completada', ago(10), ago(10));
    const workflow = (id: string, tipo: string, estado: string, creado: Date, fin: Date | null) =>
      q(
        `INSERT INTO ${s}.workflow (id, alumno_id, tipo, estado, correlation_id, created_at, updated_at, finished_at)
         VALUES ($1, $2, $3, $4, 'c', $5, $5, $6)`,
        [id, alumno, tipo, estado, creado, fin],
      );
    // The student's onboarding (their row in the student list), finished long ago: kept.
    await workflow(ids.onboarding, 'onboarding', 'completado', ago(300), ago(299));
    // An update finished long ago with a later one of the same kind: goes, with its steps.
    await workflow(ids.actualizacionVieja, 'actualizacion', 'completado', ago(250), ago(249));
    await q(`INSERT INTO ${s}.workflow_paso (workflow_id, paso, orden, estado) VALUES ($1, 'teams', 1, 'completado')`, [
      ids.actualizacionVieja,
    ]);
    // The latest update (what a student's current state is read from): kept, however old.
    await workflow(ids.actualizacionUltima, 'actualizacion', 'completado', ago(200), ago(199));
    // A leave waiting out its grace: not terminal, kept.
    await workflow(ids.bajaSuspendida, 'baja', 'suspendido', ago(150), null);
    await svc.inbox('svc-viejo-1', ago(30));
    await svc.inbox('svc-viejo-2', ago(20));
    await svc.inbox('svc-reciente', ago(1));
  }

  const esperarFin = (id: string) =>
    waitFor(
      async () => {
        const r = await gw.api(`/retencion/${id}`);
        return r.body?.estado !== 'en_curso' ? r : undefined;
      },
      'the run to end',
      { timeoutMs: 30_000 },
    );
  const cantidades = (resultado: any) =>
    Object.fromEntries(resultado.purgados.map((p: { tipo: string; cantidad: number }) => [p.tipo, p.cantidad]));

  beforeAll(async () => {
    const entorno = loadConfig(gatewayConfigSchema, { ...process.env });
    const urls = { rabbit: entorno.RABBITMQ_URL, db: entorno.DATABASE_URL };
    svc = await servicio(urls.rabbit, urls.db);
    gw = await startGateway('gwret', { SERVICES: svc.service, RETENCION_LOTE: '2', RETENCION_PAUSA_MS: '1' });
    s = `"${gw.config.DB_SCHEMA}"`;
    await sembrar();
  });
  afterAll(async () => {
    await gw?.close();
    await svc?.close();
  });

  it('simulating, counts what each would remove and removes nothing', async () => {
    const r = await gw.api('/retencion/ejecutar', { body: { simular: true } });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({
      id: expect.any(String),
      simulada: true,
      links: { ejecucion: `/api/v1/retencion/${r.body.id}` },
    });
    const fin = await esperarFin(r.body.id);
    expect(fin.body).toMatchObject({ estado: 'terminada', simulada: true, servicios: [gw.service, svc.service] });
    expect(cantidades(fin.body.resultados[gw.service])).toMatchObject({ auditoria: 3, tareas: 3, workflows: 1 });
    expect(cantidades(fin.body.resultados[svc.service])).toMatchObject({ inbox: 2, aparcados: 0 });
    expect(await n(`SELECT count(*) AS n FROM ${s}.auditoria WHERE evento LIKE 'prueba.%'`)).toBe(4);
    expect(await n(`SELECT count(*) AS n FROM ${s}.tarea`)).toBe(5);
    expect(await n(`SELECT count(*) AS n FROM ${s}.workflow`)).toBe(4);
    expect(await svc.ids()).toHaveLength(3);
  });

  it("removes what is past its age, in every service; keeps the recent, the running and each student's current state", async () => {
    const r = await gw.api('/retencion/ejecutar', { body: {} });
    expect(r.status).toBe(202);
    const fin = await esperarFin(r.body.id);
    expect(fin.body).toMatchObject({
      estado: 'terminada',
      simulada: false,
      edades: { dias: 90, auditoriaDias: 365, aparcadosDias: 7 },
    });
    const propio = fin.body.resultados[gw.service];
    expect(cantidades(propio)).toMatchObject({ auditoria: 3, tareas: 3, workflows: 1, aparcados: 0 });
    const auditoria = propio.purgados.find((p: { tipo: string }) => p.tipo === 'auditoria');
    expect(Date.parse(auditoria.corte)).toBeCloseTo(ago(365).getTime(), -5);
    expect(auditoria.duracionMs).toBeGreaterThanOrEqual(0);
    expect(fin.body.totales).toMatchObject({ auditoria: 3, tareas: 3, workflows: 1, inbox: 2 });

    expect(await q(`SELECT evento FROM ${s}.auditoria WHERE evento LIKE 'prueba.%'`)).toEqual([
      { evento: 'prueba.reciente' },
    ]);
    const tareas = await q(`SELECT estado FROM ${s}.tarea ORDER BY started_at`);
    expect(tareas.map((t) => t.estado)).toEqual(['en_curso', 'completada']);
    const workflows = await q(`SELECT id FROM ${s}.workflow ORDER BY created_at`);
    expect(workflows.map((w) => w.id)).toEqual([ids.onboarding, ids.actualizacionUltima, ids.bajaSuspendida]);
    expect(
      await n(`SELECT count(*) AS n FROM ${s}.workflow_paso WHERE workflow_id = $1`, [ids.actualizacionVieja]),
    ).toBe(0);
    expect(await svc.ids()).toEqual(['svc-reciente']);

    // Both ends of the run in the audit trail, with what it removed.
    const asientos = await q(
      `SELECT evento, actor, detalle FROM ${s}.auditoria WHERE detalle->>'ejecucionId' = $1 ORDER BY id`,
      [r.body.id],
    );
    expect(asientos.map((a) => a.evento)).toEqual(['retencion.solicitada', 'retencion.terminada']);
    expect(asientos[1].actor).toBe('admin');
    expect(asientos[1].detalle.totales).toMatchObject({ auditoria: 3, inbox: 2 });

    const lista = await gw.api('/retencion?limit=10');
    expect(lista.status).toBe(200);
    expect(lista.body.items.map((e: { id: string }) => e.id).slice(0, 1)).toEqual([r.body.id]);
    expect(lista.body.total).toBeGreaterThanOrEqual(2);
  });

  it('lets an operator start one, not a viewer; an Idempotency-Key replays the same run', async () => {
    const operador = await tokenDe(gw, 'operadora-retencion', 'operator');
    const lector = await tokenDe(gw, 'lector-retencion', 'viewer');
    expect((await gw.api('/retencion/ejecutar', { token: lector, body: { simular: true } })).status).toBe(403);
    expect((await gw.api('/retencion', { token: lector })).status).toBe(200);
    const key = randomUUID();
    const a = await gw.api('/retencion/ejecutar', {
      token: operador,
      body: { simular: true },
      headers: { 'idempotency-key': key },
    });
    const b = await gw.api('/retencion/ejecutar', {
      token: operador,
      body: { simular: true },
      headers: { 'idempotency-key': key },
    });
    expect(a.status).toBe(202);
    expect(b.body.id).toBe(a.body.id);
    await esperarFin(a.body.id);
  });

  it('answers bad input with 400 problem+json, an unknown run with 404', async () => {
    const json = { 'content-type': 'application/json' };
    for (const body of [{ simular: 'sí' }, { simular: true, dias: 1 }, [], '"simular"', '{"simular": tru', 'null'])
      expect(await gw.api('/retencion/ejecutar', { body, headers: json })).toMatchObject({
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
    for (const path of ['/retencion/no-es-un-id', '/retencion?limit=0', '/retencion?limit=abc', '/retencion?otro=1'])
      expect(await gw.api(path)).toMatchObject({
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
    expect(await gw.api(`/retencion/${randomUUID()}`)).toMatchObject({
      status: 404,
      type: expect.stringContaining('application/problem+json'),
    });
  });
});

describe('gateway API: retention, a service that does not answer', () => {
  let gw: TestGateway;
  const mudo = throwawayNames('retmudo').service;

  beforeAll(async () => {
    gw = await startGateway('gwretmudo', { SERVICES: mudo, RETENCION_PLAZO_MS: '1500' });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it("ends the run fallida at its deadline, the silent service reported sin_respuesta, the gateway's own result kept", async () => {
    const r = await gw.api('/retencion/ejecutar', { body: { simular: true } });
    expect(r.status).toBe(202);
    expect((await gw.api(`/retencion/${r.body.id}`)).body.estado).toBe('en_curso');
    // One run at a time.
    expect(await gw.api('/retencion/ejecutar', { body: {} })).toMatchObject({
      status: 409,
      type: expect.stringContaining('application/problem+json'),
    });
    const fin = await waitFor(
      async () => {
        const e = await gw.api(`/retencion/${r.body.id}`);
        return e.body.estado !== 'en_curso' ? e : undefined;
      },
      'the deadline',
      { timeoutMs: 15_000 },
    );
    expect(fin.body.estado).toBe('fallida');
    expect(fin.body.resultados[mudo]).toEqual({ estado: 'sin_respuesta' });
    expect(fin.body.resultados[gw.service].estado).toBe('aplicada');
    const [asiento] = (
      await gw.db.query(`SELECT detalle FROM "${gw.config.DB_SCHEMA}".auditoria WHERE evento = 'retencion.fallida'`)
    ).rows;
    expect(asiento.detalle.servicios).toEqual({ [gw.service]: 'aplicada', [mudo]: 'sin_respuesta' });
  });
});
