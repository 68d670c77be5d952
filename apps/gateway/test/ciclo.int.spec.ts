// The student's stay after onboarding, through the gateway: a change, a leave with its grace, a return,
// an operator's suspension cancelled, and a chosen list of courses. The services' replies are published as
// teams-service and moodle-service would publish them; the commands the gateway sends are read off the broker.
import { randomUUID } from 'node:crypto';
import {
  ActualizarCuentaTeams,
  ActualizarInscripciones,
  ActualizarUsuarioMoodle,
  AlumnoActualizado,
  AlumnoCreado,
  AlumnoDadoDeBaja,
  AlumnoRetornado,
  AvisoRetornoEnviado,
  CuentaTeamsActualizada,
  CuentaTeamsDeshabilitada,
  CuentaTeamsEliminada,
  CuentaTeamsHabilitada,
  CursosInscriptos,
  DeshabilitarCuentaTeams,
  EliminarCuentaTeams,
  EliminarUsuarioMoodle,
  EnviarAvisoRetorno,
  HabilitarCuentaTeams,
  InscribirCursos,
  InscripcionesActualizadas,
  UsuarioMoodleActualizado,
  UsuarioMoodleEliminado,
} from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';
import { datosDe, onboardeado as onboardear } from './support/onboardeado.js';

interface Ciclo {
  id: string;
  tipo: string;
  estado: string;
  motivo: string | null;
  avisos: string[];
  pasos: { paso: string; estado: string }[];
}

describe('gateway: the student lifecycle', () => {
  let gw: TestGateway;
  let tap: BrokerTap;
  let operador: string;

  beforeAll(async () => {
    // A grace of about two seconds, and a sweeper that looks often.
    gw = await startGateway('gwciclo', { SWEEP_INTERVAL_MS: '200', GRACIA_BAJA_DIAS: String(2 / 86_400) });
    tap = await BrokerTap.open(
      [
        ActualizarCuentaTeams,
        ActualizarUsuarioMoodle,
        ActualizarInscripciones,
        DeshabilitarCuentaTeams,
        EliminarCuentaTeams,
        HabilitarCuentaTeams,
        InscribirCursos,
        EnviarAvisoRetorno,
        EliminarUsuarioMoodle,
      ],
      { url: gw.config.RABBITMQ_URL },
    );
    operador = await tokenDe(gw, 'Operador Tomás', 'operator');
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  const ciclo = async (id: string): Promise<Ciclo[]> => (await gw.api(`/alumnos/${id}`)).body.ciclo;
  const ultimo = async (id: string, tipo: string) => (await ciclo(id)).filter((w) => w.tipo === tipo).at(-1);
  const hasta = (id: string, tipo: string, estado: string) =>
    waitFor(async () => (await ultimo(id, tipo))?.estado === estado, `${tipo} ${estado}`);

  const onboardeado = (dni: string) => onboardear(gw, tap, dni);

  it('propagates a change to the account and the Moodle user, and the courses of a new periodo', async () => {
    const { alumnoId, alumno, upn, graphUserId } = await onboardeado('42000001');
    const nuevo = { ...alumno, apellido: 'Sosa Paz', periodo: '2028' };
    await tap.publish(AlumnoActualizado, {
      alumnoId,
      loteId: null,
      alumno: nuevo,
      cambios: ['apellido', 'periodo'],
      anterior: alumno,
    });
    await waitFor(() => tap.of(ActualizarInscripciones, { alumnoId }).length === 1, 'the three commands');
    expect(tap.of(ActualizarCuentaTeams, { alumnoId })).toEqual([{ alumnoId, upn, graphUserId, alumno: nuevo }]);
    expect(tap.of(ActualizarUsuarioMoodle, { alumnoId })).toEqual([{ alumnoId, upn, alumno: nuevo }]);
    expect(tap.of(ActualizarInscripciones, { alumnoId })[0]).toMatchObject({
      anterior: { estado: 'ingresante', periodo: '2027' },
    });

    await tap.publish(CuentaTeamsActualizada, {
      alumnoId,
      upn,
      graphUserId,
      campos: ['surname', 'displayName'],
      upnSugerido: null,
    });
    await tap.publish(UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: ['lastname'], suspendido: false });
    await tap.publish(InscripcionesActualizadas, {
      alumnoId,
      moodleUserId: 7,
      enrolados: ['BIO-2028'],
      desenrolados: [],
    });
    await hasta(alumnoId, 'actualizacion', 'completado');
    const f = (await gw.api(`/alumnos/${alumnoId}`)).body;
    expect(f.alumno.apellido).toBe('Sosa Paz');
    expect(f.workflow.estado).toBe('completado');
  });

  it('suspends a leaver, deletes the account after the grace, and restores it when they return', async () => {
    const { alumnoId, alumno, upn, graphUserId } = await onboardeado('42000002');
    await tap.publish(AlumnoDadoDeBaja, {
      alumnoId,
      loteId: null,
      alumno: { ...alumno, estado: 'baja' },
      motivo: 'baja',
    });
    await waitFor(() => tap.of(DeshabilitarCuentaTeams, { alumnoId }).length === 1, 'disable sent');
    expect(tap.of(ActualizarUsuarioMoodle, { alumnoId })).toEqual([expect.objectContaining({ suspendido: true })]);
    // The same leaver reported again changes nothing.
    await tap.publish(AlumnoDadoDeBaja, {
      alumnoId,
      loteId: null,
      alumno: { ...alumno, estado: 'baja' },
      motivo: 'ausente',
    });

    await tap.publish(CuentaTeamsDeshabilitada, { alumnoId, upn, graphUserId });
    await tap.publish(UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: ['suspended'], suspendido: true });
    await hasta(alumnoId, 'baja', 'suspendido');
    expect(tap.of(EliminarCuentaTeams, { alumnoId })).toEqual([]);
    await waitFor(() => tap.of(EliminarCuentaTeams, { alumnoId }).length === 1, 'deleted after the grace', {
      timeoutMs: 15_000,
    });
    await tap.publish(CuentaTeamsEliminada, { alumnoId, upn, graphUserId, yaNoExistia: false });
    await hasta(alumnoId, 'baja', 'completado');
    // moodleAlEliminar never set (suspender): the Moodle user stays, suspended.
    expect(tap.of(EliminarUsuarioMoodle, { alumnoId })).toEqual([]);
    expect((await ciclo(alumnoId)).filter((w) => w.tipo === 'baja')).toHaveLength(1);
    // The onboarding is not touched by the leave's delete.
    expect((await gw.api(`/alumnos/${alumnoId}`)).body.workflow.estado).toBe('completado');

    await tap.publish(AlumnoRetornado, { alumnoId, loteId: null, alumno });
    await waitFor(() => tap.of(HabilitarCuentaTeams, { alumnoId }).length === 1, 'enable sent');
    await tap.publish(CuentaTeamsHabilitada, { alumnoId, upn, graphUserId, restaurada: true });
    await tap.publish(UsuarioMoodleActualizado, {
      alumnoId,
      moodleUserId: 7,
      campos: ['suspended'],
      suspendido: false,
    });
    // Back with the same data: nothing to update but the courses of the estado they return with (they
    // left as baja, and the courses follow the estado).
    await waitFor(() => tap.of(ActualizarInscripciones, { alumnoId }).length === 1, 'courses of their estado');
    expect(tap.of(ActualizarCuentaTeams, { alumnoId })).toEqual([]);
    expect(tap.of(ActualizarInscripciones, { alumnoId })[0]).toMatchObject({ anterior: { estado: 'baja' } });
    // And the email that tells them their account is active again: their first return, their UPN.
    expect(tap.of(EnviarAvisoRetorno, { alumnoId })).toEqual([{ alumnoId, upn, alumno, retorno: 1 }]);
    await tap.publish(InscripcionesActualizadas, { alumnoId, moodleUserId: 7, enrolados: [], desenrolados: [] });
    expect((await ultimo(alumnoId, 'retorno'))!.estado).toBe('en_curso');
    await tap.publish(AvisoRetornoEnviado, {
      alumnoId,
      retorno: 1,
      destinatario: alumno.emailPersonal!,
      smtpMessageId: null,
    });
    await hasta(alumnoId, 'retorno', 'completado');
    expect((await ultimo(alumnoId, 'retorno'))!.pasos).toContainEqual(
      expect.objectContaining({ paso: 'avisar_retorno', estado: 'completado' }),
    );
  });

  it('deletes the Moodle user with the account once an operator set moodleAlEliminar: eliminar', async () => {
    const { alumnoId, alumno, upn, graphUserId } = await onboardeado('42000006');
    const fijar = async (moodleAlEliminar: string) =>
      expect((await gw.api('/config', { method: 'PATCH', body: { valores: { moodleAlEliminar } } })).status).toBe(200);
    await tap.publish(AlumnoDadoDeBaja, {
      alumnoId,
      loteId: null,
      alumno: { ...alumno, estado: 'baja' },
      motivo: 'baja',
    });
    await waitFor(() => tap.of(DeshabilitarCuentaTeams, { alumnoId }).length === 1, 'disable sent');
    // Set while the leave waits: what counts is the key as the deletion starts.
    await fijar('eliminar');
    try {
      await tap.publish(CuentaTeamsDeshabilitada, { alumnoId, upn, graphUserId });
      await tap.publish(UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: true });
      await waitFor(() => tap.of(EliminarUsuarioMoodle, { alumnoId }).length === 1, 'the Moodle user deleted', {
        timeoutMs: 15_000,
      });
      expect(tap.of(EliminarUsuarioMoodle, { alumnoId })).toEqual([{ alumnoId, upn }]);
      expect(tap.of(EliminarCuentaTeams, { alumnoId })).toHaveLength(1);
      await tap.publish(CuentaTeamsEliminada, { alumnoId, upn, graphUserId, yaNoExistia: false });
      expect((await ultimo(alumnoId, 'baja'))!.estado).toBe('en_curso');
      await tap.publish(UsuarioMoodleEliminado, { alumnoId, moodleUserId: 7, yaNoExistia: false });
      await hasta(alumnoId, 'baja', 'completado');
    } finally {
      await fijar('suspender');
    }
  });

  it("closes an operator's suspension when the operator reactivates while it waits, and the return follows", async () => {
    const { alumnoId, upn, graphUserId } = await onboardeado('42000003');
    const r = await gw.api(`/alumnos/${alumnoId}/acciones/suspender`, { method: 'POST', token: operador });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      iniciado: true,
      comandos: ['cuenta-teams.deshabilitar', 'moodle.actualizar-usuario'],
    });
    // A second suspension is refused, with the reason.
    const otra = await gw.api(`/alumnos/${alumnoId}/acciones/suspender`, { method: 'POST', token: operador });
    expect(otra.status).toBe(409);
    await tap.publish(CuentaTeamsDeshabilitada, { alumnoId, upn, graphUserId });
    await tap.publish(UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: true });
    await hasta(alumnoId, 'baja', 'suspendido');
    expect((await ultimo(alumnoId, 'baja'))!.motivo).toBe('operador');

    const re = await gw.api(`/alumnos/${alumnoId}/acciones/reactivar`, { method: 'POST', token: operador });
    expect(re.status).toBe(202);
    // The leave ends there (nothing deleted); the return enables both again and tells the student.
    await hasta(alumnoId, 'baja', 'cancelado');
    expect((await ultimo(alumnoId, 'baja'))!.pasos).toContainEqual(
      expect.objectContaining({ paso: 'eliminar_cuenta', estado: 'pendiente' }),
    );
    await waitFor(() => tap.of(HabilitarCuentaTeams, { alumnoId }).length === 1, 'enable sent');
    expect(tap.of(EnviarAvisoRetorno, { alumnoId })).toEqual([]); // not before the account is back
    await tap.publish(CuentaTeamsHabilitada, { alumnoId, upn, graphUserId, restaurada: false });
    await tap.publish(UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: false });
    await waitFor(() => tap.of(EnviarAvisoRetorno, { alumnoId }).length === 1, 'the return email');
    expect(tap.of(EnviarAvisoRetorno, { alumnoId })[0]).toMatchObject({ alumnoId, upn, retorno: 1 });
    await tap.publish(AvisoRetornoEnviado, {
      alumnoId,
      retorno: 1,
      destinatario: 'x@example.org',
      smtpMessageId: null,
    });
    await hasta(alumnoId, 'retorno', 'completado');
  });

  it('enrols a chosen list of courses, and refuses bad input and students without an account', async () => {
    const { alumnoId } = await onboardeado('42000004');
    const malo = await gw.api(`/alumnos/${alumnoId}/inscripciones`, {
      method: 'POST',
      token: operador,
      body: { cursos: [] },
    });
    expect(malo.status).toBe(400);
    expect(malo.type).toMatch(/problem\+json/);
    const repetido = await gw.api(`/alumnos/${alumnoId}/inscripciones`, {
      method: 'POST',
      token: operador,
      body: { cursos: ['BIO-1', 'BIO-1'] },
    });
    expect(repetido.status).toBe(400);
    const sinCuenta = randomUUID();
    await tap.publish(AlumnoCreado, { alumnoId: sinCuenta, loteId: null, alumno: datosDe('42000005') });
    await waitFor(async () => (await gw.api(`/alumnos/${sinCuenta}`)).status === 200, 'the student');
    const r409 = await gw.api(`/alumnos/${sinCuenta}/inscripciones`, {
      method: 'POST',
      token: operador,
      body: { cursos: ['BIO-1'] },
    });
    expect(r409.status).toBe(409);

    const r = await gw.api(`/alumnos/${alumnoId}/inscripciones`, {
      method: 'POST',
      token: operador,
      body: { cursos: ['BIO-1', 'QUI-1'] },
    });
    expect(r.status).toBe(202);
    await waitFor(() => tap.of(InscribirCursos, { alumnoId }).length === 1, 'InscribirCursos sent');
    expect(tap.of(InscribirCursos, { alumnoId })[0]).toMatchObject({ cursos: ['BIO-1', 'QUI-1'] });
    await tap.publish(CursosInscriptos, { alumnoId, moodleUserId: 7, cursos: ['BIO-1', 'QUI-1'] });
    await hasta(alumnoId, 'inscripcion', 'completado');
  });
});
