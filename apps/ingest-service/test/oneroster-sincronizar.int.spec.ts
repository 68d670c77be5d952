// ingest-service pulling the sandbox's OneRoster 1.1 REST stand-in (SincronizarOneRoster, the gateway
// played by a broker tap), in-process against the real RabbitMQ and PostgreSQL: the first pull reads
// everything and registers the students; after a name changes and a student is removed, the second asks
// only for what changed since the mark (and the touched students' enrollments), updates the one, suspends
// the other and touches nobody else; a pull that fails leaves the mark; a full pull asks without a filter;
// a server that refuses the filter on user.sourcedId gets one read of all enrollments instead;
// with cursosOneRoster set, a pull notes in its lote each class the map has no course for, as a zip does.
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  AlumnoActualizado,
  ConfiguracionCambiada,
  LoteFallido,
  LoteIngestado,
  SincronizarOneRoster,
} from '@lucy/contracts';
import { RuntimeConfig } from '@lucy/runtime-config';
import { BrokerTap, CONFIGURACION_DE_PRUEBA, throwawayNames, waitFor, type TestSandbox } from '@lucy/testing';
import { startIngestUnderTest, type IngestBajoPrueba } from './support/ingest-bajo-prueba.js';

const NOMBRES = throwawayNames('orrest_oneroster');
const SCHEMA = NOMBRES.schema;
const COLECCIONES = ['students', 'classes', 'enrollments'].map((c) => `/ims/oneroster/v1p1/${c}`);

interface Peticion {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

describe('ingest-service: the OneRoster REST source', () => {
  let ingest: IngestBajoPrueba<TestSandbox>;
  let sandbox: TestSandbox;
  let app: INestApplication;
  let db: pg.Client;
  let tap: BrokerTap;

  beforeAll(async () => {
    ingest = await startIngestUnderTest({
      names: NOMBRES,
      redisDb: 11,
      // SIAL_URL points at its SIAL, never called: this suite pulls OneRoster only.
      sandbox: { oneroster: { size: 30 } },
      tap: [LoteIngestado, LoteFallido, AlumnoActualizado],
      env: (s) => ({
        ONEROSTER_URL: s?.urls.oneroster,
        ONEROSTER_AUTH: 'oauth1',
        ONEROSTER_CONSUMER_KEY: 'lucy',
        ONEROSTER_CONSUMER_SECRET: 'sandbox-oneroster-secret',
        ONEROSTER_PAGE_SIZE: '7',
        ONEROSTER_RPM: '60000',
        // A failing server fails the pull (LoteFallido) instead of opening the breaker and holding it.
        ONEROSTER_BREAKER_VOLUME_THRESHOLD: '10000',
        UMBRAL_BAJAS_PORCENTAJE: '100',
      }),
    });
    ({ sandbox, app, db, tap } = ingest);
  });

  afterAll(() => ingest?.close());

  const pull = async (completa = false) => {
    const loteId = randomUUID();
    await tap.publish(SincronizarOneRoster, { loteId, completa }, { correlationId: `lote-${loteId}` });
    return loteId;
  };
  const ingestado = (loteId: string) => waitFor(() => tap.of(LoteIngestado, { loteId })[0], `LoteIngestado ${loteId}`);
  const marca = async (): Promise<Date | null> => {
    const r = await db.query(`SELECT marca FROM "${SCHEMA}".fuente_marca WHERE fuente = 'oneroster'`);
    return r.rows[0] ? new Date(r.rows[0].marca) : null;
  };
  const alumnos = async () =>
    new Map(
      (
        await db.query(`SELECT dni, nombre, apellido, carrera, periodo, estado, updated_at FROM "${SCHEMA}".alumno`)
      ).rows.map((a) => [a.dni as string, a]),
    );
  const peticiones = async (): Promise<Peticion[]> =>
    (await sandbox.admin<{ requests: Peticion[] }>('/oneroster/requests')).requests;
  const olvidarPeticiones = () => sandbox.admin('/oneroster/requests', 'DELETE');
  const dniDe = (identifier: string | undefined) => (identifier ?? '').replace(/\D/g, '');

  let primeraMarca: Date;
  let antes: Awaited<ReturnType<typeof alumnos>>;

  it('reads everything on the first pull, as a complete list, and keeps the mark', async () => {
    const inicio = Date.now();
    const loteId = await pull();
    const r = await ingestado(loteId);
    expect(r.origen).toBe('oneroster');
    expect(r.nuevos).toBeGreaterThan(20);
    const leidas = (await peticiones()).filter((p) => COLECCIONES.includes(p.path));
    expect(new Set(leidas.map((p) => p.path))).toEqual(new Set(COLECCIONES));
    expect(leidas.every((p) => p.query.filter === undefined)).toBe(true);
    primeraMarca = (await marca())!;
    // The pull's start, less the clocks' allowance (ONEROSTER_CLOCK_SKEW_MS, 60 s by default).
    expect(primeraMarca.getTime()).toBeGreaterThanOrEqual(inicio - 60_000 - 1000);
    expect(primeraMarca.getTime()).toBeLessThanOrEqual(Date.now() - 60_000);
    antes = await alumnos();
    expect(antes.size).toBe(r.nuevos);
  });

  it('asks only for changes on the second pull: the renamed student is updated, the removed one leaves, nobody else is touched', async () => {
    const estudiantes = sandbox.oneroster.roster.users.filter(
      (u) => u.role === 'student' && !u.sourcedId.endsWith('-b') && antes.has(dniDe(u.identifier)),
    );
    const [a, b] = estudiantes;
    await sandbox.admin(`/oneroster/users/${a!.sourcedId}`, 'PATCH', { givenName: 'Renombrada' });
    await sandbox.admin(`/oneroster/users/${b!.sourcedId}`, 'DELETE');
    await olvidarPeticiones();

    const loteId = await pull();
    const r = await ingestado(loteId);
    expect(r).toMatchObject({ nuevos: 0, actualizados: 1, bajas: 1, retornos: 0 });

    const filtro = `dateLastModified>'${primeraMarca.toISOString()}'`;
    const leidas = (await peticiones()).filter((p) => COLECCIONES.includes(p.path));
    // Each collection was asked for its changes since the mark; the only other question is the touched
    // students' own enrollments (for their periodo).
    for (const c of COLECCIONES)
      expect(leidas.filter((p) => p.path === c && p.query.filter === filtro)).not.toEqual([]);
    const otras = leidas.filter((p) => p.query.filter !== filtro);
    expect(otras.map((p) => [p.path, p.query.filter]).sort()).toEqual(
      [a!, b!].map((u) => ['/ims/oneroster/v1p1/enrollments', `user.sourcedId='${u.sourcedId}'`]).sort(),
    );

    const despues = await alumnos();
    const dniA = dniDe(a!.identifier);
    const dniB = dniDe(b!.identifier);
    expect(despues.get(dniA)).toMatchObject({
      nombre: expect.stringMatching(/^Renombrada/),
      carrera: antes.get(dniA).carrera,
      periodo: antes.get(dniA).periodo,
      estado: antes.get(dniA).estado,
    });
    expect(despues.get(dniB)).toMatchObject({ estado: 'baja', periodo: antes.get(dniB).periodo });
    for (const [dni, alumno] of antes) if (dni !== dniA && dni !== dniB) expect(despues.get(dni)).toEqual(alumno);
    expect(tap.of(AlumnoActualizado, { loteId }).map((e) => e.alumno.dni)).toEqual([dniA]);
    expect((await marca())!.getTime()).toBeGreaterThan(primeraMarca.getTime());
  });

  it('leaves the mark where it was when a pull fails', async () => {
    const previa = await marca();
    sandbox.ctx.faults.set('oneroster', { errorRate: 1 });
    try {
      const loteId = await pull();
      const [f] = await waitFor(
        () => tap.of(LoteFallido, { loteId }).length > 0 && tap.of(LoteFallido, { loteId }),
        'LoteFallido',
      );
      expect(f!.motivo).toMatch(/HTTP 500/);
    } finally {
      sandbox.ctx.faults.reset('oneroster');
    }
    expect(await marca()).toEqual(previa);
  });

  it('reads without a filter when asked for a full pull, and counts it a complete list', async () => {
    const previa = (await marca())!;
    await olvidarPeticiones();
    const loteId = await pull(true);
    const r = await ingestado(loteId);
    expect(r).toMatchObject({ nuevos: 0, actualizados: 0, bajas: 0 });
    const leidas = (await peticiones()).filter((p) => COLECCIONES.includes(p.path));
    expect(new Set(leidas.map((p) => p.path))).toEqual(new Set(COLECCIONES));
    expect(leidas.every((p) => p.query.filter === undefined)).toBe(true);
    expect((await marca())!.getTime()).toBeGreaterThan(previa.getTime());
  });

  it('reads enrollments whole, once, when the server refuses a filter on user.sourcedId, and still applies the changes', async () => {
    const previa = (await marca())!;
    const actual = await alumnos();
    const [c, d] = sandbox.oneroster.roster.users.filter(
      (u) =>
        u.role === 'student' &&
        u.status === 'active' &&
        !u.sourcedId.endsWith('-b') &&
        actual.get(dniDe(u.identifier))?.estado === antes.get(dniDe(u.identifier))?.estado &&
        !/^Renombrada/.test(u.givenName),
    );
    await sandbox.admin('/oneroster/config', 'PUT', { nestedFilterFields: false });
    try {
      await sandbox.admin(`/oneroster/users/${c!.sourcedId}`, 'PATCH', { givenName: 'Refiltrada' });
      await sandbox.admin(`/oneroster/users/${d!.sourcedId}`, 'DELETE');
      await olvidarPeticiones();

      const loteId = await pull();
      const r = await ingestado(loteId);
      expect(r).toMatchObject({ nuevos: 0, actualizados: 1, bajas: 1, retornos: 0 });
    } finally {
      await sandbox.admin('/oneroster/config', 'PUT', { nestedFilterFields: true });
    }

    const inscripciones = (await peticiones()).filter((p) => p.path === '/ims/oneroster/v1p1/enrollments');
    const rechazada = inscripciones.findIndex((p) => p.query.filter?.startsWith('user.sourcedId='));
    expect(inscripciones[rechazada]).toMatchObject({ status: 400 });
    const despues = inscripciones.slice(rechazada + 1);
    // One read of the whole collection, page by page, and no other question after the refusal.
    expect(despues.every((p) => p.query.filter === undefined && p.status === 200)).toBe(true);
    expect(despues.map((p) => Number(p.query.offset))).toEqual(despues.map((_, i) => i * 7));
    expect(despues.length).toBeGreaterThan(0);

    const ahora = await alumnos();
    const dniC = dniDe(c!.identifier);
    const dniD = dniDe(d!.identifier);
    expect(ahora.get(dniC)).toMatchObject({
      nombre: expect.stringMatching(/^Refiltrada/),
      carrera: actual.get(dniC).carrera,
      periodo: actual.get(dniC).periodo,
    });
    expect(ahora.get(dniD)).toMatchObject({ estado: 'baja', periodo: actual.get(dniD).periodo });
    for (const [dni, alumno] of actual) if (dni !== dniC && dni !== dniD) expect(ahora.get(dni)).toEqual(alumno);
    expect((await marca())!.getTime()).toBeGreaterThan(previa.getTime());
  });

  it('notes in the lote each class the map has no course for, once, found by its place in the read, as a zip does', async () => {
    const { classes, enrollments, users } = sandbox.oneroster.roster;
    const [mapeada] = classes;
    await tap.publish(ConfiguracionCambiada, {
      version: 1,
      valores: { ...CONFIGURACION_DE_PRUEBA, cursosOneRoster: { [mapeada!.sourcedId]: 'CURSO-MAPEADO' } },
      cambios: ['cursosOneRoster'],
      fijadas: ['cursosOneRoster'],
      cambiadoPor: 'test',
    });
    await waitFor(() => app.get(RuntimeConfig).version === 1, 'the map in force');

    const r = await ingestado(await pull(true));
    const activos = new Set(users.filter((u) => u.role === 'student' && u.status === 'active').map((u) => u.sourcedId));
    const conAlumnos = new Set(
      enrollments
        .filter((e) => e.role === 'student' && e.status === 'active' && activos.has(e.user.sourcedId))
        .map((e) => e.class.sourcedId),
    );
    const sinCurso = classes.filter((c) => c !== mapeada && conAlumnos.has(c.sourcedId));
    expect(sinCurso.length).toBeGreaterThan(0);
    expect(r.avisos).toEqual(
      sinCurso.map((c) => ({
        fila: classes.indexOf(c) + 1,
        fuente: 'classes',
        dni: null,
        motivos: [expect.stringMatching(new RegExp(`^clase "${c.sourcedId}": ni su sourcedId ni su courseCode "`))],
      })),
    );
  });
});
