// A lote's plan on the gateway, with ingest-service played by a broker tap: a dry run of a pull or an upload
// is asked with ?simular=true and records nothing but the lote; the plan ingest answers with is shown paged,
// with its actions, fields before and after and courses; an operator confirms, approves or drops it (each
// audited); a lote the safeguard held waits with its reason. New students waiting for approval are listed
// and approved one by one or in bulk.
import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  AlumnoEnEspera,
  AprobarAlumno,
  ConfirmarLote,
  DescartarLote,
  LoteIngestado,
  LotePlanificado,
  LotePlanParte,
  RegistrarLote,
  SincronizarSial,
  type AlumnoDatos,
  type ItemPlan,
  type LotePlanificado as Planificado,
} from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

const datos = (dni: string, over: Partial<AlumnoDatos> = {}): AlumnoDatos => ({
  dni,
  nombre: 'Ana',
  apellido: 'Paz',
  emailPersonal: `a${dni}@example.com`,
  emailInstitucional: null,
  carrera: 'Contador Público',
  estado: 'ingresante',
  periodo: '2027',
  ...over,
});
const item = (orden: number, over: Partial<ItemPlan>): ItemPlan => ({
  orden,
  resultado: 'sin_cambios',
  fila: orden,
  fuente: 'ingresantes',
  dni: `4000000${orden}`,
  alumnoId: randomUUID(),
  alumno: datos(`4000000${orden}`),
  anterior: datos(`4000000${orden}`),
  cambios: [],
  motivo: null,
  motivos: [],
  enEspera: false,
  ...over,
});
/** A plan of every kind of row: new, updated (a new estado), unchanged, leaving, back, absent, invalid. */
const ITEMS: ItemPlan[] = [
  item(1, { resultado: 'nuevo', anterior: null }),
  item(2, {
    resultado: 'actualizado',
    alumno: datos('40000002', { estado: 'ingresante', apellido: 'Paz Ruiz' }),
    anterior: datos('40000002', { estado: 'preinscripto' }),
    cambios: ['apellido', 'estado'],
  }),
  item(3, {}),
  item(4, {
    resultado: 'baja',
    alumno: datos('40000004', { estado: 'egresado' }),
    motivo: 'egresado',
    cambios: ['estado'],
  }),
  item(5, { resultado: 'retorno', anterior: datos('40000005', { estado: 'baja' }), cambios: ['estado'] }),
  item(6, { resultado: 'baja', fila: null, motivo: 'ausente' }),
  item(7, {
    resultado: 'invalido',
    alumno: null,
    anterior: null,
    alumnoId: null,
    dni: '12',
    motivos: ['DNI inválido'],
  }),
];
const resumen = (loteId: string, over: Partial<Planificado> = {}): Planificado => ({
  loteId,
  origen: 'sial',
  simulado: true,
  total: 6,
  nuevos: 1,
  actualizados: 1,
  sinCambios: 1,
  bajas: 2,
  retornos: 1,
  invalidos: [{ fila: 7, fuente: 'ingresantes', dni: '12', motivos: ['DNI inválido'] }],
  bajasDesconocidas: [],
  enEspera: 0,
  activos: 20,
  retencion: {
    motivo:
      'suspendería 2 de 20 alumnos activos (10 %): más del 5 % de los activos; espera la aprobación de un operador',
    bajas: 2,
    activos: 20,
    umbral: { porcentaje: 5, cantidad: 100 },
  },
  items: ITEMS.length,
  partes: 2,
  ...over,
});

describe('gateway API: a lote’s plan, its confirmation, and students waiting for approval', () => {
  let gw: TestGateway;
  let tap: BrokerTap;
  let operador: string;

  beforeAll(async () => {
    gw = await startGateway('gwplan');
    tap = await BrokerTap.open([SincronizarSial, RegistrarLote, ConfirmarLote, DescartarLote, AprobarAlumno], {
      url: gw.config.RABBITMQ_URL,
    });
    operador = await tokenDe(gw, 'operadora', 'operator');
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  const lote = async (id: string) => (await gw.api(`/lotes/${id}`)).body;
  const auditoria = async (loteId: string) =>
    (
      await gw.db.query(
        `SELECT evento, actor, detalle FROM "${gw.config.DB_SCHEMA}".auditoria WHERE lote_id = $1 ORDER BY id`,
        [loteId],
      )
    ).rows;
  const tareas = async (loteId: string) => (await gw.api(`/tareas?loteId=${loteId}`)).body.items;
  /** ingest-service's answer: the summary and the items in two parts, the second first. */
  const planificar = async (loteId: string, over: Partial<Planificado> = {}, items = ITEMS) => {
    const conId = items.map((i) => ({ ...i }));
    await tap.publish(LotePlanParte, { loteId, parte: 2, items: conId.slice(4) });
    await tap.publish(LotePlanificado, resumen(loteId, { items: items.length, ...over }));
    await waitFor(async () => (await lote(loteId)).plan?.recibidos === items.slice(4).length, 'the second part');
    await tap.publish(LotePlanParte, { loteId, parte: 1, items: conId.slice(0, 4) });
    await waitFor(async () => (await lote(loteId)).plan?.completo, 'the whole plan');
  };

  it('a dry run of a pull records nothing but the lote, and shows the plan ingest answers with, paged, per student', async () => {
    const r = await gw.api('/sync/sial?simular=true', { body: { fuentes: ['ingresantes'] }, token: operador });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ simulacion: true, links: { plan: `/api/v1/lotes/${r.body.loteId}/plan` } });
    const loteId = r.body.loteId as string;
    const [cmd] = await waitFor(
      () => tap.of(SincronizarSial, { loteId }).length && tap.of(SincronizarSial, { loteId }),
      'SincronizarSial',
    );
    expect(cmd).toEqual({ loteId, fuentes: ['ingresantes'], simular: true });
    // No audit entry, no tarea: the lote row is the whole record of a dry run until it is confirmed.
    expect(await auditoria(loteId)).toEqual([]);
    expect(await tareas(loteId)).toEqual([]);

    const faltan = await gw.api(`/lotes/${loteId}/confirmar`, { method: 'POST', token: operador });
    expect(faltan.status).toBe(409); // nothing to confirm yet

    await planificar(loteId);
    const l = await lote(loteId);
    expect(l).toMatchObject({
      estado: 'simulado',
      simulacion: true,
      plan: {
        simulado: true,
        acciones: { crear: 1, actualizar: 1, suspender: 2, retornar: 1, ninguna: 1, invalidas: 1, enEspera: 0 },
        retencion: { bajas: 2, activos: 20 },
        items: 7,
        recibidos: 7,
        completo: true,
        resolucion: null,
      },
      ingesta: { nuevos: null },
    });
    expect((await gw.api('/lotes?estado=simulado')).body.items.map((x: { id: string }) => x.id)).toContain(loteId);

    const plan = (await gw.api(`/lotes/${loteId}/plan`)).body;
    expect(plan).toMatchObject({
      estado: 'simulado',
      total: 7,
      resumen: { crear: 1, actualizar: 1, suspender: 2, retornar: 1, ninguna: 1, invalida: 1, cursos: 2 },
    });
    expect(plan.items.map((i: { accion: string }) => i.accion)).toEqual([
      'crear',
      'actualizar',
      'ninguna',
      'suspender',
      'retornar',
      'suspender',
      'invalida',
    ]);
    const [crear, actualizar, , suspender] = plan.items;
    // No course map set by an operator: the courses are moodle-service's, named by estado and periodo.
    expect(crear.cursos).toEqual({
      estado: 'ingresante',
      periodo: '2027',
      inscribir: null,
      desinscribir: [],
      // A SIAL student: their source states no courses.
      deLaFuente: [],
      nota: 'los cursos de ingresante 2027 que asigna moodle-service',
    });
    expect(actualizar.cambios).toEqual([
      { campo: 'apellido', antes: 'Paz', despues: 'Paz Ruiz' },
      { campo: 'estado', antes: 'preinscripto', despues: 'ingresante' },
    ]);
    expect(suspender).toMatchObject({ motivo: 'egresado', efectos: [expect.stringContaining('suspender (egresado)')] });

    const pagina = (await gw.api(`/lotes/${loteId}/plan?accion=suspender&limit=1&offset=1`)).body;
    expect(pagina).toMatchObject({
      total: 2,
      limit: 1,
      offset: 1,
      items: [{ orden: 6, motivo: 'ausente', fila: null }],
    });
  });

  it('names the courses from the configuration once an operator has set them', async () => {
    const cambio = await gw.api('/config', {
      method: 'PATCH',
      body: {
        valores: {
          cursos: { ingresante: { '*': ['ING-INTRO'], '2027': ['ING-2027'] }, preinscripto: { '*': ['PRE-AMB'] } },
          cursosAnteriores: 'desenrolar',
        },
      },
    });
    expect(cambio.status).toBe(200);
    const { loteId } = (await gw.api('/sync/sial?simular=true', { body: {} })).body;
    await planificar(loteId);
    const [crear, actualizar] = (await gw.api(`/lotes/${loteId}/plan?limit=2`)).body.items;
    expect(crear.cursos).toMatchObject({ inscribir: ['ING-2027', 'ING-INTRO'], desinscribir: [] });
    expect(actualizar.cursos).toMatchObject({ inscribir: ['ING-2027', 'ING-INTRO'], desinscribir: ['PRE-AMB'] });
    expect(actualizar.efectos).toEqual(expect.arrayContaining(['desenrolar de PRE-AMB']));
  });

  it('confirming a dry run sends ingest-service the confirmation, audited with who, and starts its tarea; only once', async () => {
    const { loteId } = (
      await gw.api('/lotes?simular=true', { body: { filas: [{ dni: '40000001' }] }, token: operador })
    ).body;
    const [cmd] = await waitFor(
      () => tap.of(RegistrarLote, { loteId }).length && tap.of(RegistrarLote, { loteId }),
      'RegistrarLote',
    );
    expect(cmd).toMatchObject({ simular: true });
    await planificar(loteId, { origen: 'upload' });

    const r = await gw.api(`/lotes/${loteId}/confirmar`, {
      method: 'POST',
      token: operador,
      body: { motivo: 'revisado' },
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ loteId, estado: 'solicitado', resolucion: 'confirmado', por: 'operadora' });
    await waitFor(() => tap.of(ConfirmarLote, { loteId }).length === 1, 'ConfirmarLote');
    expect(tap.of(ConfirmarLote, { loteId })[0]).toEqual({ loteId, confirmadoPor: 'operadora' });
    expect(await auditoria(loteId)).toEqual([
      expect.objectContaining({
        evento: 'accion.confirmar-lote',
        actor: 'operadora',
        detalle: expect.objectContaining({ motivo: 'revisado' }),
      }),
    ]);
    expect(await tareas(loteId)).toEqual([
      expect.objectContaining({ tipo: 'carga', actor: 'operadora', estado: 'en_curso' }),
    ]);
    expect((await lote(loteId)).plan.resolucion).toMatchObject({ accion: 'confirmado', por: 'operadora' });

    const otra = await gw.api(`/lotes/${loteId}/confirmar`, { method: 'POST', token: operador });
    expect(otra.status).toBe(409);
    expect(otra.body.detail).toMatch(/está solicitado/);
    const viewer = await tokenDe(gw, 'mirona', 'viewer');
    expect((await gw.api(`/lotes/${loteId}/descartar`, { method: 'POST', token: viewer })).status).toBe(403);

    // ingest-service applies it: the lote goes on as any other.
    await tap.publish(LoteIngestado, {
      loteId,
      origen: 'upload',
      total: 6,
      nuevos: 1,
      actualizados: 1,
      sinCambios: 1,
      invalidos: [],
      alumnoIds: [],
      bajas: 2,
      retornos: 1,
    });
    await waitFor(async () => (await lote(loteId)).estado === 'terminado', 'the lote ingested');
    // A plan announced again afterwards (ingest answering a retry) changes nothing.
    const otraVez = await tap.publish(LotePlanificado, resumen(loteId));
    await waitFor(
      async () =>
        (await gw.db.query(`SELECT 1 FROM "${gw.config.DB_SCHEMA}".inbox WHERE message_id = $1`, [otraVez.messageId]))
          .rows.length === 1,
      'the plan heard again',
    );
    expect((await lote(loteId)).estado).toBe('terminado');
  });

  it('a lote the safeguard held waits with its reason until approved (audited), or is dropped', async () => {
    const { loteId } = (await gw.api('/sync/sial', { body: {}, token: operador })).body;
    await planificar(loteId, { simulado: false });
    const l = await lote(loteId);
    expect(l).toMatchObject({ estado: 'esperando_aprobacion', simulacion: false, plan: { simulado: false } });
    expect(l.plan.retencion.motivo).toMatch(/^suspendería 2 de 20/);
    expect((await auditoria(loteId)).map((a) => a.evento)).toEqual([
      'accion.sincronizar-sial',
      'lote.esperando-aprobacion',
    ]);

    const r = await gw.api(`/lotes/${loteId}/aprobar`, { method: 'POST', body: { motivo: 'egresos de fin de año' } });
    expect(r.body).toMatchObject({ resolucion: 'aprobado', por: 'admin' });
    await waitFor(() => tap.of(ConfirmarLote, { loteId }).length === 1, 'the approval sent');
    expect(tap.of(ConfirmarLote, { loteId })[0]!.confirmadoPor).toBe('admin');
    expect((await auditoria(loteId)).at(-1)).toMatchObject({ evento: 'accion.aprobar-lote', actor: 'admin' });
    // The plan announced again after the decision (ingest answering a retry) is no new wait to audit.
    const otraVez = await tap.publish(LotePlanificado, resumen(loteId, { simulado: false }));
    await waitFor(
      async () =>
        (await gw.db.query(`SELECT 1 FROM "${gw.config.DB_SCHEMA}".inbox WHERE message_id = $1`, [otraVez.messageId]))
          .rows.length === 1,
      'the plan heard again',
    );
    expect((await auditoria(loteId)).filter((a) => a.evento === 'lote.esperando-aprobacion')).toHaveLength(1);

    const otro = (await gw.api('/sync/sial', { body: {} })).body.loteId as string;
    await planificar(otro, { simulado: false });
    expect((await gw.api(`/lotes/${otro}/descartar`, { method: 'POST', token: operador })).status).toBe(202);
    await waitFor(() => tap.of(DescartarLote, { loteId: otro }).length === 1, 'DescartarLote');
    expect(tap.of(DescartarLote, { loteId: otro })[0]).toEqual({ loteId: otro, descartadoPor: 'operadora' });
    expect(await lote(otro)).toMatchObject({
      estado: 'descartado',
      plan: { resolucion: { accion: 'descartado', por: 'operadora' } },
    });
    expect(await tareas(otro)).toEqual([expect.objectContaining({ estado: 'fallida' })]);
    expect((await gw.api(`/lotes/${otro}/aprobar`, { method: 'POST' })).status).toBe(409);
    expect(tap.of(ConfirmarLote, { loteId: otro })).toEqual([]);
    expect((await gw.api(`/lotes/${randomUUID()}/confirmar`, { method: 'POST' })).status).toBe(404);
  });

  it('lists new students waiting for approval, and approves them in bulk, once', async () => {
    const { loteId } = (await gw.api('/lotes', { body: { filas: [{ dni: '1' }] } })).body;
    const ids = [randomUUID(), randomUUID()];
    for (const [i, alumnoId] of ids.entries())
      await tap.publish(AlumnoEnEspera, { alumnoId, loteId, alumno: datos(`4100000${i}`), enEspera: true });
    await tap.publish(LoteIngestado, {
      loteId,
      origen: 'upload',
      total: 2,
      nuevos: 2,
      actualizados: 0,
      sinCambios: 0,
      invalidos: [],
      alumnoIds: ids,
    });
    const esperando = async () => (await gw.api(`/alumnos?loteId=${loteId}&workflow=pendiente_aprobacion`)).body;
    await waitFor(async () => (await esperando()).total === 2, 'both listed as waiting');
    expect((await esperando()).items[0]).toMatchObject({ workflow: { estado: 'pendiente_aprobacion' }, upn: null });
    expect(await lote(loteId)).toMatchObject({ estado: 'ingestado', esperanAprobacion: 2, pendientes: 2 });
    const detalle = (await gw.api(`/alumnos/${ids[0]}`)).body;
    expect(detalle).toMatchObject({
      workflow: { estado: 'pendiente_aprobacion', pasos: [] },
      acciones: [{ accion: 'aprobar' }],
      alumno: { dni: '41000000' },
    });

    const r = await gw.api('/acciones', {
      body: { accion: 'aprobar', filtro: { loteId, workflow: 'pendiente_aprobacion' } },
      token: operador,
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ total: 2, iniciados: 2, rechazados: 0 });
    await waitFor(
      () => ids.every((alumnoId) => tap.of(AprobarAlumno, { alumnoId }).length === 1),
      'both approvals sent',
    );
    expect(tap.of(AprobarAlumno, { alumnoId: ids[0]! })[0]!.aprobadoPor).toBe('operadora');
    expect((await gw.api(`/alumnos?loteId=${loteId}&workflow=aprobado`)).body.total).toBe(2);

    // Approved already: refused with the reason, nothing sent again.
    const otra = await gw.api(`/alumnos/${ids[0]}/acciones/aprobar`, { method: 'POST' });
    expect(otra.status).toBe(409);
    expect(otra.body.detail).toMatch(/ya fue aprobado por operadora/);
    expect((await gw.api(`/alumnos/${ids[0]}`)).body.auditoria.map((a: { evento: string }) => a.evento)).toEqual([
      'alumno.en-espera',
      'accion.aprobar',
    ]);

    // Released by ingest: the onboarding is the student's state from then on.
    await tap.publish(AlumnoCreado, { alumnoId: ids[0]!, loteId, alumno: datos('41000000') });
    await waitFor(
      async () => (await gw.api(`/alumnos/${ids[0]}`)).body.workflow.estado === 'creando_cuenta',
      'the onboarding started',
    );
    expect((await gw.api(`/alumnos?loteId=${loteId}`)).body.total).toBe(2);
    expect((await gw.api(`/alumnos/${ids[0]}/acciones/aprobar`, { method: 'POST' })).status).toBe(409);

    // The other left before being released: no longer waiting, and settled in the lote.
    await tap.publish(AlumnoEnEspera, {
      alumnoId: ids[1]!,
      loteId,
      alumno: datos('41000001', { estado: 'baja' }),
      enEspera: false,
    });
    await waitFor(async () => (await lote(loteId)).desglose.descartado === 1, 'the one who left settled');
    expect((await gw.api(`/alumnos?loteId=${loteId}`)).body.total).toBe(1);
  });
});
