// ingest-service applying the runtime key loteTamano (the lote release window): two replicas in-process
// against the real RabbitMQ and PostgreSQL and the sandbox's SIAL, BATCH_SIZE 2, no sweep (so only the
// reaction to the change can move a lote that nobody answers). Each step builds on the one before.
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  AlumnoCreado,
  ConfiguracionCambiada,
  CuentaTeamsFallida,
  LoteIngestado,
  SincronizarSial,
  type Configuracion,
} from '@lucy/contracts';
import { RuntimeConfig } from '@lucy/runtime-config';
import { BrokerTap, throwawayNames, waitFor, CONFIGURACION_DE_PRUEBA } from '@lucy/testing';
import { LoteTamanoListener } from '../src/liberacion/lote-tamano.listener.js';
import { startIngestUnderTest, type IngestBajoPrueba } from './support/ingest-bajo-prueba.js';

const NOMBRES = throwawayNames('ingestcfg');
const SCHEMA = NOMBRES.schema;
const BATCH_SIZE = 2;
/** Seed 2027's 12 people: 9 valid new students. */
const COHORTE = { size: 12, seed: 2027, year: 2027, pageSize: 5 };
/** The sweep would run every 15 s in production; a change must be felt well before that. */
const PRONTO_MS = 5_000;

const VALORES: Configuracion = CONFIGURACION_DE_PRUEBA;

describe('ingest-service: runtime loteTamano', () => {
  let ingest: IngestBajoPrueba;
  let replicas: INestApplication[];
  let db: pg.Client;
  let tap: BrokerTap;

  beforeAll(async () => {
    ingest = await startIngestUnderTest({
      names: NOMBRES,
      redisDb: 6,
      sandbox: { sial: COHORTE },
      tap: [LoteIngestado, AlumnoCreado],
      env: {
        BATCH_SIZE: String(BATCH_SIZE),
        BATCH_SWEEP_MS: '0', // no safety net: only the reaction to the change can move a lote
        CONFIG_POLL_MS: '200',
      },
      replicas: 2,
    });
    ({ replicas, db, tap } = ingest);
  });

  afterAll(() => ingest?.close());

  const announce = (version: number, cambios: Partial<Configuracion>, fijadas: string[]) =>
    tap.publish(ConfiguracionCambiada, {
      version,
      valores: { ...VALORES, ...cambios },
      cambios: Object.keys(cambios),
      fijadas,
      cambiadoPor: 'test',
    });
  const applied = (version: number) =>
    waitFor(
      () => replicas.every((r) => r.get(RuntimeConfig).version === version),
      `version ${version} in both replicas`,
      { timeoutMs: 10_000 },
    );
  const tamanos = () => replicas.map((r) => r.get(RuntimeConfig).get('loteTamano'));
  const countState = async (loteId: string, state: string) =>
    Number(
      (
        await db.query(`SELECT count(*) FROM "${SCHEMA}".lote_item WHERE lote_id = $1 AND release_state = $2`, [
          loteId,
          state,
        ])
      ).rows[0].count,
    );
  const creados = (loteId: string) => tap.of(AlumnoCreado, { loteId });
  const responder = (alumnoId: string, loteId: string) =>
    tap.publish(
      CuentaTeamsFallida,
      { alumnoId, upn: null, motivo: 'Graph 400', permanente: true },
      { correlationId: `lote-${loteId}` },
    );
  /** Both replicas' reactions, run to the end: whatever they could release is released. */
  const pasadas = () => Promise.all(replicas.map((r) => r.get(LoteTamanoListener).liberarConVentanaNueva()));

  let loteId: string;

  it('puts at most BATCH_SIZE students of a pulled cohort in flight while nobody answers', async () => {
    loteId = randomUUID();
    await tap.publish(
      SincronizarSial,
      { loteId, fuentes: ['aspirantes', 'preinscriptos', 'ingresantes'] },
      { correlationId: `lote-${loteId}` },
    );
    await waitFor(() => tap.of(LoteIngestado, { loteId })[0], 'LoteIngestado');
    await waitFor(() => creados(loteId).length === BATCH_SIZE, 'the first window');
    expect(tamanos()).toEqual([BATCH_SIZE, BATCH_SIZE]);
    expect(await countState(loteId, 'released')).toBe(BATCH_SIZE);
    expect(await countState(loteId, 'pending')).toBe(9 - BATCH_SIZE);
  });

  it('ignores a loteTamano that no operator set (not in fijadas)', async () => {
    await announce(1, { loteTamano: 5, moodleAuth: 'manual' }, ['moodleAuth']);
    await applied(1);
    expect(tamanos()).toEqual([BATCH_SIZE, BATCH_SIZE]);
    await pasadas();
    expect(creados(loteId)).toHaveLength(BATCH_SIZE);
    expect(await countState(loteId, 'released')).toBe(BATCH_SIZE);
  });

  it('releases more students of the lote in flight as soon as the window grows, without anyone answering', async () => {
    const desde = Date.now();
    await announce(2, { loteTamano: 5 }, ['loteTamano']);
    await waitFor(() => creados(loteId).length === 5, '5 AlumnoCreado after the change', { timeoutMs: PRONTO_MS });
    expect(Date.now() - desde).toBeLessThan(PRONTO_MS);
    await applied(2);
    // Both replicas reacted (and can react again): the window holds 5, each student released once.
    await pasadas();
    expect(await countState(loteId, 'released')).toBe(5);
    expect(await countState(loteId, 'pending')).toBe(4);
    expect(creados(loteId)).toHaveLength(5);
    expect(new Set(creados(loteId).map((c) => c.alumnoId)).size).toBe(5);
  });

  it('shows the applied version in /health/ready', async () => {
    for (const replica of replicas) {
      const res = await fetch(`${await replica.getUrl()}/health/ready`);
      const body = (await res.json()) as { details: Record<string, unknown> };
      expect(body.details.configuracion).toMatchObject({
        status: 'up',
        version: 2,
        cambiadoPor: 'test',
        fijadas: ['loteTamano'],
        rechazadas: {},
      });
    }
  });

  it('keeps the larger window as the replies come', async () => {
    await responder(creados(loteId)[0]!.alumnoId, loteId);
    await waitFor(() => creados(loteId).length === 6, 'the next student, into the freed slot');
    expect(await countState(loteId, 'released')).toBe(5);
  });

  it('recalls nobody when the window shrinks, and releases again only once fewer than it are in flight', async () => {
    await announce(3, { loteTamano: 3 }, ['loteTamano']);
    await applied(3);
    await pasadas();
    expect(await countState(loteId, 'released')).toBe(5);
    expect(creados(loteId)).toHaveLength(6);

    // 5 in flight, window 3: two replies leave 3 in flight, nobody goes; the third leaves room for one.
    for (const [i, respuesta] of [1, 2].entries()) {
      await responder(creados(loteId)[respuesta]!.alumnoId, loteId);
      await waitFor(async () => (await countState(loteId, 'done')) === 2 + i, `reply ${respuesta + 1} applied`);
      // The reply's move committed with whatever it released: nothing left the pending list.
      expect(await countState(loteId, 'pending')).toBe(3);
      expect(await countState(loteId, 'released')).toBe(4 - i);
    }
    await responder(creados(loteId)[3]!.alumnoId, loteId);
    await waitFor(() => creados(loteId).length === 7, 'one student, once only 2 are in flight');
    expect(await countState(loteId, 'released')).toBe(3);
  });
});
