// Students, workflows and actions through the API, with the flow's events published as the services
// would publish them: filters and pagination, one student's detail, actions on one or a selection
// (recorded in the audit trail under the actor and as a tarea), stuck workflows.
import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  CuentaTeamsCreada,
  CuentaTeamsFallida,
  DesenrolarMoodle,
  RestablecerPassword,
  type AlumnoDatos,
} from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

const alumno = (dni: string, over: Partial<AlumnoDatos> = {}): AlumnoDatos => ({
  dni,
  nombre: 'Ana',
  apellido: 'Paz',
  emailPersonal: `a${dni}@example.com`,
  emailInstitucional: null,
  carrera: 'Abogacía',
  estado: 'ingresante',
  periodo: '2027',
  ...over,
});
const sellado = { alg: 'A256GCM' as const, kid: 'k', iv: 'aa', tag: 'bb', ct: 'cc' };

describe('gateway API: alumnos, acciones, workflows', () => {
  let gw: TestGateway;
  let tap: BrokerTap;
  let operador: string;
  const ana: string = randomUUID();
  const luis: string = randomUUID();
  const marta: string = randomUUID();

  const estadoDe = async (id: string) => (await gw.api(`/alumnos/${id}`)).body?.workflow?.estado;

  beforeAll(async () => {
    gw = await startGateway('gwalumnos', { STUCK_AFTER_MS: '1000' });
    tap = await BrokerTap.open([AlumnoCreado, RestablecerPassword, DesenrolarMoodle], { url: gw.config.RABBITMQ_URL });
    operador = await tokenDe(gw, 'Operador Juan', 'operator');
    await tap.publish(AlumnoCreado, {
      alumnoId: ana,
      loteId: null,
      alumno: alumno('40123456', { nombre: 'Ana María', apellido: 'Núñez' }),
    });
    await tap.publish(AlumnoCreado, {
      alumnoId: luis,
      loteId: null,
      alumno: alumno('30111222', { nombre: 'Luis', apellido: 'Sosa', carrera: 'Medicina', estado: 'aspirante' }),
    });
    await tap.publish(AlumnoCreado, {
      alumnoId: marta,
      loteId: null,
      alumno: alumno('35555666', { nombre: 'Marta', apellido: 'Gil', carrera: 'Medicina' }),
    });
    await waitFor(
      async () =>
        (await gw.api('/alumnos?q=Medicina')).status === 200 &&
        (await gw.api(`/alumnos/${marta}`)).status === 200 &&
        (await gw.api(`/alumnos/${luis}`)).status === 200 &&
        (await gw.api(`/alumnos/${ana}`)).status === 200,
      'the three students',
    );
    await tap.publish(CuentaTeamsFallida, {
      alumnoId: luis,
      upn: null,
      motivo: 'Graph: licencia agotada',
      permanente: true,
    });
    await tap.publish(CuentaTeamsCreada, {
      alumnoId: ana,
      upn: 'a40123456@lucy.example',
      graphUserId: 'g-ana',
      existente: false,
      credencial: sellado,
      credencialVersion: 1,
      alumno: alumno('40123456', { nombre: 'Ana María', apellido: 'Núñez' }),
    });
    await waitFor(
      async () => (await estadoDe(luis)) === 'fallido' && (await estadoDe(ana)) === 'enrolando_y_notificando',
      'Luis failed, Ana enrolling',
    );
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  const ids = (r: { body: { items: { alumnoId: string }[] } }) =>
    r.body.items
      .map((i) => i.alumnoId)
      .filter((id) => [ana, luis, marta].includes(id))
      .sort();

  it('filters students by estado, workflow state, step, carrera, date and free text, with a total', async () => {
    expect(ids(await gw.api('/alumnos?carrera=Medicina'))).toEqual([luis, marta].sort());
    expect(ids(await gw.api('/alumnos?estado=aspirante'))).toEqual([luis]);
    expect(ids(await gw.api('/alumnos?workflow=fallido'))).toEqual([luis]);
    expect(ids(await gw.api('/alumnos?paso=cuenta&pasoEstado=completado'))).toEqual([ana]);
    expect(ids(await gw.api('/alumnos?q=núñez'))).toEqual([ana]);
    expect(ids(await gw.api('/alumnos?q=30111'))).toEqual([luis]);
    expect(ids(await gw.api('/alumnos?q=a35555666@example'))).toEqual([marta]);
    expect(ids(await gw.api('/alumnos?q=lucy.example'))).toEqual([ana]); // the UPN
    expect(ids(await gw.api('/alumnos?q=%25'))).toEqual([]); // a wildcard typed is a character
    expect((await gw.api('/alumnos?desde=2999-01-01')).body.total).toBe(0);
    const pagina = await gw.api('/alumnos?carrera=Medicina&limit=1&offset=1');
    expect(pagina.body).toMatchObject({
      total: 2,
      limit: 1,
      offset: 1,
      items: [
        expect.objectContaining({
          alumnoId: luis,
          workflow: expect.objectContaining({ estado: 'fallido', error: 'Graph: licencia agotada' }),
        }),
      ],
    });
  });

  it('shows one student with accounts, steps and the audit trail; 404 for an unknown one', async () => {
    const r = await gw.api(`/alumnos/${ana}`);
    expect(r.body).toMatchObject({
      alumnoId: ana,
      cuentas: { upn: 'a40123456@lucy.example', graphUserId: 'g-ana' },
      lotes: [],
    });
    expect(r.body.workflow.pasos.map((p: { paso: string; estado: string }) => `${p.paso}:${p.estado}`)).toEqual([
      'cuenta:completado',
      'moodle:en_curso',
      'email:en_curso',
      'desenrolar_moodle:pendiente',
      'eliminar_cuenta:pendiente',
    ]);
    expect(r.body.auditoria.map((a: { evento: string }) => a.evento)).toEqual(['alumno.creado', 'cuenta-teams.creada']);
    const nadie = await gw.api(`/alumnos/${randomUUID()}`);
    expect(nadie.status).toBe(404);
    expect(nadie.type).toContain('application/problem+json');
  });

  it('runs the onboarding again for a failed student (activar), audited under the operator', async () => {
    const r = await gw.api(`/alumnos/${luis}/acciones/activar`, { token: operador, method: 'POST' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      alumnoId: luis,
      accion: 'activar',
      iniciado: true,
      estado: 'creando_cuenta',
      comandos: ['alumno.creado'],
    });
    await waitFor(() => tap.of(AlumnoCreado, { alumnoId: luis }).length === 2, 'AlumnoCreado published again');
    expect(tap.of(AlumnoCreado, { alumnoId: luis })[1]).toMatchObject({
      alumnoId: luis,
      alumno: expect.objectContaining({ dni: '30111222' }),
    });
    const detalle = (await gw.api(`/alumnos/${luis}`)).body;
    expect(detalle.workflow).toMatchObject({ estado: 'creando_cuenta', error: null });
    expect(detalle.workflow.pasos[0]).toMatchObject({ paso: 'cuenta', estado: 'en_curso', ultimoError: null });
    expect(detalle.auditoria.find((a: { evento: string }) => a.evento === 'accion.activar')).toMatchObject({
      actor: 'Operador Juan',
    });
    // Running already: a second activation says why not.
    const otra = await gw.api(`/alumnos/${luis}/acciones/activar`, { token: operador, method: 'POST' });
    expect(otra.status).toBe(409);
    expect(otra.body.detail).toMatch(/creando_cuenta/);
  });

  it('refuses with 409 to send again a student stored before a stricter check, and writes nothing', async () => {
    const schema = gw.config.DB_SCHEMA;
    const { rows } = await gw.db.query(`SELECT alumno, estado FROM "${schema}".workflow WHERE alumno_id = $1`, [luis]);
    const antes = tap.of(AlumnoCreado, { alumnoId: luis }).length;
    await gw.db.query(
      `UPDATE "${schema}".workflow SET alumno = jsonb_set(alumno, '{dni}', '"0000000"'), estado = 'fallido' WHERE alumno_id = $1`,
      [luis],
    );
    const { rows: auditoriaAntes } = await gw.db.query(`SELECT count(*)::int AS n FROM "${schema}".auditoria`);
    try {
      const r = await gw.api(`/alumnos/${luis}/acciones/activar`, { token: operador, method: 'POST' });
      expect(r.status).toBe(409);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.detail).toMatch(/alumno\.dni/);
      const { rows: auditoriaDespues } = await gw.db.query(`SELECT count(*)::int AS n FROM "${schema}".auditoria`);
      expect(auditoriaDespues[0].n).toBe(auditoriaAntes[0].n);
      expect(tap.of(AlumnoCreado, { alumnoId: luis }).length).toBe(antes);
    } finally {
      await gw.db.query(`UPDATE "${schema}".workflow SET alumno = $2, estado = $3 WHERE alumno_id = $1`, [
        luis,
        rows[0].alumno,
        rows[0].estado,
      ]);
    }
  });

  it('runs a bulk action on a selection, starting what it can and listing what it cannot, as a tarea', async () => {
    const r = await gw.api('/acciones', {
      token: operador,
      body: { accion: 'reenviar-credenciales', alumnoIds: [ana, marta], motivo: 'no les llegó el correo' },
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ total: 2, iniciados: 1, rechazados: 1 });
    expect(r.body.resultados).toEqual([
      expect.objectContaining({ alumnoId: ana, iniciado: true, comandos: ['cuenta-teams.restablecer-password'] }),
      expect.objectContaining({
        alumnoId: marta,
        iniciado: false,
        motivo: expect.stringMatching(/todavía no tiene cuenta/),
      }),
    ]);
    await waitFor(() => tap.of(RestablecerPassword, { alumnoId: ana }).length, 'RestablecerPassword for Ana');
    const tarea = (await gw.api(`/tareas/${r.body.tareaId}`)).body;
    expect(tarea).toMatchObject({
      tipo: 'accion',
      estado: 'con_errores',
      actor: 'Operador Juan',
      total: 2,
      exitosos: 1,
      fallidos: 1,
      detalle: expect.objectContaining({ accion: 'reenviar-credenciales', motivo: 'no les llegó el correo' }),
    });
    expect((await gw.api('/tareas?tipo=accion&actor=Operador%20Juan')).body.total).toBe(1);
  });

  it('selects students by filter for a bulk action, and refuses an empty or ambiguous selection', async () => {
    const r = await gw.api('/acciones', {
      token: operador,
      body: { accion: 'desaprovisionar', filtro: { q: '40123456' } },
    });
    // Undo runs in reverse: the Moodle enrolment (in progress) first, then the account.
    expect(r.body).toMatchObject({
      total: 1,
      iniciados: 1,
      resultados: [expect.objectContaining({ alumnoId: ana, estado: 'compensando', comandos: ['moodle.desenrolar'] })],
    });
    await waitFor(() => tap.of(DesenrolarMoodle, { alumnoId: ana }).length, 'DesenrolarMoodle for Ana');
    expect(
      (await gw.api('/acciones', { token: operador, body: { accion: 'activar', filtro: { q: 'nadie-se-llama-asi' } } }))
        .body.detail,
    ).toMatch(/ningún alumno/);
    expect(
      (await gw.api('/acciones', { token: operador, body: { accion: 'activar', alumnoIds: [ana], filtro: {} } }))
        .status,
    ).toBe(400);
    expect(
      (await gw.api('/acciones', { token: operador, body: { accion: 'borrar', alumnoIds: [ana] } })).body.detail,
    ).toMatch(/acción debe ser una de/);
  });

  it('lists workflows by state and date, and the stuck ones (running past STUCK_AFTER_MS)', async () => {
    const fallidos = await gw.api('/workflows?estado=creando_cuenta');
    expect(fallidos.body.items.map((w: { alumnoId: string }) => w.alumnoId)).toEqual(
      expect.arrayContaining([luis, marta]),
    );
    expect((await gw.api('/workflows?desde=2999-01-01')).body.total).toBe(0);
    const atascados = await waitFor(async () => {
      const r = await gw.api('/workflows/atascados?limit=200');
      return r.body.items.some((w: { alumnoId: string }) => w.alumnoId === marta) && r.body;
    }, 'Marta listed as stuck');
    expect(atascados.items.find((w: { alumnoId: string }) => w.alumnoId === marta)).toMatchObject({
      estado: 'creando_cuenta',
      alumno: 'Gil, Marta (35555666)',
    });
  });
});
