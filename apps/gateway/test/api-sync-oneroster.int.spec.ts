// POST /api/v1/sync/oneroster: a pull of the OneRoster server asked on demand — validated, recorded as a
// lote (origen oneroster) with its tarea, sent to ingest-service as SincronizarOneRoster (of changes, or
// ?completa=true), replayed for a retry with the same Idempotency-Key; and its jobs, with an action only
// because the source is configured here (trabajos.int.spec.ts sees them without one).
import { randomUUID } from 'node:crypto';
import { SincronizarOneRoster } from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

describe('gateway API: sync/oneroster', () => {
  let gw: TestGateway;
  let tap: BrokerTap;

  beforeAll(async () => {
    gw = await startGateway('orrest-gwsync', { ONEROSTER_URL: 'http://127.0.0.1:6217' });
    tap = await BrokerTap.open([SincronizarOneRoster], { url: gw.config.RABBITMQ_URL });
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  const enviado = (loteId: string) =>
    waitFor(
      () => tap.of(SincronizarOneRoster, { loteId }).length && tap.of(SincronizarOneRoster, { loteId }),
      `SincronizarOneRoster ${loteId}`,
    );

  it('sends a pull of changes by default, and records its lote and tarea', async () => {
    const r = await gw.api('/sync/oneroster', { method: 'POST' });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({
      loteId: expect.any(String),
      estado: 'solicitado',
      simulacion: false,
      completa: false,
      links: { lote: `/api/v1/lotes/${r.body.loteId}` },
    });
    expect(await enviado(r.body.loteId)).toEqual([{ loteId: r.body.loteId, completa: false }]);
    expect((await gw.api(`/lotes/${r.body.loteId}`)).body).toMatchObject({ origen: 'oneroster', estado: 'solicitado' });
    const tareas = (await gw.api('/tareas?tipo=sincronizacion')).body.items;
    expect(tareas.some((t: { loteId?: string }) => t.loteId === r.body.loteId)).toBe(true);
  });

  it('sends a full pull with ?completa=true, and a dry run with ?simular=true', async () => {
    const r = await gw.api('/sync/oneroster?completa=true&simular=true', { method: 'POST' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ completa: true, simulacion: true, links: { plan: expect.any(String) } });
    expect(await enviado(r.body.loteId)).toEqual([{ loteId: r.body.loteId, completa: true, simular: true }]);
  });

  it('refuses a bad query as problem+json, naming the parameter, and sends nothing', async () => {
    for (const q of ['completa=quizas', 'simular=si', 'desde=2027-01-01']) {
      const r = await gw.api(`/sync/oneroster?${q}`, { method: 'POST' });
      expect([q, r.status, r.type]).toEqual([q, 400, expect.stringMatching(/problem\+json/)]);
      expect(JSON.stringify(r.body)).toContain(q.split('=')[0]);
    }
  });

  it('is for operators only', async () => {
    const viewer = await tokenDe(gw, 'lectora', 'viewer');
    expect((await gw.api('/sync/oneroster', { method: 'POST', token: viewer })).status).toBe(403);
  });

  it('replays the answer to a retry with the same Idempotency-Key: one lote, one command', async () => {
    const key = `"${randomUUID()}"`;
    const primera = await gw.api('/sync/oneroster?completa=true', {
      method: 'POST',
      headers: { 'idempotency-key': key },
    });
    const otra = await gw.api('/sync/oneroster?completa=true', { method: 'POST', headers: { 'idempotency-key': key } });
    expect(otra.status).toBe(202);
    expect(otra.body).toEqual(primera.body);
    expect(otra.headers.get('idempotent-replayed')).toBe('true');
    await enviado(primera.body.loteId);
    expect(tap.of(SincronizarOneRoster).filter((c) => c.loteId === primera.body.loteId)).toHaveLength(1);
  });

  it('has the jobs of changes and of the weekly full pull, with an action', async () => {
    const r = await gw.api('/trabajos');
    const de = (n: string) => r.body.items.find((t: { nombre: string }) => t.nombre === n);
    expect(de('oneroster')).toMatchObject({ activo: true, cron: '30 * * * *', conAccion: true, estado: 'programado' });
    expect(de('oneroster-completa')).toMatchObject({ activo: true, cron: '0 4 * * 0', conAccion: true });
  });
});
