// Scheduled jobs through the API: the list and one job with its history, bad settings refused whole
// (400 problem+json naming the field, nothing written), audited changes, run now, and — with two gateway
// replicas on one schema and a per-second cron (the minimum interval is lowered for the test) — one run
// per scheduled time, recorded with what it made, and scheduled times skipped on a holiday of the
// calendar or outside the job's dates, recorded as omitido with the reason.
//
// The job run every second is reconciliacion, with an action the test puts in place of the product's in
// each replica: the scheduler neither knows nor cares what a job does.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@lucy/testing';
import { fechaLocal } from '../src/trabajos/agenda.js';
import { TrabajoRegistry, type ContextoEjecucion } from '../src/trabajos/trabajo.registry.js';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

const CORDOBA = 'America/Argentina/Cordoba';
const ENTORNO = { SCHEDULER_MIN_INTERVAL_S: '1', CONFIG_POLL_MS: '200' };

interface Fila {
  programada_para: Date | null;
  resultado: string;
  motivo: string | null;
  feriado: string | null;
  producto: { tipo: string; id: string } | null;
  disparo: string;
  replica: string;
}

describe('gateway: scheduled jobs (trabajos)', () => {
  let a: TestGateway;
  let b: TestGateway | undefined;
  let s: string;
  let operadora: string;
  let lectora: string;
  /** Every call of the test's reconciliacion action, in either replica. */
  const llamadas: (ContextoEjecucion & { replica: string; producto: string })[] = [];

  // A probe in place of the real reconciliation, in each replica.
  const registrar = (gw: TestGateway, replica: string) =>
    gw.app.get(TrabajoRegistry).reemplazar({
      nombre: 'reconciliacion',
      ejecutar: async (ctx) => {
        const producto = randomUUID();
        llamadas.push({ ...ctx, replica, producto });
        return { tipo: 'prueba', id: producto };
      },
    });
  const corridas = async (trabajo = 'reconciliacion'): Promise<Fila[]> =>
    (
      await a.db.query(
        `SELECT * FROM ${s}.sincronizacion_programada WHERE trabajo = $1 AND programada_para IS NOT NULL ORDER BY programada_para`,
        [trabajo],
      )
    ).rows;
  const auditadas = async () =>
    (await a.db.query(`SELECT count(*)::int AS n FROM ${s}.auditoria WHERE evento = 'accion.trabajo'`)).rows[0].n;

  beforeAll(async () => {
    a = await startGateway('gwtrab', ENTORNO);
    s = `"${a.config.DB_SCHEMA}"`;
    operadora = await tokenDe(a, 'operadora', 'operator');
    lectora = await tokenDe(a, 'lectora', 'viewer');
  });
  afterAll(async () => {
    if (b) {
      await Promise.race([b.app.close(), new Promise((r) => setTimeout(r, 15_000).unref())]).catch(() => undefined);
      await b.db.end().catch(() => undefined);
    }
    await a?.close();
  });

  it('lists every job with its defaults: sial as the configuration has it, the others in the job table', async () => {
    const r = await a.api('/trabajos', { token: lectora });
    expect(r.status).toBe(200);
    expect(r.body.items.map((t: any) => [t.nombre, t.activo, t.cron, t.estado, t.conAccion, t.origen])).toEqual([
      ['sial', false, '0 2 * * *', 'inactivo', true, 'configuracion.sincronizacion'],
      ['reconciliacion', false, '0 6 * * 1', 'inactivo', true, 'trabajo'],
      ['retencion', false, '0 3 * * 0', 'inactivo', true, 'trabajo'],
      // The OneRoster server is not configured here: listed, never run.
      ['oneroster', true, '30 * * * *', 'sin_accion', false, 'trabajo'],
      ['oneroster-completa', true, '0 4 * * 0', 'sin_accion', false, 'trabajo'],
    ]);
    expect(r.body.items[1]).toMatchObject({
      zonaHoraria: CORDOBA,
      zonaPropia: false,
      validDesde: null,
      validHasta: null,
      saltarFeriados: false,
      proximas: [],
      ultima: null,
    });
    expect((await a.api('/trabajos/nada')).status).toBe(404);
  });

  // (An expression more frequent than SCHEDULER_MIN_INTERVAL_S is refused the same way: cron.spec.ts; here
  // the minimum is one second.)
  it('refuses bad settings with the field, and writes nothing', async () => {
    const casos: [string, object, string, RegExp][] = [
      [
        'reconciliacion',
        { cron: '0 25 * * 1' },
        'cron',
        /^expresión cron inválida: valor fuera de rango para la hora: 25/,
      ],
      ['reconciliacion', { zonaHoraria: 'Marte/Olimpo' }, 'zonaHoraria', /^no es una zona horaria IANA/],
      ['reconciliacion', { validDesde: '2027-02-30' }, 'validDesde', /^esa fecha no existe$/],
      ['reconciliacion', { validHasta: '30/03/2027' }, 'validHasta', /^debe ser una fecha AAAA-MM-DD$/],
      ['retencion', { validDesde: '2027-05-01', validHasta: '2027-04-01' }, 'validHasta', /^es anterior a validDesde$/],
      ['retencion', { saltarFeriados: 'si' }, 'saltarFeriados', /./],
      ['retencion', { proximo: 1 }, '', /proximo/],
      // sial's cron is the configuration's: refused with the same words, nothing stored there either
      ['sial', { cron: '0 2 * *', saltarFeriados: true }, 'cron', /^expresión cron inválida: hacen falta 5 campos/],
    ];
    for (const [nombre, body, campo, mensaje] of casos) {
      const r = await a.api(`/trabajos/${nombre}`, { method: 'PATCH', body });
      expect([nombre, body, r.status, r.type]).toEqual([nombre, body, 400, expect.stringMatching(/problem\+json/)]);
      expect(r.body.problemas).toEqual(
        campo
          ? [{ campo, mensaje: expect.stringMatching(mensaje) }]
          : [expect.objectContaining({ mensaje: expect.stringMatching(mensaje) })],
      );
    }
    expect((await a.api('/config')).body.version).toBe(0);
    expect(await auditadas()).toBe(0);
    expect((await a.db.query(`SELECT * FROM ${s}.trabajo`)).rows).toEqual([]);
  });

  it('refuses dates that cross the stored ones, even when the cron with them is good: neither is written', async () => {
    const ok = await a.api('/trabajos/sial', {
      method: 'PATCH',
      body: { validDesde: '2027-06-01', motivo: 'ciclo 2027' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ nombre: 'sial', validDesde: '2027-06-01', validHasta: null, cron: '0 2 * * *' });
    // cron goes to the configuration, validHasta to the job's row: the bad date rolls both back
    const r = await a.api('/trabajos/sial', { method: 'PATCH', body: { cron: '0 4 * * *', validHasta: '2027-01-31' } });
    expect(r.status).toBe(400);
    expect(r.body.problemas).toEqual([
      { campo: 'validHasta', mensaje: 'validDesde (2027-06-01) es posterior a validHasta (2027-01-31)' },
    ]);
    expect((await a.api('/config')).body.version).toBe(0);
    expect((await a.api('/trabajos/sial')).body).toMatchObject({ cron: '0 2 * * *', validHasta: null });
    const vuelta = await a.api('/trabajos/sial', { method: 'PATCH', body: { validDesde: null } });
    expect(vuelta.body.validDesde).toBeNull();
  });

  it('lets an admin, not an operator, change a job; audited with who, what and why, and a tarea', async () => {
    const negado = await a.api('/trabajos/reconciliacion', {
      method: 'PATCH',
      token: operadora,
      body: { activo: true },
    });
    expect(negado.status).toBe(403);
    const r = await a.api('/trabajos/reconciliacion', {
      method: 'PATCH',
      body: { cron: '30 6 * * 1', zonaHoraria: 'Europe/Madrid', motivo: 'antes de la reunión' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cron: '30 6 * * 1', zonaHoraria: 'Europe/Madrid', zonaPropia: true, version: 1 });
    const [asiento] = (
      await a.db.query(
        `SELECT actor, detalle FROM ${s}.auditoria WHERE evento = 'accion.trabajo' AND detalle->>'trabajo' = 'reconciliacion'`,
      )
    ).rows;
    expect(asiento).toEqual({
      actor: expect.stringMatching(/admin/),
      detalle: expect.objectContaining({
        trabajo: 'reconciliacion',
        version: 1,
        cambios: ['cron', 'zonaHoraria'],
        motivo: 'antes de la reunión',
        despues: expect.objectContaining({ cron: '30 6 * * 1', zonaHoraria: 'Europe/Madrid' }),
      }),
    });
    const tareas = (await a.api('/tareas?tipo=configuracion')).body.items;
    expect(tareas).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ detalle: expect.objectContaining({ trabajo: 'reconciliacion' }) }),
      ]),
    );
    // zonaHoraria null: back to the configuration's
    const vuelta = await a.api('/trabajos/reconciliacion', { method: 'PATCH', body: { zonaHoraria: null } });
    expect(vuelta.body).toMatchObject({ zonaHoraria: CORDOBA, zonaPropia: false, version: 2 });
  });

  it('runs a job now for an operator, recorded as a manual run with what it made', async () => {
    expect((await a.api('/trabajos/retencion/ejecutar', { method: 'POST', token: lectora })).status).toBe(403);
    // Retention's action is a retention run (simulated or not, it is recorded and linked).
    const ret = await a.api('/trabajos/retencion/ejecutar', { method: 'POST', token: operadora });
    expect(ret.status).toBe(202);
    expect(ret.body).toMatchObject({
      trabajo: 'retencion',
      producto: { tipo: 'retencion', id: expect.any(String) },
      links: { retencion: `/api/v1/retencion/${ret.body.producto.id}` },
    });
    expect((await a.api(`/retencion/${ret.body.producto.id}`)).status).toBe(200);

    const r = await a.api('/trabajos/sial/ejecutar', { method: 'POST', token: operadora });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      trabajo: 'sial',
      producto: { tipo: 'lote', id: expect.any(String) },
      links: { lote: `/api/v1/lotes/${r.body.producto.id}` },
    });
    const t = (await a.api('/trabajos/sial')).body;
    expect(t.historial).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(t.historial.items[0]).toMatchObject({
      id: r.body.ejecucionId,
      disparo: 'manual',
      actor: 'operadora',
      programadaPara: null,
      resultado: 'ok',
      producto: { tipo: 'lote', id: r.body.producto.id },
      inicio: expect.any(String),
      fin: expect.any(String),
    });
    expect(t.ultima.id).toBe(r.body.ejecucionId);
    expect((await a.api(`/lotes/${r.body.producto.id}`)).body).toMatchObject({ solicitadoPor: 'operadora' });
  });

  it('runs each scheduled time once across two replicas, then skips holidays and days outside its dates, saying why', async () => {
    registrar(a, 'a');
    b = await startGateway('gwtrab-b', {
      ...ENTORNO,
      SERVICE_NAME: a.service,
      DB_SCHEMA: a.config.DB_SCHEMA,
      ADMIN_TOKEN: a.adminToken,
    });
    registrar(b, 'b');
    const desde = Date.now();
    const r = await a.api('/trabajos/reconciliacion', { method: 'PATCH', body: { activo: true, cron: '* * * * * *' } });
    expect(r.body).toMatchObject({ estado: 'programado', conAccion: true });
    expect(r.body.proximas).toHaveLength(5);

    const hechas = await waitFor(
      async () => {
        const f = (await corridas()).filter((x) => x.resultado === 'ok');
        return f.length >= 6 && f;
      },
      'six scheduled seconds run',
      { timeoutMs: 30_000 },
    );
    expect(new Set(hechas.map((f) => f.programada_para!.getTime())).size).toBe(hechas.length);
    // Both replicas fire every second; each time ran once, in one of them, with the product it returned.
    const porFranja = new Map<number, number>();
    for (const l of llamadas) {
      const k = l.programadaPara!.getTime();
      porFranja.set(k, (porFranja.get(k) ?? 0) + 1);
    }
    expect([...porFranja.values()].filter((n) => n > 1)).toEqual([]);
    for (const f of hechas) {
      const l = llamadas.find((x) => x.programadaPara!.getTime() === f.programada_para!.getTime());
      expect(f.producto).toEqual({ tipo: 'prueba', id: l!.producto });
      expect(l).toMatchObject({ disparo: 'programada', actor: 'programador', zonaHoraria: CORDOBA });
    }

    // Today is a holiday in the job's zone: every scheduled time from now on is skipped, with its name.
    const hoy = fechaLocal(new Date(), CORDOBA);
    const feriado = await a.api('/calendario', {
      token: operadora,
      body: { desde: hoy, nombre: 'Día de prueba', tipo: 'feriado' },
    });
    expect(feriado.status).toBe(201);
    const conFeriados = Date.now();
    await a.api('/trabajos/reconciliacion', { method: 'PATCH', body: { saltarFeriados: true } });
    const omitidas = await waitFor(
      async () => {
        const f = (await corridas()).filter((x) => x.resultado === 'omitido');
        return f.length >= 3 && f;
      },
      'three scheduled seconds skipped',
      { timeoutMs: 30_000 },
    );
    expect(omitidas.map((f) => [f.motivo, f.feriado, f.producto])).toEqual(
      omitidas.map(() => ['feriado', 'Día de prueba', null]),
    );
    // A firing that read the settings before the change committed may still run: a second's slack.
    const llamadasLuego = llamadas.filter((l) => l.programadaPara!.getTime() > conFeriados + 1500);
    expect(llamadasLuego).toEqual([]);
    const proximas = (await a.api('/trabajos/reconciliacion')).body.proximas;
    expect(proximas[0]).toMatchObject({ omitida: { motivo: 'feriado', nombre: 'Día de prueba' } });

    // Its dates start tomorrow: every time until then is skipped as fuera de vigencia (before the holiday).
    const manana = new Date(Date.parse(`${hoy}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const futuro = await a.api('/trabajos/reconciliacion', { method: 'PATCH', body: { validDesde: manana } });
    expect(futuro.body.estado).toBe('fuera_de_vigencia');
    expect(futuro.body.proximas[0].omitida).toEqual({ motivo: 'fuera de vigencia', nombre: null });
    expect(futuro.body.proximas[1].local).toMatch(/ 00:00$/); // then from tomorrow's first second
    await waitFor(
      async () => (await corridas()).filter((x) => x.motivo === 'fuera de vigencia').length >= 2,
      'two scheduled seconds before its dates',
      { timeoutMs: 30_000 },
    );

    // Its dates ended yesterday: the job is over, no longer scheduled, nothing more recorded.
    const ayer = new Date(Date.parse(`${hoy}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const vencido = await a.api('/trabajos/reconciliacion', {
      method: 'PATCH',
      body: { validDesde: null, validHasta: ayer },
    });
    expect(vencido.body).toMatchObject({ estado: 'fuera_de_vigencia' });
    expect(vencido.body.proximas).toEqual([
      expect.objectContaining({ omitida: { motivo: 'fuera de vigencia', nombre: null } }),
    ]);
    const alVencer = Date.now();
    await waitFor(() => Date.now() > alVencer + 3000, 'three seconds after its dates ended');
    // A firing that read the settings before the change committed may still record: a second's slack.
    expect((await corridas()).filter((x) => x.programada_para!.getTime() > alVencer + 1000)).toEqual([]);

    await a.api('/trabajos/reconciliacion', { method: 'PATCH', body: { activo: false } });
    const detalle = await a.api('/trabajos/reconciliacion?limit=5&offset=0');
    expect(detalle.body.historial).toMatchObject({ limit: 5, offset: 0, total: expect.any(Number) });
    expect(detalle.body.historial.total).toBeGreaterThanOrEqual(11);
    expect(detalle.body.historial.items).toHaveLength(5);
    expect(detalle.body.historial.items.map((e: any) => e.programadaPara)).toEqual(
      [...detalle.body.historial.items.map((e: any) => e.programadaPara)].sort().reverse(),
    );
    const todas = await corridas();
    expect(todas.every((f) => f.programada_para!.getTime() > desde - 1000)).toBe(true);
    expect(new Set(todas.map((f) => f.replica)).size).toBeGreaterThanOrEqual(1);
  });
});
