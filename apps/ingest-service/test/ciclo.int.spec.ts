// The student's stay as ingest-service sees it through real SIAL pulls: ingest in-process against the real
// RabbitMQ and PostgreSQL and the sandbox's SIAL stand-in (seed 2027, 12 people: 9 valid students), the
// stand-in driven between pulls through its admin API as an operator plays a year. Each step builds on
// the one before. AUSENCIAS_PARA_BAJA is 3 (its default); the safeguard on leavers is off (one leaver is
// already more than 5 % of this cohort: plan.int.spec.ts is about that).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  AlumnoActualizado,
  AlumnoCreado,
  AlumnoDadoDeBaja,
  AlumnoRetornado,
  LoteFallido,
  LoteIngestado,
  SincronizarSial,
} from '@lucy/contracts';
import { BrokerTap, throwawayNames, waitFor, type TestSandbox } from '@lucy/testing';
import { startIngestUnderTest, type IngestBajoPrueba } from './support/ingest-bajo-prueba.js';

const NOMBRES = throwawayNames('ingestciclo');
const SCHEMA = NOMBRES.schema;
const COHORTE = { size: 12, seed: 2027, year: 2027, pageSize: 5 };
/** Ingresantes of the cohort listed once: one leaves (baja), one stops being listed (absent). */
const ANA = '39232566';
const JUAN = '45539469'; // listed as " 45539469 "
/** A preinscripta whose surname SIAL corrects. */
const MARIA = '46655562';

describe('ingest-service: leavers, absences and returns through SIAL pulls', () => {
  let ingest: IngestBajoPrueba<TestSandbox>;
  let sandbox: TestSandbox;
  let db: pg.Client;
  let tap: BrokerTap;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    ingest = await startIngestUnderTest({
      names: NOMBRES,
      redisDb: 6,
      sandbox: { sial: COHORTE },
      tap: [LoteIngestado, LoteFallido, AlumnoCreado, AlumnoActualizado, AlumnoDadoDeBaja, AlumnoRetornado],
      env: {
        BATCH_SIZE: '20', // every new student released at once: the window is not what this suite is about
        AUSENCIAS_PARA_BAJA: '3',
        UMBRAL_BAJAS_PORCENTAJE: '100',
      },
    });
    ({ sandbox, db, tap } = ingest);
  });

  afterAll(() => ingest?.close());

  const publicar = async (fuentes: SincronizarSial['fuentes']) => {
    const loteId = randomUUID();
    await tap.publish(SincronizarSial, { loteId, fuentes }, { correlationId: `lote-${loteId}` });
    return loteId;
  };
  /** A whole pull of the three lists, registered: its answer. */
  const pull = async (fuentes: SincronizarSial['fuentes'] = ['aspirantes', 'preinscriptos', 'ingresantes']) => {
    const loteId = await publicar(fuentes);
    return waitFor(() => tap.of(LoteIngestado, { loteId })[0], `LoteIngestado ${loteId}`);
  };
  const registro = async (dni: string) =>
    (await db.query(`SELECT estado, motivo_baja, lista_sial, ausencias FROM "${SCHEMA}".alumno WHERE dni = $1`, [dni]))
      .rows[0];
  const bajasDe = (dni: string) => tap.of(AlumnoDadoDeBaja).filter((b) => b.alumno.dni === dni);
  const sial = (path: string, method: string, body?: unknown) => sandbox.admin(`/sial${path}`, method, body);

  it('registers the cohort, remembering the SIAL list each student is in', async () => {
    const r = await pull();
    expect(r).toMatchObject({ nuevos: 9, bajas: 0, retornos: 0, bajasDesconocidas: [] });
    for (const c of tap.of(AlumnoCreado, { loteId: r.loteId })) ids.set(c.alumno.dni, c.alumnoId);
    expect(ids.size).toBe(9);
    expect(await registro(JUAN)).toEqual({
      estado: 'ingresante',
      motivo_baja: null,
      lista_sial: 'ingresantes',
      ausencias: 0,
    });
    // Listed as aspirante and as ingresante: their list is the one of their estado.
    expect(await registro('46399413')).toMatchObject({ estado: 'ingresante', lista_sial: 'ingresantes' });
  });

  it('a student SIAL marks baja leaves (AlumnoDadoDeBaja, motivo baja); a corrected one is updated with the data before', async () => {
    await sial(`/records/${ANA}`, 'PATCH', { estado: 'baja' });
    await sial(`/records/${MARIA}`, 'PATCH', { apellido: 'DAngelo Ruiz' });
    await sial(`/records/${JUAN}`, 'DELETE');
    const r = await pull();
    expect(r).toMatchObject({ nuevos: 0, actualizados: 1, bajas: 1, retornos: 0, bajasDesconocidas: [] });
    const [baja] = await waitFor(
      () => tap.of(AlumnoDadoDeBaja, { loteId: r.loteId }).length === 1 && bajasDe(ANA),
      'the baja',
    );
    expect(baja).toMatchObject({ alumnoId: ids.get(ANA), motivo: 'baja', alumno: { dni: ANA, estado: 'baja' } });
    const [actualizado] = await waitFor(
      () =>
        tap.of(AlumnoActualizado, { loteId: r.loteId }).length === 1 && tap.of(AlumnoActualizado, { loteId: r.loteId }),
      'the update',
    );
    expect(actualizado).toMatchObject({
      alumnoId: ids.get(MARIA),
      cambios: ['apellido'],
      alumno: { apellido: 'DAngelo Ruiz' },
      anterior: { apellido: "D'Angelo", dni: MARIA },
    });
    expect(await registro(ANA)).toMatchObject({ estado: 'baja', motivo_baja: 'baja' });
    // Juan is no longer listed: his first absence.
    expect(await registro(JUAN)).toMatchObject({ motivo_baja: null, ausencias: 1 });
    expect(bajasDe(JUAN)).toEqual([]);
  });

  it('counts no absence on a pull of another list, nor on a pull that failed', async () => {
    await pull(['aspirantes']);
    expect(await registro(JUAN)).toMatchObject({ ausencias: 1 });

    const antes = sandbox.sial.config.password;
    sandbox.sial.update({ password: 'otra-clave' });
    try {
      const loteId = await publicar(['ingresantes']);
      await waitFor(() => tap.of(LoteFallido, { loteId }).length > 0, 'LoteFallido');
    } finally {
      sandbox.sial.update({ password: antes });
    }
    expect(await registro(JUAN)).toMatchObject({ ausencias: 1 });
  });

  it('a student absent from 3 complete pulls of their list leaves (AlumnoDadoDeBaja, motivo ausente), once', async () => {
    await pull();
    expect(await registro(JUAN)).toMatchObject({ motivo_baja: null, ausencias: 2 });
    expect(bajasDe(JUAN)).toEqual([]);

    const r = await pull();
    expect(r).toMatchObject({ bajas: 1, retornos: 0 });
    const [baja] = await waitFor(() => bajasDe(JUAN).length === 1 && bajasDe(JUAN), 'the absent student’s baja');
    expect(baja).toMatchObject({
      alumnoId: ids.get(JUAN),
      loteId: r.loteId,
      motivo: 'ausente',
      alumno: { dni: JUAN, nombre: 'juan pablo', estado: 'ingresante' },
    });
    expect(await registro(JUAN)).toMatchObject({ estado: 'ingresante', motivo_baja: 'ausente' });
    const item = (
      await db.query(
        `SELECT fila, fuente, resultado, motivo, release_state FROM "${SCHEMA}".lote_item WHERE lote_id = $1 AND dni = $2`,
        [r.loteId, JUAN],
      )
    ).rows;
    expect(item).toEqual([
      { fila: null, fuente: 'ingresantes', resultado: 'baja', motivo: 'ausente', release_state: 'done' },
    ]);

    // Still absent, still leaving: nothing more is sent, for him or for Ana (still marked baja).
    const otra = await pull();
    expect(otra).toMatchObject({ bajas: 0, retornos: 0, nuevos: 0, actualizados: 0 });
    expect(bajasDe(JUAN)).toHaveLength(1);
    expect(bajasDe(ANA)).toHaveLength(1);
  });

  it('students who had left and are listed as active again are back (AlumnoRetornado); an unknown leaver is reported, not onboarded', async () => {
    await sial(`/records/${ANA}`, 'PATCH', { estado: 'ingresante', email_personal: 'ana.vuelve@gmail.com' });
    await sial('/records', 'POST', { lista: 'ingresantes', dni: JUAN });
    await sial('/records', 'POST', {
      lista: 'ingresantes',
      dni: '30111222',
      nombre: 'Nadie',
      apellido: 'Conocido',
      carrera: 'Contador Público',
      estado: 'egresado',
    });
    const r = await pull();
    expect(r).toMatchObject({ nuevos: 0, actualizados: 0, bajas: 0, retornos: 2 });
    expect(r.bajasDesconocidas).toEqual([
      { fila: expect.any(Number), fuente: 'ingresantes', dni: '30111222', estado: 'egresado' },
    ]);
    const retornos = await waitFor(
      () => tap.of(AlumnoRetornado, { loteId: r.loteId }).length === 2 && tap.of(AlumnoRetornado, { loteId: r.loteId }),
      'both returns',
    );
    expect(Object.fromEntries(retornos.map((x) => [x.alumno.dni, x]))).toEqual({
      [ANA]: expect.objectContaining({
        alumnoId: ids.get(ANA),
        alumno: expect.objectContaining({ estado: 'ingresante', emailPersonal: 'ana.vuelve@gmail.com' }),
      }),
      [JUAN]: expect.objectContaining({
        alumnoId: ids.get(JUAN),
        alumno: expect.objectContaining({ estado: 'ingresante' }),
      }),
    });
    // Back, not new nor updated; and the unknown leaver set nothing in motion.
    expect(tap.of(AlumnoCreado, { loteId: r.loteId })).toEqual([]);
    expect(tap.of(AlumnoActualizado, { loteId: r.loteId })).toEqual([]);
    expect(r.alumnoIds).toEqual([]);
    expect(await registro(ANA)).toMatchObject({ estado: 'ingresante', motivo_baja: null, ausencias: 0 });
    expect(await registro(JUAN)).toMatchObject({ motivo_baja: null, ausencias: 0, lista_sial: 'ingresantes' });
    expect(await registro('30111222')).toBeUndefined();
    const lote = (
      await db.query(`SELECT bajas, retornos, bajas_desconocidas FROM "${SCHEMA}".lote WHERE id = $1`, [r.loteId])
    ).rows[0];
    expect(lote).toEqual({ bajas: 0, retornos: 2, bajas_desconocidas: r.bajasDesconocidas });
  });

  it('answers a lote id it already registered with the same counts of bajas and retornos', async () => {
    const [ultimo] = tap.of(AlumnoRetornado).slice(-1);
    const loteId = ultimo!.loteId!;
    await tap.publish(SincronizarSial, { loteId, fuentes: ['ingresantes'] }, { correlationId: `lote-${loteId}` });
    await waitFor(() => tap.of(LoteIngestado, { loteId }).length === 2, 'the second answer');
    const [a, b] = tap.of(LoteIngestado, { loteId });
    expect(b).toEqual(a);
    expect(tap.of(AlumnoRetornado, { loteId })).toHaveLength(2);
  });
});
