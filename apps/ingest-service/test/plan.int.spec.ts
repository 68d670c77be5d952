// Plans before acting, as ingest-service sees them: in-process against the real RabbitMQ and PostgreSQL and
// the sandbox's SIAL stand-in (seed 2027, 12 people: 9 valid students), the gateway played by a broker tap.
// A dry run changes nothing and its plan is what confirming it does; a lote suspending more students than
// the safeguard allows waits for an operator; a plan the registry moved under, or one dropped, is never
// applied; with aprobacionNuevos a new student waits until approved. Each step builds on the one before.
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  AlumnoActualizado,
  AlumnoCreado,
  AlumnoDadoDeBaja,
  AlumnoEnEspera,
  AprobarAlumno,
  ConfiguracionCambiada,
  ConfirmarLote,
  DescartarLote,
  LoteFallido,
  LoteIngestado,
  LotePlanificado,
  LotePlanParte,
  RegistrarLote,
  SincronizarSial,
  type AlumnoDatos,
  type Configuracion,
  type FilaAlumno,
  type ItemPlan,
  type MessageDefinition,
  type Payload,
} from '@lucy/contracts';
import { RuntimeConfig } from '@lucy/runtime-config';
import {
  BrokerTap,
  CONFIGURACION_DE_PRUEBA,
  onCommands,
  onEvents,
  throwawayNames,
  waitFor,
  type TestSandbox,
} from '@lucy/testing';
import { startIngestUnderTest, type IngestBajoPrueba } from './support/ingest-bajo-prueba.js';

const NOMBRES = throwawayNames('ingestplan');
const SCHEMA = NOMBRES.schema;
const COHORTE = { size: 12, seed: 2027, year: 2027, pageSize: 5 };
const TODAS: SincronizarSial['fuentes'] = ['aspirantes', 'preinscriptos', 'ingresantes'];
/** What a plan is made of: anything else under a dry run's correlation is an effect it must not have. */
const DEL_PLAN = [LotePlanificado.name, LotePlanParte.name];

describe('ingest-service: plans, the safeguard on leavers and the approval of new students', () => {
  let ingest: IngestBajoPrueba<TestSandbox>;
  let sandbox: TestSandbox;
  let app: INestApplication;
  let db: pg.Client;
  let tap: BrokerTap;
  let version = 0;
  /** The cohort as the registry holds it after the first pull, by DNI. */
  const cohorte = new Map<string, { id: string; datos: AlumnoDatos }>();

  beforeAll(async () => {
    ingest = await startIngestUnderTest({
      names: NOMBRES,
      redisDb: 6,
      sandbox: { sial: COHORTE },
      // Everything on both exchanges: a dry run's silence is only proven if the tap would hear anything.
      tap: [onEvents('#'), onCommands('#')],
      env: { BATCH_SIZE: '20', CONFIG_POLL_MS: '200' },
    });
    ({ sandbox, app, db, tap } = ingest);
  });

  afterAll(() => ingest?.close());

  const correlacion = (loteId: string) => ({ correlationId: `lote-${loteId}` });
  const enviar = <D extends MessageDefinition>(def: D, payload: Payload<D>, loteId: string) =>
    tap.publish(def, payload, correlacion(loteId));
  /** Every message caused under the lote's correlation, but the command that started it, by type. */
  const causados = (loteId: string) =>
    tap.messages
      .map((m) => m.env)
      .filter(
        (e) => e.correlationId === `lote-${loteId}` && ![SincronizarSial.name, RegistrarLote.name].includes(e.type),
      )
      .map((e) => e.type);
  /** The whole plan a lote was answered with: its summary and its items, every part received. */
  const planDe = async (loteId: string) => {
    const resumen = await waitFor(() => tap.of(LotePlanificado, { loteId })[0], `LotePlanificado ${loteId}`);
    const partes = await waitFor(() => {
      const p = tap.of(LotePlanParte, { loteId });
      return p.length === resumen.partes && p;
    }, `the ${resumen.partes} parts of the plan`);
    const items = partes.sort((a, b) => a.parte - b.parte).flatMap((p) => p.items);
    return { resumen, items, de: (r: ItemPlan['resultado']) => items.filter((i) => i.resultado === r) };
  };
  /** The registry, every row and column, and how many lotes and items it has: what a dry run must leave alone. */
  const registro = async () => ({
    alumnos: (await db.query(`SELECT * FROM "${SCHEMA}".alumno ORDER BY id`)).rows,
    lotes: (await db.query(`SELECT count(*)::int AS n FROM "${SCHEMA}".lote`)).rows[0].n,
    items: (await db.query(`SELECT count(*)::int AS n FROM "${SCHEMA}".lote_item`)).rows[0].n,
  });
  const pull = async (simular?: boolean) => {
    const loteId = randomUUID();
    await enviar(SincronizarSial, { loteId, fuentes: TODAS, ...(simular ? { simular } : {}) }, loteId);
    return loteId;
  };
  const upload = async (filas: FilaAlumno[], simular?: boolean) => {
    const loteId = randomUUID();
    await enviar(RegistrarLote, { loteId, nombreArchivo: 'plan.csv', filas, ...(simular ? { simular } : {}) }, loteId);
    return loteId;
  };
  const ingestado = (loteId: string) => waitFor(() => tap.of(LoteIngestado, { loteId })[0], `LoteIngestado ${loteId}`);
  const confirmar = (loteId: string, por = 'operadora') =>
    enviar(ConfirmarLote, { loteId, confirmadoPor: por }, loteId);
  const anunciar = async (cambios: Partial<Configuracion>) => {
    version++;
    await tap.publish(ConfiguracionCambiada, {
      version,
      valores: { ...CONFIGURACION_DE_PRUEBA, ...cambios },
      cambios: Object.keys(cambios),
      fijadas: Object.keys(cambios),
      cambiadoPor: 'test',
    });
    await waitFor(() => app.get(RuntimeConfig).version === version, `configuration v${version} applied`);
  };
  const fila = (d: AlumnoDatos, over: Partial<AlumnoDatos> = {}): FilaAlumno => {
    const x = { ...d, ...over };
    return {
      dni: x.dni,
      nombre: x.nombre,
      apellido: x.apellido,
      email: x.emailPersonal,
      carrera: x.carrera,
      estado: x.estado,
      periodo: x.periodo,
    };
  };
  const nueva = (dni: string): FilaAlumno => ({
    dni,
    nombre: 'Lucía',
    apellido: 'Nueva',
    email: `l${dni}@example.com`,
    carrera: 'Contador Público',
    estado: 'ingresante',
    periodo: '2027',
  });
  /** The cohort's DNIs; the dry run's step uses the first three, the later steps the others. */
  const dnis = () => [...cohorte.keys()];
  const otros = () => dnis().slice(3);
  const planDb = async (loteId: string) =>
    (await db.query(`SELECT estado, resuelto_por FROM "${SCHEMA}".plan WHERE lote_id = $1`, [loteId])).rows[0];

  it('registers the cohort in a first pull: nobody leaves, nothing waits', async () => {
    const loteId = await pull();
    expect(await ingestado(loteId)).toMatchObject({ nuevos: 9, bajas: 0 });
    for (const c of tap.of(AlumnoCreado, { loteId })) cohorte.set(c.alumno.dni, { id: c.alumnoId, datos: c.alumno });
    expect(cohorte.size).toBe(9);
  });

  it('a dry run of an upload changes nothing, and confirming it does exactly what its plan said', async () => {
    const [cambia, seVa, igual] = dnis().map((d) => cohorte.get(d)!);
    const antes = await registro();
    const filas = [
      nueva('41000001'),
      fila(cambia!.datos, { apellido: 'Cambiado' }),
      fila(seVa!.datos, { estado: 'baja' }),
      fila(igual!.datos),
      { ...nueva('41000002'), estado: 'becado' },
    ];
    const loteId = await upload(filas, true);
    const plan = await planDe(loteId);

    // Nothing but the plan went out, and the registry is as it was: no student, no lote, no item.
    expect(causados(loteId).filter((t) => !DEL_PLAN.includes(t))).toEqual([]);
    expect(await registro()).toEqual(antes);
    expect(plan.resumen).toMatchObject({
      simulado: true,
      total: 5,
      nuevos: 1,
      actualizados: 1,
      sinCambios: 1,
      bajas: 1,
      invalidos: [expect.objectContaining({ fila: 5 })],
      activos: 9,
      // One of nine is more than 5 %: the dry run says the real run would wait; confirming it is the approval.
      retencion: expect.objectContaining({ bajas: 1, activos: 9 }),
    });
    expect(plan.items.map((i) => [i.orden, i.resultado])).toEqual([
      [1, 'nuevo'],
      [2, 'actualizado'],
      [3, 'baja'],
      [4, 'sin_cambios'],
      [5, 'invalido'],
    ]);
    expect(plan.de('actualizado')[0]).toMatchObject({
      alumnoId: cambia!.id,
      cambios: ['apellido'],
      anterior: expect.objectContaining({ apellido: cambia!.datos.apellido }),
      alumno: expect.objectContaining({ apellido: 'Cambiado' }),
    });
    expect(await planDb(loteId)).toEqual({ estado: 'simulado', resuelto_por: null });

    await confirmar(loteId);
    const hecho = await ingestado(loteId);
    expect(hecho).toMatchObject({
      total: plan.resumen.total,
      nuevos: plan.resumen.nuevos,
      actualizados: plan.resumen.actualizados,
      sinCambios: plan.resumen.sinCambios,
      bajas: plan.resumen.bajas,
      invalidos: plan.resumen.invalidos,
    });
    // Each student as the plan said: the new one with the id it chose, the update with its fields, the leaver with its reason.
    const [creado] = await waitFor(
      () => tap.of(AlumnoCreado, { loteId }).length === 1 && tap.of(AlumnoCreado, { loteId }),
      'AlumnoCreado',
    );
    expect(creado).toMatchObject({ alumnoId: plan.de('nuevo')[0]!.alumnoId, alumno: plan.de('nuevo')[0]!.alumno });
    const [actualizado] = await waitFor(
      () => tap.of(AlumnoActualizado, { loteId }).length === 1 && tap.of(AlumnoActualizado, { loteId }),
      'AlumnoActualizado',
    );
    expect(actualizado).toMatchObject({
      alumnoId: plan.de('actualizado')[0]!.alumnoId,
      cambios: plan.de('actualizado')[0]!.cambios,
      alumno: plan.de('actualizado')[0]!.alumno,
    });
    const [baja] = await waitFor(
      () => tap.of(AlumnoDadoDeBaja, { loteId }).length === 1 && tap.of(AlumnoDadoDeBaja, { loteId }),
      'AlumnoDadoDeBaja',
    );
    expect(baja).toMatchObject({ alumnoId: seVa!.id, motivo: 'baja', alumno: plan.de('baja')[0]!.alumno });
    expect(await planDb(loteId)).toEqual({ estado: 'confirmado', resuelto_por: 'operadora' });
    expect(
      (await db.query(`SELECT apellido FROM "${SCHEMA}".alumno WHERE id = $1`, [cambia!.id])).rows[0].apellido,
    ).toBe('Cambiado');

    // Confirmed again (a retry): the same answer, nothing done twice.
    await confirmar(loteId);
    await waitFor(() => tap.of(LoteIngestado, { loteId }).length === 2, 'the second answer');
    expect(tap.of(AlumnoCreado, { loteId })).toHaveLength(1);
    expect(tap.of(AlumnoDadoDeBaja, { loteId })).toHaveLength(1);
  });

  it('a pull that would suspend more than the safeguard allows waits with its plan, and acts only once approved', async () => {
    const [ana] = otros().filter((d) => cohorte.get(d)!.datos.estado === 'ingresante');
    await sandbox.admin(`/sial/records/${ana}`, 'PATCH', { estado: 'egresado' });
    const antes = await registro();
    const loteId = await pull();
    const plan = await planDe(loteId);
    expect(plan.resumen).toMatchObject({ simulado: false, bajas: 1, retencion: expect.objectContaining({ bajas: 1 }) });
    expect(plan.resumen.retencion!.motivo).toMatch(/^suspendería 1 de \d+ alumnos activos .*más del 5 %/);
    expect(plan.de('baja')).toEqual([expect.objectContaining({ dni: ana, motivo: 'egresado' })]);
    expect(causados(loteId).filter((t) => !DEL_PLAN.includes(t))).toEqual([]);
    expect(await registro()).toEqual(antes);
    expect(await planDb(loteId)).toEqual({ estado: 'esperando_aprobacion', resuelto_por: null });

    await confirmar(loteId, 'jefa-de-alumnos');
    expect(await ingestado(loteId)).toMatchObject({ bajas: 1 });
    await waitFor(() => tap.of(AlumnoDadoDeBaja, { loteId }).length === 1, 'the leave, once approved');
    expect(await planDb(loteId)).toEqual({ estado: 'confirmado', resuelto_por: 'jefa-de-alumnos' });

    // Raised at run time: the next leaver goes at once.
    await anunciar({ umbralBajas: { porcentaje: 50, cantidad: 100 } });
    const [otro] = otros().filter((d) => d !== ana && cohorte.get(d)!.datos.estado === 'ingresante');
    await sandbox.admin(`/sial/records/${otro}`, 'PATCH', { estado: 'baja' });
    const siguiente = await pull();
    expect(await ingestado(siguiente)).toMatchObject({ bajas: 1 });
    expect(tap.of(LotePlanificado, { loteId: siguiente })).toEqual([]);
  });

  it('does not apply a plan the registry changed under, nor one that was dropped', async () => {
    const [x] = otros().filter((d) => cohorte.get(d)!.datos.estado !== 'ingresante');
    const datos = cohorte.get(x!)!.datos;
    const vieja = await upload([fila(datos, { nombre: 'Primera' })], true);
    await planDe(vieja);
    // Another lote changes the student meanwhile.
    const otra = await upload([fila(datos, { nombre: 'Segunda' })]);
    await ingestado(otra);
    await confirmar(vieja);
    const [fallo] = await waitFor(
      () => tap.of(LoteFallido, { loteId: vieja })[0] && tap.of(LoteFallido, { loteId: vieja }),
      'LoteFallido',
    );
    expect(fallo).toMatchObject({ permanente: true, motivo: expect.stringContaining(`DNI ${x}`) });
    expect(tap.of(AlumnoActualizado, { loteId: vieja })).toEqual([]);
    expect((await db.query(`SELECT nombre FROM "${SCHEMA}".alumno WHERE dni = $1`, [x])).rows[0].nombre).toBe(
      'Segunda',
    );
    expect(await planDb(vieja)).toEqual({ estado: 'caducado', resuelto_por: 'operadora' });

    const descartada = await upload([nueva('41000003')], true);
    await planDe(descartada);
    await enviar(DescartarLote, { loteId: descartada, descartadoPor: 'operadora' }, descartada);
    await waitFor(async () => (await planDb(descartada))?.estado === 'descartado', 'the plan dropped');
    await confirmar(descartada);
    await waitFor(() => tap.of(LoteFallido, { loteId: descartada }).length === 1, 'the refusal');
    expect(tap.of(LoteFallido, { loteId: descartada })[0]!.motivo).toBe('el plan está descartado: no se aplica');
    expect((await db.query(`SELECT 1 FROM "${SCHEMA}".alumno WHERE dni = '41000003'`)).rows).toEqual([]);
  });

  it('with aprobacionNuevos, a new student waits (AlumnoEnEspera) until approved, then is onboarded; one who left meanwhile is not', async () => {
    await anunciar({ umbralBajas: { porcentaje: 50, cantidad: 100 }, aprobacionNuevos: true });
    const loteId = await upload([nueva('42000001'), nueva('42000002')]);
    const r = await ingestado(loteId);
    const esperan = await waitFor(
      () => tap.of(AlumnoEnEspera, { loteId }).length === 2 && tap.of(AlumnoEnEspera, { loteId }),
      'both waiting',
    );
    expect(esperan.every((e) => e.enEspera)).toBe(true);
    // In the lote (not done until they are onboarded), but nobody is onboarded yet.
    expect(r.alumnoIds.sort()).toEqual(esperan.map((e) => e.alumnoId).sort());
    expect(tap.of(AlumnoCreado, { loteId })).toEqual([]);
    const [primera, segunda] = ['42000001', '42000002'].map((d) => esperan.find((e) => e.alumno.dni === d)!);

    await enviar(AprobarAlumno, { alumnoId: primera!.alumnoId, aprobadoPor: 'operadora' }, loteId);
    await waitFor(
      () => tap.of(AlumnoCreado, { alumnoId: primera!.alumnoId }).length === 1,
      'the approved one onboarded',
    );
    expect(tap.of(AlumnoCreado, { alumnoId: segunda!.alumnoId })).toEqual([]);

    // A change while waiting is shown (AlumnoEnEspera again), not sent as an update of an onboarding that does not exist.
    const cambio = await upload([{ ...nueva('42000002'), apellido: 'Corregida' }]);
    await ingestado(cambio);
    await waitFor(
      () => tap.of(AlumnoEnEspera, { alumnoId: segunda!.alumnoId }).some((e) => e.alumno.apellido === 'Corregida'),
      'the waiting student shown with the new data',
    );
    expect(tap.of(AlumnoActualizado, { alumnoId: segunda!.alumnoId })).toEqual([]);

    // She leaves before anyone approves her: approved later, she is not onboarded.
    const baja = await upload([{ ...nueva('42000002'), apellido: 'Corregida', estado: 'baja' }]);
    await ingestado(baja);
    await enviar(AprobarAlumno, { alumnoId: segunda!.alumnoId, aprobadoPor: 'operadora' }, loteId);
    await waitFor(
      () => tap.of(AlumnoEnEspera, { alumnoId: segunda!.alumnoId }).some((e) => !e.enEspera),
      'no longer waiting',
    );
    expect(tap.of(AlumnoCreado, { alumnoId: segunda!.alumnoId })).toEqual([]);
    const estados = (
      await db.query(`SELECT release_state FROM "${SCHEMA}".lote_item WHERE lote_id = $1 ORDER BY id`, [loteId])
    ).rows.map((x) => x.release_state);
    expect(estados).toEqual(['released', 'done']);
  });
});
