// The scheduled SIAL pull: two gateway replicas on one schema, a per-second cron (the minimum interval is
// lowered for the test) — each scheduled time is pulled once (one lote, one SincronizarSial), switching
// it off stops it, a new version is picked up without a restart, a time nobody pulled is caught up at
// start; GET /programacion shows the next runs in the configured zone; an operator can run it now.
//
// Versions are written to the configuration table directly (as PUT /config stores them) rather than
// through the API: the API would announce each one on the shared broker, to every other test's services.
import type { Configuracion } from '@lucy/contracts';
import { SincronizarSial } from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { DEFECTO } from '../src/configuracion/configuracion.schema.js';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

const CORDOBA = 'America/Argentina/Cordoba';
const ENTORNO = { SCHEDULER_MIN_INTERVAL_S: '1', CONFIG_POLL_MS: '200' };

interface Fila {
  programada_para: Date;
  lote_id: string;
  recuperada: boolean;
  replica: string;
}

describe('gateway: the scheduled SIAL pull', () => {
  let a: TestGateway;
  let b: TestGateway | undefined;
  let tap: BrokerTap;
  let s: string;
  let valores: Configuracion = DEFECTO;

  /** Stores a new version with `cambios` applied, `haceMs` in the past; its number and when it was stored. */
  const guardar = async (cambios: Partial<Configuracion>, haceMs = 0) => {
    valores = { ...valores, ...cambios };
    const { rows } = await a.db.query(
      `INSERT INTO ${s}.configuracion (version, valores, cambios, cambiado_por, created_at)
       SELECT coalesce(max(version), 0) + 1, $1, $2, 'test', now() - $3 * interval '1 millisecond' FROM ${s}.configuracion
       RETURNING version, created_at`,
      [JSON.stringify(valores), JSON.stringify(Object.keys(cambios)), haceMs],
    );
    return { version: rows[0].version as number, at: (rows[0].created_at as Date).getTime() };
  };
  const sincronizacion = (x: Partial<Configuracion['sincronizacion']>) => ({
    sincronizacion: { ...valores.sincronizacion, ...x },
  });
  /** The scheduled times pulled (the table also holds manual runs, with no scheduled time). */
  const franjas = async (): Promise<Fila[]> =>
    (
      await a.db.query(
        `SELECT * FROM ${s}.sincronizacion_programada WHERE programada_para IS NOT NULL ORDER BY programada_para`,
      )
    ).rows;
  const replicas = () => [a, ...(b ? [b] : [])];
  /** Every running replica has read version `v` (and, so, scheduled or unscheduled it). */
  const aplicada = (v: number) =>
    waitFor(async () => {
      const estados = await Promise.all(replicas().map((gw) => gw.api('/programacion', { token: a.adminToken })));
      return estados.every((r) => r.body.replica.versionAplicada >= v) && estados.map((r) => r.body);
    }, `every replica to apply version ${v}`);

  beforeAll(async () => {
    a = await startGateway('gwprog', ENTORNO);
    s = `"${a.config.DB_SCHEMA}"`;
    tap = await BrokerTap.open([SincronizarSial], { url: a.config.RABBITMQ_URL });
  });
  afterAll(async () => {
    await tap?.close();
    if (b) {
      // b shares a's schema and queues: a's close drops them.
      await Promise.race([b.app.close(), new Promise((r) => setTimeout(r, 15_000).unref())]).catch(() => undefined);
      await b.db.end().catch(() => undefined);
    }
    await a?.close();
  });

  it('shows an inactive schedule at version 0: no next runs, nothing pulled', async () => {
    const r = await a.api('/programacion');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      activa: false,
      estado: 'inactiva',
      problema: null,
      cron: '0 2 * * *',
      zonaHoraria: CORDOBA,
      fuentes: ['ingresantes'],
      periodo: null,
      version: 0,
      proximas: [],
      ultimas: [],
    });
  });

  it('refuses an expression croner cannot read, telling the admin how to write one', async () => {
    const r = await a.api('/config', {
      method: 'PATCH',
      body: { valores: sincronizacion({ activa: true, cron: '0 25 * * *' }) },
    });
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/application\/problem\+json/);
    expect(r.body.problemas).toEqual([
      {
        campo: 'valores.sincronizacion.cron',
        mensaje:
          'expresión cron inválida: valor fuera de rango para la hora: 25 (ej. 0 2 * * * = todos los días a las 2:00)',
      },
    ]);
    expect((await a.api('/config')).body.version).toBe(0);
  });

  it('catches up at start, once, the scheduled time nobody pulled within the last hour', async () => {
    // Daily at the minute it was ten minutes ago in Córdoba; the schedule was stored half an hour ago.
    const hace10 = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: CORDOBA, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' })
        .formatToParts(new Date(Date.now() - 10 * 60_000))
        .map((p) => [p.type, p.value]),
    );
    const { version } = await guardar(
      sincronizacion({ activa: true, cron: `${Number(hace10.minute)} ${Number(hace10.hour)} * * *`, periodo: '2027' }),
      30 * 60_000,
    );
    await aplicada(version); // a runs it too, but started before it existed: nothing to catch up there

    b = await startGateway('gwprog-b', {
      ...ENTORNO,
      SERVICE_NAME: a.service,
      DB_SCHEMA: a.config.DB_SCHEMA,
      ADMIN_TOKEN: a.adminToken,
    });
    const [fila] = await waitFor(async () => {
      const f = await franjas();
      return f.length && f;
    }, 'the missed time to be pulled');
    expect(fila).toMatchObject({ recuperada: true });
    expect(Date.now() - fila!.programada_para.getTime()).toBeGreaterThan(9 * 60_000);
    await waitFor(() => tap.of(SincronizarSial, { loteId: fila!.lote_id }).length, 'SincronizarSial of the catch-up');
    expect(tap.of(SincronizarSial, { loteId: fila!.lote_id })).toEqual([
      { loteId: fila!.lote_id, fuentes: ['ingresantes'], periodo: '2027' },
    ]);

    const tareas = (await a.api(`/tareas?loteId=${fila!.lote_id}`)).body.items;
    expect(tareas).toEqual([
      expect.objectContaining({
        tipo: 'sincronizacion',
        actor: 'programador',
        detalle: expect.objectContaining({
          disparo: 'recuperacion',
          programadaPara: fila!.programada_para.toISOString(),
          nota: expect.stringMatching(
            /^recuperada al arrancar: ningún gateway estaba en marcha a las .* \(America\/Argentina\/Cordoba\)$/,
          ),
        }),
      }),
    ]);
    const auditoria = (
      await a.db.query(`SELECT actor, detalle FROM ${s}.auditoria WHERE lote_id = $1`, [fila!.lote_id])
    ).rows;
    expect(auditoria).toEqual([
      {
        actor: 'programador',
        detalle: expect.objectContaining({ disparo: 'recuperacion', cron: valores.sincronizacion.cron }),
      },
    ]);

    const estado = await aplicada(version);
    expect(estado.map((e) => e.replica.programada)).toEqual([true, true]);
    expect(await franjas()).toHaveLength(1);
  });

  it('pulls each scheduled time once across two replicas, stops when switched off, and follows a new version without a restart', async () => {
    const cada = await guardar(sincronizacion({ activa: true, cron: '* * * * * *', periodo: '2027' }));
    await waitFor(
      async () => (await franjas()).filter((f) => f.programada_para.getTime() > cada.at + 1000).length >= 5,
      'five scheduled seconds pulled',
      { timeoutMs: 30_000 },
    );

    const apagada = await guardar(sincronizacion({ activa: false }));
    const estados = await aplicada(apagada.version);
    expect(estados.map((e) => [e.estado, e.replica.programada, e.proximas])).toEqual([
      ['inactiva', false, []],
      ['inactiva', false, []],
    ]);
    // Nothing to wait for but the clock: three scheduled seconds go by while the schedule is off.
    await waitFor(() => Date.now() > apagada.at + 3000, 'three seconds of a switched-off schedule');

    const otra = await guardar(sincronizacion({ activa: true, cron: '*/2 * * * * *', periodo: '2028' }));
    const nuevas = await waitFor(
      async () => {
        const f = (await franjas()).filter((x) => x.programada_para.getTime() > otra.at + 1000);
        return f.length >= 3 && f;
      },
      'three even seconds pulled under the new version',
      { timeoutMs: 30_000 },
    );

    const todas = await franjas();
    // A time whose firing read the configuration before the switch committed may still pull: a second's slack.
    expect(
      todas.filter((f) => f.programada_para.getTime() > apagada.at + 1000 && f.programada_para.getTime() <= otra.at),
    ).toEqual([]);
    expect(nuevas.map((f) => f.programada_para.getUTCSeconds() % 2)).toEqual(nuevas.map(() => 0));
    await waitFor(
      () => nuevas.every((f) => tap.of(SincronizarSial, { loteId: f.lote_id }).length),
      'SincronizarSial of the new version’s pulls',
    );
    expect(nuevas.map((f) => tap.of(SincronizarSial, { loteId: f.lote_id })[0]!.periodo)).toEqual(
      nuevas.map(() => '2028'),
    );

    // Stop, then count: every slot is one lote by the scheduler and one SincronizarSial, and nothing else is.
    const fin = await guardar(sincronizacion({ activa: false }));
    await aplicada(fin.version);
    const filas = await waitFor(async () => {
      const f = await franjas();
      return f.every((x) => tap.of(SincronizarSial, { loteId: x.lote_id }).length) && f;
    }, 'every pull to be published');
    const lotes: { id: string; franja: Date | null }[] = (
      await a.db.query(
        `SELECT l.id, f.programada_para AS franja FROM ${s}.lote l LEFT JOIN ${s}.sincronizacion_programada f ON f.lote_id = l.id WHERE l.solicitado_por = 'programador'`,
      )
    ).rows;
    expect(filas.length).toBeGreaterThanOrEqual(9);
    expect(lotes.filter((l) => !l.franja)).toEqual([]); // a pull whose replica lost the slot left nothing behind
    expect(lotes).toHaveLength(filas.length);
    expect(new Set(filas.map((f) => f.lote_id)).size).toBe(filas.length);
    expect(filas.map((f) => tap.of(SincronizarSial, { loteId: f.lote_id }).length)).toEqual(filas.map(() => 1));
  });

  it('shows the next runs in the configured zone and the last runs with their lotes', async () => {
    const cordoba = await guardar({ ...sincronizacion({ activa: true, cron: '0 2 * * *' }), zonaHoraria: CORDOBA });
    const [r] = await aplicada(cordoba.version);
    expect(r).toMatchObject({
      activa: true,
      estado: 'programada',
      cron: '0 2 * * *',
      zonaHoraria: CORDOBA,
      version: cordoba.version,
      replica: { programada: true },
    });
    expect(r.proximas).toHaveLength(5);
    for (const p of r.proximas) {
      expect(p.at).toMatch(/T05:00:00\.000Z$/);
      expect(p.local).toMatch(/^\S+ \d\d\/\d\d\/\d{4} 02:00$/);
    }
    expect(r.replica.proxima).toBe(r.proximas[0].at);

    const [ultima] = r.ultimas;
    expect(ultima).toMatchObject({
      loteId: expect.any(String),
      recuperada: false,
      lote: { estado: expect.any(String) },
      links: { lote: `/api/v1/lotes/${ultima.loteId}` },
    });
    expect(new Date(ultima.at).getTime()).toBe((await franjas()).at(-1)!.programada_para.getTime());
    expect((await a.api(ultima.links.lote.replace('/api/v1', ''))).body).toMatchObject({
      id: ultima.loteId,
      origen: 'sial',
      solicitadoPor: 'programador',
    });

    const madrid = await guardar({ zonaHoraria: 'Europe/Madrid' });
    const [m] = await aplicada(madrid.version);
    expect(m.zonaHoraria).toBe('Europe/Madrid');
    for (const p of m.proximas) {
      expect(p.at).toMatch(/T0[01]:00:00\.000Z$/); // 02:00 in Madrid: CET or CEST
      expect(p.local).toMatch(/ 02:00$/);
    }
    await guardar(sincronizacion({ activa: false }));
  });

  it('runs the configured pull now for an operator, not a viewer, without taking a scheduled time', async () => {
    const operadora = await tokenDe(a, 'operadora', 'operator');
    const lector = await tokenDe(a, 'lector', 'viewer');
    const antes = (await franjas()).length;

    const negado = await a.api('/programacion/ejecutar', { method: 'POST', token: lector });
    expect(negado.status).toBe(403);
    expect(negado.type).toMatch(/application\/problem\+json/);
    expect((await a.api('/programacion', { token: lector })).status).toBe(200);

    const r = await a.api('/programacion/ejecutar', { method: 'POST', token: operadora });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      loteId: expect.any(String),
      estado: 'solicitado',
      links: { lote: `/api/v1/lotes/${r.body.loteId}` },
    });
    await waitFor(() => tap.of(SincronizarSial, { loteId: r.body.loteId }).length, 'SincronizarSial of the manual run');
    expect(tap.of(SincronizarSial, { loteId: r.body.loteId })).toEqual([
      { loteId: r.body.loteId, fuentes: valores.sincronizacion.fuentes, periodo: valores.sincronizacion.periodo },
    ]);
    expect((await a.api(`/lotes/${r.body.loteId}`)).body).toMatchObject({ solicitadoPor: 'operadora', origen: 'sial' });
    expect((await a.api(`/tareas?loteId=${r.body.loteId}`)).body.items).toEqual([
      expect.objectContaining({ actor: 'operadora', detalle: expect.objectContaining({ disparo: 'manual' }) }),
    ]);
    expect(await franjas()).toHaveLength(antes);
  });
});
