// ingest-service in-process against the real RabbitMQ and PostgreSQL (throwaway schema, its own queue
// name) and the sandbox's SIAL stand-in, with a small deterministic cohort (seed 2027, 12 people: DNIs
// with dots and spaces, bad emails, a re-sent form, an admitted student still listed as aspirante).
import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  AlumnoActualizado,
  AlumnoCreado,
  CuentaTeamsCreada,
  CuentaTeamsFallida,
  LoteFallido,
  LoteIngestado,
  RegistrarLote,
  SincronizarSial,
  type AlumnoDatos,
  type FilaAlumno,
} from '@lucy/contracts';
import { SecretBox } from '@lucy/platform';
import { BrokerTap, throwawayNames, waitFor, type TestSandbox } from '@lucy/testing';
import { guardToken, type DependencyGuard } from '@lucy/resilience';
import type { IngestConfig } from '../src/config.js';
import { LiberacionSweeper } from '../src/liberacion/liberacion.sweeper.js';
import { bootIngest, RETRY_DELAYS, startIngestUnderTest, type IngestBajoPrueba } from './support/ingest-bajo-prueba.js';

const NOMBRES = throwawayNames('ingest');
const SCHEMA = NOMBRES.schema;
const BATCH_SIZE = 3;
const COHORTE = { size: 12, seed: 2027, year: 2027, pageSize: 5 };

describe('ingest-service', () => {
  let ingest: IngestBajoPrueba<TestSandbox>;
  let sandbox: TestSandbox;
  let app: INestApplication;
  let db: pg.Client;
  let tap: BrokerTap;
  let config: IngestConfig;
  const box = new SecretBox([{ kid: 'test', key: randomBytes(32) }]);

  beforeAll(async () => {
    ingest = await startIngestUnderTest({
      names: NOMBRES,
      redisDb: 6,
      sandbox: { sial: COHORTE },
      tap: [LoteIngestado, LoteFallido, AlumnoCreado, AlumnoActualizado],
      env: {
        BATCH_SIZE: String(BATCH_SIZE),
        BATCH_SWEEP_MS: '0', // the test runs the sweep itself
        DB_POOL_SIZE: '4', // the database is shared with other suites
        // SIAL's breaker opens on the second failure within 2 s and probes again after 1 s: the outage test is short.
        SIAL_BREAKER_VOLUME_THRESHOLD: '2',
        SIAL_BREAKER_ROLLING_COUNT_TIMEOUT_MS: '2000',
        SIAL_BREAKER_RESET_TIMEOUT_MS: '1000',
      },
    });
    ({ sandbox, app, db, tap, config } = ingest);
  });

  afterAll(() => ingest?.close());

  const pull = async (fuentes = ['aspirantes', 'preinscriptos', 'ingresantes'] as SincronizarSial['fuentes']) => {
    const loteId = randomUUID();
    await tap.publish(SincronizarSial, { loteId, fuentes }, { correlationId: `lote-${loteId}` });
    return loteId;
  };
  const ingestado = (loteId: string) => waitFor(() => tap.of(LoteIngestado, { loteId })[0], `LoteIngestado ${loteId}`);
  const items = async (loteId: string) =>
    (
      await db.query(
        `SELECT resultado, release_state, timed_out, alumno_id FROM "${SCHEMA}".lote_item WHERE lote_id = $1 ORDER BY id`,
        [loteId],
      )
    ).rows;
  const countState = async (loteId: string, state: string) =>
    (await items(loteId)).filter((i) => i.release_state === state).length;
  const loteRow = async (loteId: string) =>
    (await db.query(`SELECT * FROM "${SCHEMA}".lote WHERE id = $1`, [loteId])).rows[0];

  const cuentaCreada = (alumnoId: string, alumno: AlumnoDatos, loteId: string) =>
    tap.publish(
      CuentaTeamsCreada,
      {
        alumnoId,
        upn: `${alumno.dni}@alumnos.example.edu`,
        graphUserId: randomUUID(),
        existente: false,
        credencial: box.seal('no-importa', alumnoId),
        credencialVersion: 1,
        alumno,
      },
      { correlationId: `lote-${loteId}` },
    );
  const cuentaFallida = (alumnoId: string, loteId: string) =>
    tap.publish(
      CuentaTeamsFallida,
      { alumnoId, upn: null, motivo: 'Graph 400', permanente: true },
      { correlationId: `lote-${loteId}` },
    );

  let primerLote: string;
  let idPorDni: Map<string, string>;

  it('registers a SIAL pull and answers LoteIngestado with every invalid row and its reasons', async () => {
    primerLote = await pull();
    const r = await ingestado(primerLote);
    expect(r).toMatchObject({ origen: 'sial', total: 14, nuevos: 9, actualizados: 0, sinCambios: 0 });
    expect(r.alumnoIds).toHaveLength(9);
    const conflicto =
      'DNI repetido en el lote con datos distintos (emailPersonal): aspirantes fila 1, aspirantes fila 2';
    expect(r.invalidos).toEqual([
      { fila: 1, fuente: 'aspirantes', dni: '45571030', motivos: [conflicto] },
      { fila: 2, fuente: 'aspirantes', dni: '45571030', motivos: [conflicto] },
      { fila: 4, fuente: 'preinscriptos', dni: '47504724', motivos: ['email personal inválido: "sofia.nunez@gmail"'] },
      {
        fila: 7,
        fuente: 'preinscriptos',
        dni: '41554623',
        motivos: ['email personal inválido: "maria..lopez@@hotmail.com"'],
      },
    ]);
    expect(await loteRow(primerLote)).toMatchObject({ estado: 'en_curso', total: 14, nuevos: 9, invalidos: 4 });
    const alumnos = (await db.query(`SELECT id, dni FROM "${SCHEMA}".alumno`)).rows;
    idPorDni = new Map(alumnos.map((a) => [a.dni, a.id]));
    expect(idPorDni.size).toBe(9);
  });

  it('releases AlumnoCreado in windows of BATCH_SIZE, one more as each account step answers', async () => {
    await waitFor(() => tap.of(AlumnoCreado, { loteId: primerLote }).length === BATCH_SIZE, 'the first window');
    expect(await countState(primerLote, 'released')).toBe(BATCH_SIZE);
    expect(await countState(primerLote, 'pending')).toBe(9 - BATCH_SIZE);

    let respondidos = 0;
    while (respondidos < 9) {
      const creados = tap.of(AlumnoCreado, { loteId: primerLote });
      expect(creados.length).toBeLessThanOrEqual(respondidos + BATCH_SIZE);
      const siguiente = creados[respondidos];
      if (!siguiente) throw new Error(`no AlumnoCreado #${respondidos + 1} to answer`);
      // One failure among the replies: a failed account frees its slot too.
      if (respondidos === 4) await cuentaFallida(siguiente.alumnoId, primerLote);
      else await cuentaCreada(siguiente.alumnoId, siguiente.alumno, primerLote);
      respondidos++;
      const esperados = Math.min(9, respondidos + BATCH_SIZE);
      await waitFor(
        () => tap.of(AlumnoCreado, { loteId: primerLote }).length === esperados,
        `${esperados} AlumnoCreado`,
      );
    }
    await waitFor(async () => (await loteRow(primerLote)).estado === 'completado', 'the lote completed');
    expect(await countState(primerLote, 'done')).toBe(9);

    const creados = tap.of(AlumnoCreado, { loteId: primerLote });
    expect(new Set(creados.map((c) => c.alumnoId)).size).toBe(9);
    const porDni = new Map(creados.map((c) => [c.alumno.dni, c.alumno]));
    // " 45539469 ", "  juan  pablo ", "NÚÑEZ": trimmed and collapsed, case and accents kept.
    expect(porDni.get('45539469')).toMatchObject({
      nombre: 'juan pablo',
      apellido: 'NÚÑEZ',
      estado: 'ingresante',
      emailInstitucional: 'dalessandro.florencia@estudiantes.unrc.edu.ar',
    });
    expect(porDni.get('45970750')).toMatchObject({ emailPersonal: 'martin.gomez@gmail.com' });
    expect(porDni.get('46449687')).toMatchObject({ emailPersonal: null });
    // "46.399.413" listed as aspirante and as ingresante: one student, admitted.
    expect(porDni.get('46399413')).toMatchObject({ estado: 'ingresante', apellido: 'Pérez' });
    expect(porDni.get('46655562')).toMatchObject({
      apellido: "D'Angelo",
      estado: 'preinscripto',
      periodo: '2027',
      carrera: 'Licenciatura en Administración',
    });
  });

  it('on a second pull after SIAL changed a record, emits one AlumnoActualizado with its changes and nothing for the unchanged', async () => {
    sandbox.sial.advance();
    const loteId = await pull();
    const r = await ingestado(loteId);
    expect(r).toMatchObject({ total: 14, nuevos: 2, actualizados: 1, sinCambios: 8 });
    expect(r.invalidos.map((i) => i.dni)).toEqual(['47504724', '41554623']);

    await waitFor(
      () => tap.of(AlumnoActualizado, { loteId }).length === 1 && tap.of(AlumnoCreado, { loteId }).length === 2,
      'the update and the two new students',
    );
    const [actualizado] = tap.of(AlumnoActualizado, { loteId });
    expect(actualizado).toMatchObject({
      alumnoId: idPorDni.get('46655562'),
      cambios: ['apellido'],
      alumno: { apellido: "D'Ángelo" },
    });
    // The re-sent form is gone: Brenda, now admitted, is new; Maitena is a late pre-registration.
    expect(
      tap
        .of(AlumnoCreado, { loteId })
        .map((c) => [c.alumno.dni, c.alumno.estado])
        .sort(),
    ).toEqual([
      ['45571030', 'ingresante'],
      ['45991255', 'preinscripto'],
    ]);
    const outcome = await items(loteId);
    expect(outcome.filter((i) => i.resultado === 'sin_cambios')).toHaveLength(8);
    expect(outcome.filter((i) => i.resultado === 'sin_cambios').every((i) => i.release_state === null)).toBe(true);
  });

  it('a pull in which nothing changed sets no student in motion, and its lote is complete at once', async () => {
    const loteId = await pull();
    const r = await ingestado(loteId);
    expect(r).toMatchObject({ total: 14, nuevos: 0, actualizados: 0, sinCambios: 11, alumnoIds: [] });
    expect(r.invalidos).toHaveLength(2); // still listed with their reasons
    expect(await loteRow(loteId)).toMatchObject({ estado: 'completado' });
    expect(tap.of(AlumnoCreado, { loteId })).toEqual([]);
    expect(tap.of(AlumnoActualizado, { loteId })).toEqual([]);
  });

  it('an upload whose rows are all invalid (an all-zeros DNI, emails over RFC 5321 limits) is complete, every reason listed', async () => {
    const loteId = randomUUID();
    const base = { nombre: 'Ana', apellido: 'Paz', carrera: 'Contador Público', estado: 'ingresante', periodo: '2027' };
    const filas: FilaAlumno[] = [
      { ...base, dni: '0000000' },
      { ...base, dni: '33444555', emailPersonal: `${'a'.repeat(300)}@gmail.com` },
      {
        ...base,
        dni: '33444556',
        emailInstitucional: `${'b'.repeat(64)}@${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(59)}.ar`,
      },
    ];
    await tap.publish(
      RegistrarLote,
      { loteId, nombreArchivo: 'malos.csv', filas },
      { correlationId: `lote-${loteId}` },
    );
    const r = await ingestado(loteId);
    expect(r).toMatchObject({ total: 3, nuevos: 0, actualizados: 0, sinCambios: 0, alumnoIds: [] });
    expect(r.invalidos).toEqual([
      { fila: 1, fuente: 'malos.csv', dni: '0000000', motivos: ['DNI inválido "0000000": es todo ceros'] },
      {
        fila: 2,
        fuente: 'malos.csv',
        dni: '33444555',
        motivos: ['email personal inválido: la parte antes de la @ tiene 300 caracteres (máximo 64, RFC 5321)'],
      },
      {
        fila: 3,
        fuente: 'malos.csv',
        dni: '33444556',
        motivos: ['email institucional inválido: tiene 255 caracteres (máximo 254, RFC 5321)'],
      },
    ]);
    expect(await loteRow(loteId)).toMatchObject({ estado: 'completado' });
    expect(tap.of(AlumnoCreado, { loteId })).toEqual([]);
  });

  it('registers an upload with mixed rows: the valid ones as new or updated, the invalid ones with every reason', async () => {
    const loteId = randomUUID();
    const filas: FilaAlumno[] = [
      {
        dni: '30.111.222',
        nombre: ' Ana  Belén ',
        apellido: "O'Connor",
        emailPersonal: 'ANA@Example.com',
        carrera: 'Contador Público',
        estado: 'Ingresante',
        periodo: '2027',
      },
      // Matías is known (from SIAL): the file moves him to another career and has no email columns.
      {
        dni: '48564485',
        nombre: 'Matías',
        apellido: 'Díaz',
        carrera: 'Contador Público',
        estado: 'preinscripto',
        periodo: '2027',
      },
      {
        dni: '12-345',
        nombre: '',
        apellido: null,
        emailPersonal: 'no-es-un-email',
        carrera: 'Contador Público',
        estado: 'becado',
        periodo: '2027',
      },
      {
        dni: '31000000',
        nombre: 'Uno',
        apellido: 'Repetido',
        carrera: 'Contador Público',
        estado: 'aspirante',
        periodo: '2027',
      },
      {
        dni: '31.000.000',
        nombre: 'Otro',
        apellido: 'Repetido',
        carrera: 'Contador Público',
        estado: 'aspirante',
        periodo: '2027',
      },
    ];
    await tap.publish(
      RegistrarLote,
      { loteId, nombreArchivo: 'ingresantes.csv', filas },
      { correlationId: `lote-${loteId}` },
    );
    const r = await ingestado(loteId);
    expect(r).toMatchObject({ origen: 'upload', total: 5, nuevos: 1, actualizados: 1, sinCambios: 0 });
    expect(r.invalidos).toEqual([
      {
        fila: 3,
        fuente: 'ingresantes.csv',
        dni: '12-345',
        motivos: [
          'DNI inválido "12-345": debe tener 7 u 8 dígitos (sin contar puntos ni espacios)',
          'falta el nombre',
          'falta el apellido',
          'email personal inválido: "no-es-un-email"',
          'estado desconocido: "becado" (aspirante, preinscripto, ingresante, baja, egresado)',
        ],
      },
      {
        fila: 4,
        fuente: 'ingresantes.csv',
        dni: '31000000',
        motivos: [
          'DNI repetido en el lote con datos distintos (nombre): ingresantes.csv fila 4, ingresantes.csv fila 5',
        ],
      },
      {
        fila: 5,
        fuente: 'ingresantes.csv',
        dni: '31000000',
        motivos: [
          'DNI repetido en el lote con datos distintos (nombre): ingresantes.csv fila 4, ingresantes.csv fila 5',
        ],
      },
    ]);
    await waitFor(
      () => tap.of(AlumnoCreado, { loteId }).length === 1 && tap.of(AlumnoActualizado, { loteId }).length === 1,
      'the new and the updated student',
    );
    expect(tap.of(AlumnoCreado, { loteId })[0]!.alumno).toEqual({
      dni: '30111222',
      nombre: 'Ana Belén',
      apellido: "O'Connor",
      emailPersonal: 'ana@example.com',
      emailInstitucional: null,
      carrera: 'Contador Público',
      estado: 'ingresante',
      periodo: '2027',
    });
    expect(tap.of(AlumnoActualizado, { loteId })[0]).toMatchObject({
      alumnoId: idPorDni.get('48564485'),
      cambios: ['carrera'],
      alumno: { emailPersonal: null, carrera: 'Contador Público' },
    });
  });

  it('answers a lote id it already registered with the same LoteIngestado, registering nothing twice', async () => {
    await tap.publish(
      SincronizarSial,
      { loteId: primerLote, fuentes: ['aspirantes'] },
      { correlationId: `lote-${primerLote}` },
    );
    await waitFor(() => tap.of(LoteIngestado, { loteId: primerLote }).length === 2, 'the second answer');
    const [a, b] = tap.of(LoteIngestado, { loteId: primerLote });
    expect(b).toEqual(a);
    expect(await items(primerLote)).toHaveLength(13); // 9 students and 4 invalid rows, as before
  });

  it('moves a lote on when account replies are lost, once BATCH_RELEASE_TIMEOUT_MS has passed', async () => {
    const loteId = randomUUID();
    const filas = Array.from({ length: 5 }, (_, i) => ({
      dni: String(32_000_000 + i),
      nombre: `Nombre${i}`,
      apellido: 'Perdido',
      carrera: 'Contador Público',
      estado: 'aspirante',
      periodo: '2027',
    }));
    await tap.publish(RegistrarLote, { loteId, nombreArchivo: null, filas }, { correlationId: `lote-${loteId}` });
    await ingestado(loteId);
    await waitFor(() => tap.of(AlumnoCreado, { loteId }).length === BATCH_SIZE, 'the first window');

    const sweeper = app.get(LiberacionSweeper);
    await sweeper.barrer();
    expect(await countState(loteId, 'pending')).toBe(2); // not overdue yet: nothing moves

    await db.query(
      `UPDATE "${SCHEMA}".lote_item SET released_at = now() - interval '1 hour' WHERE lote_id = $1 AND release_state = 'released'`,
      [loteId],
    );
    await sweeper.barrer();
    await waitFor(() => tap.of(AlumnoCreado, { loteId }).length === 5, 'the rest of the lote');
    const estado = await items(loteId);
    expect(estado.filter((i) => i.timed_out)).toHaveLength(BATCH_SIZE);
    expect(estado.filter((i) => i.release_state === 'released')).toHaveLength(2);
  });

  it('answers LoteFallido, permanent, when SIAL refuses the credentials', async () => {
    const antes = sandbox.sial.config.password;
    sandbox.sial.update({ password: 'otra-clave' });
    try {
      const loteId = await pull(['ingresantes']);
      const [f] = await waitFor(
        () => tap.of(LoteFallido, { loteId }).length > 0 && tap.of(LoteFallido, { loteId }),
        'LoteFallido',
      );
      expect(f).toMatchObject({ loteId, permanente: true });
      expect(f!.motivo).toContain('HTTP 401');
      expect(await loteRow(loteId)).toMatchObject({ estado: 'fallido' });
    } finally {
      sandbox.sial.update({ password: antes });
    }
  });

  it('holds a pull while SIAL answers 5xx (its breaker open, no attempt spent, no LoteFallido) and registers it once SIAL is back', async () => {
    const guard = app.get<DependencyGuard>(guardToken('sial'));
    await waitFor(() => guard.describe().window.fires === 0, 'a quiet breaker window', { timeoutMs: 5_000 });
    sandbox.ctx.faults.set('sial', { errorRate: 1 });
    let loteId: string;
    try {
      loteId = await pull(['ingresantes']);
      await waitFor(() => guard.state === 'open', 'the SIAL breaker to open', { timeoutMs: 10_000 });
      // Past every retry delay, probing each second: the pull still waits.
      const since = Date.now();
      await waitFor(
        () => Date.now() - since > RETRY_DELAYS.reduce((a, b) => a + b, 0) * 3 && guard.state !== 'closed',
        'a few probes',
        { timeoutMs: 10_000 },
      );
      expect(tap.of(LoteFallido, { loteId })).toHaveLength(0);
    } finally {
      sandbox.ctx.faults.reset('sial');
    }
    await ingestado(loteId);
    expect(tap.of(LoteFallido, { loteId })).toHaveLength(0);
    expect(guard.state).toBe('closed');
  }, 60_000);

  it('registers a pull of 3,000 students as one lote and puts only BATCH_SIZE of them in flight', async () => {
    sandbox.sial.update({ size: 3000, seed: 7, revision: 0, pageSize: 1000 });
    const inicio = Date.now();
    const loteId = await pull();
    const r = await ingestado(loteId);
    const ms = Date.now() - inicio;
    expect(r.nuevos + r.actualizados).toBeGreaterThan(2900);
    expect(r.alumnoIds).toHaveLength(r.nuevos + r.actualizados);
    expect(ms).toBeLessThan(15_000);
    await waitFor(() => tap.of(AlumnoCreado, { loteId }).length === BATCH_SIZE, 'the first window');
    expect(await countState(loteId, 'released')).toBe(BATCH_SIZE);
    expect(await countState(loteId, 'pending')).toBeGreaterThan(2800);
  });

  it('moves a window exactly once per reply when two replicas take the replies at the same time', async () => {
    const replica = await bootIngest(config);
    try {
      const loteId = randomUUID();
      const filas: FilaAlumno[] = Array.from({ length: 40 }, (_, i) => ({
        dni: String(33_000_000 + i),
        nombre: `N${i}`,
        apellido: 'Réplica',
        carrera: 'Contador Público',
        estado: 'aspirante',
        periodo: '2027',
      }));
      await tap.publish(
        RegistrarLote,
        { loteId, nombreArchivo: 'replicas.csv', filas },
        { correlationId: `lote-${loteId}` },
      );
      await ingestado(loteId);
      for (let ronda = 1; ronda <= 4; ronda++) {
        const enVuelo = tap.of(AlumnoCreado, { loteId }).slice(-BATCH_SIZE);
        await Promise.all(enVuelo.map((c) => cuentaCreada(c.alumnoId, c.alumno, loteId)));
        await waitFor(
          () => tap.of(AlumnoCreado, { loteId }).length === BATCH_SIZE * (ronda + 1),
          `window ${ronda + 1}`,
        );
        await waitFor(async () => (await countState(loteId, 'done')) === BATCH_SIZE * ronda, `round ${ronda} done`);
        expect(await countState(loteId, 'released')).toBe(BATCH_SIZE);
      }
      const creados = tap.of(AlumnoCreado, { loteId }).map((c) => c.alumno.dni);
      expect(new Set(creados).size).toBe(creados.length);
      // Released in the lote's order (two replicas' relays may deliver them in another)
      expect([...creados].sort()).toEqual(filas.slice(0, creados.length).map((f) => String(f.dni)));
    } finally {
      await replica.close();
    }
  });
});
