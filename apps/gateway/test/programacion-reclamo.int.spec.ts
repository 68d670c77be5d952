// One scheduled time of the SIAL pull raced by two gateway replicas' schedulers on one schema, made to
// happen at once rather than waited for: the claim is taken in the pull's own transaction, so one lote,
// one SincronizarSial and one run (recorded with its lote) come out. A replica whose pull fails after it
// claimed — its transaction rolls back, as when its commit fails — leaves neither claim nor lote behind:
// the other replica pulls that time, once, and the failed one, trying again, finds it taken and stops.
import { SincronizarSial } from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { SyncScheduler } from '../src/scheduler/sync.scheduler.js';
import type { AjustesTrabajo } from '../src/trabajos/trabajos.store.js';
import { startGateway, type TestGateway } from './support/gateway.js';

interface Fila {
  programada_para: Date;
  resultado: string;
  lote_id: string | null;
  producto: { tipo: string; id: string } | null;
  replica: string;
  error: string | null;
}

describe('gateway: one run per scheduled time, claimed with what it made', () => {
  let a: TestGateway;
  let b: TestGateway;
  let tap: BrokerTap;
  let s: string;

  beforeAll(async () => {
    a = await startGateway('gwreclamo');
    b = await startGateway('gwreclamo-b', {
      SERVICE_NAME: a.service,
      DB_SCHEMA: a.config.DB_SCHEMA,
      ADMIN_TOKEN: a.adminToken,
    });
    s = `"${a.config.DB_SCHEMA}"`;
    tap = await BrokerTap.open([SincronizarSial], { url: a.config.RABBITMQ_URL });
  });
  afterAll(async () => {
    await tap?.close();
    // b shares a's schema and queues: a's close drops them.
    await Promise.race([b?.app.close(), new Promise((r) => setTimeout(r, 15_000).unref())]).catch(() => undefined);
    await b?.db.end().catch(() => undefined);
    await a?.close();
  });

  const scheduler = (gw: TestGateway) => gw.app.get(SyncScheduler);
  /** The scheduler's run of one scheduled time, as its cron firing makes it (the SIAL job is off: nothing fires). */
  const correr = async (gw: TestGateway, franja: Date) => {
    const sch = scheduler(gw);
    const ajustes = (await sch.ajustes()).find((x) => x.nombre === 'sial')!;
    const run = sch['correr'] as (a: AjustesTrabajo, f: Date, d: 'programada') => Promise<void>;
    return run.call(sch, ajustes, franja, 'programada');
  };
  const filas = async (franja: Date): Promise<Fila[]> =>
    (await a.db.query(`SELECT * FROM ${s}.sincronizacion_programada WHERE programada_para = $1`, [franja])).rows;
  const lotes = async (): Promise<string[]> =>
    (await a.db.query(`SELECT id FROM ${s}.lote WHERE solicitado_por = 'programador' ORDER BY created_at`)).rows.map(
      (r: { id: string }) => r.id,
    );
  const minuto = (atras: number) => new Date((Math.floor(Date.now() / 60_000) - atras) * 60_000);

  it('two schedulers running one scheduled time at once: one lote, one SincronizarSial, one run with it', async () => {
    const franja = minuto(10);
    await Promise.all([correr(a, franja), correr(b, franja)]);
    const [fila, ...otras] = await filas(franja);
    expect(otras).toEqual([]);
    expect(fila).toMatchObject({ resultado: 'ok', error: null, producto: { tipo: 'lote', id: fila!.lote_id } });
    expect([scheduler(a).replica, scheduler(b).replica]).toContain(fila!.replica);
    expect(await lotes()).toEqual([fila!.lote_id]);
    await waitFor(() => tap.of(SincronizarSial, { loteId: fila!.lote_id }).length, 'SincronizarSial');
    await new Promise((r) => setTimeout(r, 500));
    expect(tap.of(SincronizarSial, { loteId: fila!.lote_id })).toHaveLength(1);
  });

  it('a pull that fails after claiming leaves nothing: the other replica pulls that time, once', async () => {
    const franja = minuto(20);
    const antes = await lotes();
    const franjasA = scheduler(a).franjas;
    const real = franjasA.reclamar.bind(franjasA);
    let cortar: () => void;
    const cortado = new Promise<void>((r) => (cortar = r));
    let veces = 0;
    franjasA.reclamar = async (m, f, como) => {
      const id = await real(m, f, como);
      if (veces++ === 0) {
        cortar();
        throw new Error('se cortó la conexión al confirmar');
      }
      return id;
    };
    try {
      // a claims, then its transaction fails and rolls back; it tries again after a second.
      const deA = correr(a, franja);
      await cortado;
      expect(await filas(franja)).toEqual([]);
      await correr(b, franja);
      await deA;
    } finally {
      franjasA.reclamar = real;
    }
    expect(veces).toBe(2);
    const [fila, ...otras] = await filas(franja);
    expect(otras).toEqual([]);
    expect(fila).toMatchObject({ resultado: 'ok', replica: scheduler(b).replica });
    expect(await lotes()).toEqual([...antes, fila!.lote_id]);
    await waitFor(() => tap.of(SincronizarSial, { loteId: fila!.lote_id }).length, 'SincronizarSial');
    const deEsteEsquema = new Set(await lotes());
    expect(tap.of(SincronizarSial).filter((x) => deEsteEsquema.has(x.loteId))).toHaveLength(2);
  });
});
