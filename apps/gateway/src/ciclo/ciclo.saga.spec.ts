import { randomUUID } from 'node:crypto';
import {
  ActualizarCuentaTeams,
  ActualizarInscripciones,
  ActualizarUsuarioMoodle,
  AvisoRetornoEnviado,
  AvisoRetornoFallido,
  CUENTA_INEXISTENTE,
  CuentaTeamsActualizada,
  CuentaTeamsDeshabilitacionFallida,
  CuentaTeamsDeshabilitada,
  CuentaTeamsEliminada,
  CuentaTeamsHabilitacionFallida,
  CuentaTeamsHabilitada,
  DeshabilitarCuentaTeams,
  EliminarCuentaTeams,
  EliminarUsuarioMoodle,
  EnviarAvisoRetorno,
  HabilitarCuentaTeams,
  UsuarioMoodleActualizacionFallida,
  UsuarioMoodleActualizado,
  UsuarioMoodleEliminacionFallida,
  UsuarioMoodleEliminado,
} from '@lucy/contracts';
import type { DatosCiclo } from './ciclo.pasos.js';
import {
  aplicar,
  cerrarPorRetorno,
  iniciar,
  marcarAtascado,
  RechazoCiclo,
  reintentar,
  respuestasDelCiclo,
  vencerEspera,
} from './ciclo.saga.js';

const alumnoId = randomUUID();
const alumno = {
  dni: '40123456',
  nombre: 'Ana',
  apellido: 'Núñez',
  emailPersonal: 'ana@example.com',
  emailInstitucional: null,
  carrera: 'CP',
  estado: 'ingresante' as const,
  periodo: '2027',
};
const datos: DatosCiclo = { alumnoId, upn: 'a40123456@x.edu', graphUserId: 'g1', alumno };
const config = { graciaBajaDias: 180, moodleAlEliminar: 'suspender' as const };
const t0 = '2027-03-01T10:00:00.000Z';
const defs = (e: { comandos: { def: { id: string } }[] }) => e.comandos.map((c) => c.def.id);

describe('lifecycle workflows', () => {
  it('update: the account and the Moodle user, and the courses only when estado or periodo changed', () => {
    const { w, efecto } = iniciar('actualizacion', { ...datos, anterior: alumno }, null, t0, config);
    expect(defs(efecto)).toEqual([ActualizarCuentaTeams.id, ActualizarUsuarioMoodle.id]);
    expect(w.pasos.actualizar_inscripciones.estado).toBe('omitido');
    const otro = iniciar('actualizacion', { ...datos, anterior: { ...alumno, estado: 'aspirante' } }, null, t0, config);
    expect(defs(otro.efecto)).toContain(ActualizarInscripciones.id);
  });

  it('update: completes when both answered, with a warning for a UPN the pattern would change', () => {
    const { w } = iniciar('actualizacion', { ...datos, anterior: alumno }, null, t0, config);
    const upnSugerido = 'ana.nunez@x.edu';
    expect(
      aplicar(w, CuentaTeamsActualizada, { alumnoId, campos: ['surname'], upnSugerido }, t0, config)!.comandos,
    ).toEqual([]);
    expect(w.estado).toBe('en_curso');
    aplicar(w, UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: false }, t0, config);
    expect(w.estado).toBe('completado_con_avisos');
    expect(w.avisos[0]).toMatch(/ana.nunez@x.edu; no se cambió/);
    expect(w.pasos.actualizar_cuenta.detalle).toEqual({ campos: ['surname'], upnSugerido });
  });

  it('update: a failed Moodle update warns; it does not fail the workflow', () => {
    const { w } = iniciar('actualizacion', { ...datos, anterior: alumno }, null, t0, config);
    aplicar(w, CuentaTeamsActualizada, { alumnoId, campos: [], upnSugerido: null }, t0, config);
    aplicar(w, UsuarioMoodleActualizacionFallida, { alumnoId, motivo: 'Moodle 500', permanente: false }, t0, config);
    expect(w.estado).toBe('completado_con_avisos');
  });

  it('a reply no step waits for is not taken', () => {
    const { w } = iniciar('actualizacion', { ...datos, anterior: alumno }, null, t0, config);
    expect(aplicar(w, CuentaTeamsHabilitada, { alumnoId, restaurada: false }, t0, config)).toBeNull();
    aplicar(w, CuentaTeamsActualizada, { alumnoId, campos: [], upnSugerido: null }, t0, config);
    expect(aplicar(w, CuentaTeamsActualizada, { alumnoId, campos: [], upnSugerido: null }, t0, config)).toBeNull();
  });

  it('leave: suspends, waits the grace, then deletes the account', () => {
    const { w, efecto } = iniciar('baja', datos, 'egresado', t0, config);
    expect(defs(efecto)).toEqual([DeshabilitarCuentaTeams.id, ActualizarUsuarioMoodle.id]);
    expect(efecto.comandos[1].payload).toMatchObject({ suspendido: true });
    aplicar(w, CuentaTeamsDeshabilitada, { alumnoId, graphUserId: 'g1' }, t0, config);
    const r = aplicar(
      w,
      UsuarioMoodleActualizado,
      { alumnoId, moodleUserId: 7, campos: [], suspendido: true },
      t0,
      config,
    );
    expect(r!.comandos).toEqual([]);
    expect(w.estado).toBe('suspendido');
    expect(w.esperaHasta).toBe('2027-08-28T10:00:00.000Z');
    expect(vencerEspera(w, '2027-08-28T09:59:59.000Z', config)).toBeNull();
    const borrar = vencerEspera(w, '2027-08-28T10:00:01.000Z', config)!;
    expect(defs(borrar)).toEqual([EliminarCuentaTeams.id]);
    aplicar(w, CuentaTeamsEliminada, { alumnoId, graphUserId: 'g1', yaNoExistia: false }, t0, config);
    expect(w.estado).toBe('completado');
    // moodleAlEliminar: suspender (the default): the Moodle user stays suspended.
    expect(w.pasos.eliminar_moodle.estado).toBe('omitido');
  });

  it('leave: the Moodle user is deleted with the account when the configuration says so when the grace ends', () => {
    const { w } = iniciar('baja', datos, 'egresado', t0, config);
    aplicar(w, CuentaTeamsDeshabilitada, { alumnoId, graphUserId: 'g1' }, t0, config);
    aplicar(w, UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: true }, t0, config);
    // The key as it stands when the deletion starts, not when the leave began.
    const eliminar = { ...config, moodleAlEliminar: 'eliminar' as const };
    const borrar = vencerEspera(w, '2027-08-28T10:00:01.000Z', eliminar)!;
    expect(defs(borrar)).toEqual([EliminarCuentaTeams.id, EliminarUsuarioMoodle.id]);
    expect(borrar.comandos[1].payload).toEqual({ alumnoId, upn: datos.upn });
    aplicar(w, CuentaTeamsEliminada, { alumnoId, graphUserId: 'g1', yaNoExistia: false }, t0, eliminar);
    expect(w.estado).toBe('en_curso');
    aplicar(w, UsuarioMoodleEliminado, { alumnoId, moodleUserId: 7, yaNoExistia: false }, t0, eliminar);
    expect(w.estado).toBe('completado');
    expect(w.pasos.eliminar_moodle).toMatchObject({
      estado: 'completado',
      detalle: { moodleUserId: 7, yaNoExistia: false },
    });
  });

  it('leave: a Moodle user that cannot be deleted only warns; the account is deleted all the same', () => {
    const eliminar = { ...config, moodleAlEliminar: 'eliminar' as const };
    const { w } = iniciar('baja', datos, 'baja', t0, eliminar);
    aplicar(w, CuentaTeamsDeshabilitada, { alumnoId, graphUserId: 'g1' }, t0, eliminar);
    aplicar(w, UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: true }, t0, eliminar);
    vencerEspera(w, '2027-08-28T10:00:01.000Z', eliminar);
    aplicar(w, UsuarioMoodleEliminacionFallida, { alumnoId, motivo: 'Moodle 503', permanente: false }, t0, eliminar);
    aplicar(w, CuentaTeamsEliminada, { alumnoId, graphUserId: 'g1', yaNoExistia: false }, t0, eliminar);
    expect(w.estado).toBe('completado_con_avisos');
    expect(w.avisos).toEqual(['eliminar_moodle: Moodle 503']);
  });

  it('leave: a failed disable fails it; nothing waits for a grace that would delete a live account', () => {
    const { w } = iniciar('baja', datos, 'baja', t0, config);
    aplicar(w, UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: true }, t0, config);
    aplicar(w, CuentaTeamsDeshabilitacionFallida, { alumnoId, motivo: 'x' }, t0, config);
    expect(w.estado).toBe('fallido');
    expect(w.esperaHasta).toBeNull();
  });

  it('leave: closed, with nothing sent, when the student is back while suspended; not before, not once deleting', () => {
    const { w } = iniciar('baja', datos, 'operador', t0, config);
    expect(() => cerrarPorRetorno(w)).toThrow(RechazoCiclo);
    aplicar(w, CuentaTeamsDeshabilitada, { alumnoId, graphUserId: 'g1' }, t0, config);
    aplicar(w, UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: true }, t0, config);
    expect(w.estado).toBe('suspendido');
    const c = cerrarPorRetorno(w);
    expect(c.comandos).toEqual([]); // the retorno that follows enables both again and emails the student
    expect(w).toMatchObject({ estado: 'cancelado', esperaHasta: null });
    expect(w.pasos.eliminar_cuenta.estado).toBe('pendiente');
    expect(() => cerrarPorRetorno(w)).toThrow(RechazoCiclo);
  });

  it('return: restores and enables; an account gone for good means onboarding again', () => {
    const { w } = iniciar('retorno', datos, null, t0, config);
    aplicar(w, CuentaTeamsHabilitada, { alumnoId, graphUserId: 'g1', restaurada: true }, t0, config);
    const aviso = aplicar(
      w,
      UsuarioMoodleActualizado,
      { alumnoId, moodleUserId: 7, campos: [], suspendido: false },
      t0,
      config,
    )!;
    expect(defs(aviso)).toEqual([EnviarAvisoRetorno.id]);
    aplicar(
      w,
      AvisoRetornoEnviado,
      { alumnoId, retorno: 1, destinatario: 'ana@example.com', smtpMessageId: null },
      t0,
      config,
    );
    expect(w.estado).toBe('completado');
    expect(w.reincorporar).toBeFalsy();
    expect(w.pasos.habilitar_cuenta.detalle).toEqual({ graphUserId: 'g1', restaurada: true });

    const perdida = iniciar('retorno', datos, null, t0, config).w;
    aplicar(
      perdida,
      CuentaTeamsHabilitacionFallida,
      { alumnoId, motivo: 'not in deletedItems', codigo: CUENTA_INEXISTENTE, permanente: true },
      t0,
      config,
    );
    aplicar(
      perdida,
      UsuarioMoodleActualizado,
      { alumnoId, moodleUserId: 7, campos: [], suspendido: false },
      t0,
      config,
    );
    // Onboarded again: the credentials email of a new account, not the return email.
    expect(perdida).toMatchObject({ estado: 'completado', reincorporar: true });
    expect(perdida.pasos.avisar_retorno.estado).toBe('pendiente');
  });

  it('return: what the student comes back with is applied once the account is back', () => {
    const vuelve = { ...alumno, apellido: 'Núñez Paz', periodo: '2028' };
    const { w, efecto } = iniciar('retorno', { ...datos, alumno: vuelve, anterior: alumno }, null, t0, config);
    expect(defs(efecto)).toEqual([HabilitarCuentaTeams.id, ActualizarUsuarioMoodle.id]);
    aplicar(w, CuentaTeamsHabilitada, { alumnoId, graphUserId: 'g1', restaurada: true }, t0, config);
    const datosNuevos = aplicar(
      w,
      UsuarioMoodleActualizado,
      { alumnoId, moodleUserId: 7, campos: [], suspendido: false },
      t0,
      config,
    )!;
    expect(defs(datosNuevos)).toEqual([
      ActualizarCuentaTeams.id,
      ActualizarUsuarioMoodle.id,
      ActualizarInscripciones.id,
      EnviarAvisoRetorno.id,
    ]);
    expect(datosNuevos.comandos[0].payload).toMatchObject({ alumno: { apellido: 'Núñez Paz' } });
    expect(w.estado).toBe('en_curso');

    const igual = iniciar('retorno', { ...datos, anterior: alumno }, null, t0, config).w;
    aplicar(igual, CuentaTeamsHabilitada, { alumnoId, graphUserId: 'g1', restaurada: false }, t0, config);
    const fin = aplicar(
      igual,
      UsuarioMoodleActualizado,
      { alumnoId, moodleUserId: 7, campos: [], suspendido: false },
      t0,
      config,
    )!;
    expect(defs(fin)).toEqual([EnviarAvisoRetorno.id]);
    aplicar(
      igual,
      AvisoRetornoEnviado,
      { alumnoId, retorno: 1, destinatario: 'ana@example.com', smtpMessageId: null },
      t0,
      config,
    );
    expect(igual.estado).toBe('completado');
  });

  it('return: the email says the account is active (UPN, the return’s number); its failure only warns', () => {
    const { w } = iniciar('retorno', { ...datos, anterior: alumno, retorno: 2 }, null, t0, config);
    aplicar(w, CuentaTeamsHabilitada, { alumnoId, graphUserId: 'g1', restaurada: false }, t0, config);
    const aviso = aplicar(
      w,
      UsuarioMoodleActualizado,
      { alumnoId, moodleUserId: 7, campos: [], suspendido: false },
      t0,
      config,
    )!;
    expect(aviso.comandos[0]).toEqual({
      def: EnviarAvisoRetorno,
      payload: { alumnoId, upn: datos.upn, alumno, retorno: 2 },
    });
    expect(aviso.comandos[0].payload).not.toHaveProperty('password');
    aplicar(w, AvisoRetornoFallido, { alumnoId, retorno: 2, motivo: '550 no such user', permanente: true }, t0, config);
    expect(w.estado).toBe('completado_con_avisos');
    expect(w.error).toBeNull();
    expect(w.avisos).toEqual(['avisar_retorno: 550 no such user']);
    expect(w.pasos.habilitar_cuenta.estado).toBe('completado');
  });

  it('return: a failed reactivation sends no email', () => {
    const { w } = iniciar('retorno', { ...datos, anterior: alumno }, null, t0, config);
    aplicar(w, CuentaTeamsHabilitacionFallida, { alumnoId, motivo: 'Graph 403', permanente: true }, t0, config);
    const r = aplicar(
      w,
      UsuarioMoodleActualizado,
      { alumnoId, moodleUserId: 7, campos: [], suspendido: false },
      t0,
      config,
    )!;
    expect(r.comandos).toEqual([]);
    expect(w.estado).toBe('fallido');
    expect(w.pasos.avisar_retorno.estado).toBe('pendiente');
  });

  it('stuck: a running workflow is flagged once; a retry sends its unanswered steps again; an answer lifts the flag', () => {
    const { w } = iniciar('actualizacion', { ...datos, anterior: alumno }, null, t0, config);
    aplicar(w, CuentaTeamsActualizada, { alumnoId, campos: [], upnSugerido: null }, t0, config);
    expect(marcarAtascado(w)!.nota).toBe('sin respuesta dentro del plazo de actualizar_moodle');
    expect(w.atascado).toBe(true);
    expect(marcarAtascado(w)).toBeNull();
    const r = reintentar(w);
    expect(defs(r)).toEqual([ActualizarUsuarioMoodle.id]);
    expect(w.atascado).toBe(false);
    marcarAtascado(w);
    aplicar(w, UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: false }, t0, config);
    expect(w).toMatchObject({ estado: 'completado', atascado: false });
    expect(() => reintentar(w)).toThrow(RechazoCiclo);
  });

  it('stuck: a leaver waiting out their grace is never flagged, and has nothing to retry', () => {
    const { w } = iniciar('baja', datos, 'baja', t0, config);
    aplicar(w, CuentaTeamsDeshabilitada, { alumnoId, graphUserId: 'g1' }, t0, config);
    aplicar(w, UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: [], suspendido: true }, t0, config);
    expect(w.estado).toBe('suspendido');
    expect(marcarAtascado(w)).toBeNull();
    expect(w.atascado).toBe(false);
    expect(() => reintentar(w)).toThrow(/suspendido: no espera respuestas/);
  });

  it('lists every reply some step waits for', () => {
    const ids = respuestasDelCiclo().map((d) => d.id);
    for (const d of [
      CuentaTeamsActualizada,
      CuentaTeamsEliminada,
      CuentaTeamsHabilitacionFallida,
      UsuarioMoodleActualizado,
    ])
      expect(ids).toContain(d.id);
  });
});
