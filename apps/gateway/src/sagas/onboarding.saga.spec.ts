import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  CUENTA_ADOPTADA,
  CuentaTeamsCreada,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  CuentaTeamsFallida,
  DesenrolarMoodle,
  EliminarCuentaTeams,
  EmailEnviado,
  EmailFallido,
  MoodleDesenrolado,
  MoodleEnrolado,
  MoodleFallido,
  type MessageDefinition,
} from '@lucy/contracts';
import { aplicar, desaprovisionar, idDe, MAX_INTENTOS_COMPENSACION, vencerPasosNoCriticos } from './onboarding.saga.js';
import { nuevoOnboarding, type OnboardingState } from './onboarding.model.js';

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
const sealed = { alg: 'A256GCM' as const, kid: 'k', iv: 'a', tag: 'b', ct: 'c' };
const now = '2027-02-01T10:00:00.000Z';

const ev: Record<string, [MessageDefinition, object]> = {
  creado: [AlumnoCreado, { alumnoId, loteId: null, alumno }],
  cuenta: [
    CuentaTeamsCreada,
    {
      alumnoId,
      upn: 'a40123456@x.edu',
      graphUserId: 'g1',
      existente: false,
      credencial: sealed,
      credencialVersion: 1,
      alumno,
    },
  ],
  cuentaFallida: [CuentaTeamsFallida, { alumnoId, upn: null, motivo: 'dominio no verificado', permanente: true }],
  cuentaDejada: [
    CuentaTeamsFallida,
    {
      alumnoId,
      upn: 'a40123456@x.edu',
      motivo: 'Graph 504',
      permanente: false,
      graphUserId: 'g1',
      deshabilitada: true,
    },
  ],
  adoptada: [
    CuentaTeamsEliminacionFallida,
    { alumnoId, upn: 'a40123456@x.edu', motivo: 'activa otra vez', codigo: CUENTA_ADOPTADA, permanente: true },
  ],
  moodle: [
    MoodleEnrolado,
    { alumnoId, moodleUserId: 7, username: 'a40123456', cursos: [{ shortname: 'ING-1', courseId: 2 }] },
  ],
  moodleFallido: [MoodleFallido, { alumnoId, motivo: 'Moodle caído', permanente: false }],
  email: [
    EmailEnviado,
    { alumnoId, plantilla: 'bienvenida', credencialVersion: 1, destinatario: 'ana@example.com', smtpMessageId: null },
  ],
  emailFallido: [
    EmailFallido,
    { alumnoId, plantilla: 'bienvenida', credencialVersion: 1, motivo: '550', permanente: true },
  ],
  desenrolado: [MoodleDesenrolado, { alumnoId, moodleUserId: 7, cursos: ['ING-1'] }],
  eliminada: [CuentaTeamsEliminada, { alumnoId, upn: 'a40123456@x.edu', graphUserId: 'g1', yaNoExistia: false }],
  eliminacionFallida: [
    CuentaTeamsEliminacionFallida,
    { alumnoId, upn: 'a40123456@x.edu', motivo: 'Graph 503', permanente: false },
  ],
};

function run(...names: string[]): { w: OnboardingState; comandos: string[][] } {
  const w = nuevoOnboarding(alumnoId);
  const comandos = names.map((n) => aplicar(w, ev[n][0], ev[n][1], now).comandos.map((c) => c.def.name));
  return { w, comandos };
}

describe('onboarding saga', () => {
  it('completes when the account, Moodle and the email all succeed', () => {
    expect(run('creado', 'cuenta', 'moodle', 'email').w.estado).toBe('completado');
  });

  it('reaches the same state whatever order the events are read in', () => {
    expect(run('email', 'moodle', 'cuenta', 'creado').w.estado).toBe('completado');
    expect(run('moodle', 'creado', 'cuenta').w.estado).toBe('enrolando_y_notificando');
  });

  it('fails the workflow when the account fails: it is the critical step', () => {
    const { w } = run('creado', 'cuentaFallida');
    expect(w.estado).toBe('fallido');
    expect(w.error).toMatch(/dominio/);
  });

  it("stays fallido when the student's AlumnoCreado is read after the account's failure", () => {
    const { w } = run('cuentaFallida', 'creado');
    expect(w.estado).toBe('fallido');
    expect(w.pasos.cuenta.estado).toBe('fallido');
    expect(w.alumno).toEqual(alumno);
  });

  it('completes with warnings when Moodle or email fail, and clears the warning when a retry succeeds', () => {
    const { w } = run('creado', 'cuenta', 'moodleFallido', 'email');
    expect(w.estado).toBe('completado_con_avisos');
    expect(w.avisos).toEqual(['moodle: Moodle caído']);
    aplicar(w, ev.moodle[0], ev.moodle[1], now);
    expect(w.estado).toBe('completado');
    expect(run('creado', 'cuenta', 'moodle', 'emailFallido').w.estado).toBe('completado_con_avisos');
  });

  it('undoes in reverse order (unenrol, then delete the account) and ends compensado', () => {
    const { w } = run('creado', 'cuenta', 'moodle', 'email');
    expect(desaprovisionar(w, now).comandos.map((c) => c.def)).toEqual([DesenrolarMoodle]);
    expect(w.estado).toBe('compensando');
    expect(aplicar(w, ev.desenrolado[0], ev.desenrolado[1], now).comandos.map((c) => c.def)).toEqual([
      EliminarCuentaTeams,
    ]);
    aplicar(w, ev.eliminada[0], ev.eliminada[1], now);
    expect(w.estado).toBe('compensado');
    expect(w.pasos.desenrolar_moodle.estado).toBe('completado');
    expect(w.pasos.eliminar_cuenta.estado).toBe('completado');
  });

  it('skips undoing what never happened', () => {
    const { w } = run('creado', 'cuentaFallida');
    expect(desaprovisionar(w, now).comandos).toEqual([]);
    expect(w.estado).toBe('compensado');
    expect(w.pasos.desenrolar_moodle.estado).toBe('omitido');
    expect(w.pasos.eliminar_cuenta.estado).toBe('omitido');
  });

  it('still unenrols after a failed Moodle step: a partial enrolment may exist', () => {
    const { w } = run('creado', 'cuenta', 'moodleFallido', 'email');
    expect(desaprovisionar(w, now).comandos.map((c) => c.def)).toEqual([DesenrolarMoodle]);
  });

  it('keeps a failed undo visible and gives up only after the limit', () => {
    const { w } = run('creado', 'cuenta', 'email', 'moodleFallido');
    desaprovisionar(w, now);
    for (let i = 1; i < MAX_INTENTOS_COMPENSACION; i++) {
      aplicar(w, ev.eliminacionFallida[0], ev.eliminacionFallida[1], now);
      expect(w.estado).toBe('compensando');
      expect(w.pasos.eliminar_cuenta).toMatchObject({ estado: 'fallido', intentos: i, ultimoError: 'Graph 503' });
    }
    aplicar(w, ev.eliminacionFallida[0], ev.eliminacionFallida[1], now);
    expect(w.estado).toBe('compensacion_fallida');
  });

  it('deletes an account created after the operator asked to deprovision', () => {
    const { w } = run('creado');
    expect(desaprovisionar(w, now).comandos).toEqual([]);
    const efecto = aplicar(w, ev.cuenta[0], ev.cuenta[1], now);
    expect(efecto.comandos.map((c) => c.def)).toEqual([EliminarCuentaTeams]);
    aplicar(w, ev.eliminada[0], ev.eliminada[1], now);
    expect(w.estado).toBe('compensado');
  });

  it('completes with warnings when Moodle never answers in time, and a late answer clears the warning', () => {
    const { w } = run('creado', 'cuenta', 'email');
    expect(w.estado).toBe('enrolando_y_notificando');
    vencerPasosNoCriticos(w, now);
    expect(w.estado).toBe('completado_con_avisos');
    expect(w.avisos).toEqual([expect.stringMatching(/^moodle: sin respuesta/)]);
    aplicar(w, ev.moodle[0], ev.moodle[1], now);
    expect(w.estado).toBe('completado');
    expect(w.avisos).toEqual([]);
  });

  describe('an account left by a failed onboarding', () => {
    it("is shown as the student's and deleted by the undo step, the workflow staying fallido", () => {
      const w = nuevoOnboarding(alumnoId);
      aplicar(w, ev.creado[0], ev.creado[1], now);
      const efecto = aplicar(w, ev.cuentaDejada[0], ev.cuentaDejada[1], now);
      expect(efecto.comandos).toEqual([
        {
          def: EliminarCuentaTeams,
          payload: { alumnoId, upn: 'a40123456@x.edu', graphUserId: 'g1', dejadaPorFallo: true },
        },
      ]);
      expect(efecto.nota).toMatch(/quedó a40123456@x.edu \(deshabilitada\): se elimina/);
      expect(w).toMatchObject({ estado: 'fallido', upn: 'a40123456@x.edu', error: 'Graph 504' });
      expect(idDe(w.pasos, 'graphUserId')).toBe('g1');
      expect(w.pasos.cuenta).toMatchObject({ estado: 'fallido', detalle: { graphUserId: 'g1', deshabilitada: true } });
      expect(w.pasos.eliminar_cuenta.estado).toBe('en_curso');
      aplicar(w, ev.eliminada[0], ev.eliminada[1], now);
      expect(w.estado).toBe('fallido');
      expect(w.pasos.eliminar_cuenta.estado).toBe('completado');
    });

    it('is deleted once for a repeated failure naming it, and a different user left later is deleted too', () => {
      const w = nuevoOnboarding(alumnoId);
      aplicar(w, ev.creado[0], ev.creado[1], now);
      expect(aplicar(w, ev.cuentaDejada[0], ev.cuentaDejada[1], now).comandos).toHaveLength(1);
      expect(aplicar(w, ev.cuentaDejada[0], ev.cuentaDejada[1], now).comandos).toEqual([]);
      const otra = aplicar(w, CuentaTeamsFallida, { ...ev.cuentaDejada[1], graphUserId: 'g2' }, now);
      expect(otra.comandos.map((c) => c.payload)).toEqual([
        expect.objectContaining({ graphUserId: 'g2', dejadaPorFallo: true }),
      ]);
    });

    it('is flagged for reconciliation when its undo keeps failing, still fallido', () => {
      const { w } = run('creado', 'cuentaDejada');
      for (let i = 1; i <= MAX_INTENTOS_COMPENSACION; i++)
        aplicar(w, ev.eliminacionFallida[0], ev.eliminacionFallida[1], now);
      expect(w.estado).toBe('fallido');
      expect(w.pasos.eliminar_cuenta).toMatchObject({ estado: 'fallido', intentos: MAX_INTENTOS_COMPENSACION });
      expect(w.avisos).toEqual([
        expect.stringMatching(/^eliminar_cuenta: la cuenta a40123456@x.edu \(g1\) .*requiere conciliación/),
      ]);
      // A late success clears the flag.
      aplicar(w, ev.eliminada[0], ev.eliminada[1], now);
      expect(w.avisos).toEqual([]);
    });

    it("is not undone once a retry adopted it, and stays undoable as the student's account", () => {
      const { w } = run('creado', 'cuentaDejada', 'adoptada');
      expect(w.pasos.eliminar_cuenta.estado).toBe('omitido');
      expect(w.estado).toBe('fallido');
      // Whatever order the retry's account and the undo's answer arrive in, a later deprovisioning deletes it.
      for (const orden of [
        ['creado', 'cuentaDejada', 'adoptada', 'cuenta'],
        ['creado', 'cuentaDejada', 'cuenta', 'adoptada'],
        ['creado', 'cuentaDejada', 'cuenta', 'eliminada'],
      ]) {
        const r = run(...orden).w;
        expect(r.estado).toBe('enrolando_y_notificando');
        expect(r.pasos.eliminar_cuenta.estado).toBe('pendiente');
        desaprovisionar(r, now);
        aplicar(r, ev.desenrolado[0], ev.desenrolado[1], now);
        expect(r.pasos.eliminar_cuenta.estado).toBe('en_curso');
      }
    });

    it('is deleted when an operator deprovisions the failed student, and nothing else is', () => {
      const { w } = run('creado', 'cuentaDejada', 'eliminacionFallida');
      expect(desaprovisionar(w, now).comandos.map((c) => c.def)).toEqual([EliminarCuentaTeams]);
      expect(w.pasos.desenrolar_moodle.estado).toBe('omitido');
      aplicar(w, ev.eliminada[0], ev.eliminada[1], now);
      expect(w.estado).toBe('compensado');
    });

    it('is deleted when the failure arrives while an operator is deprovisioning', () => {
      const { w } = run('creado');
      desaprovisionar(w, now);
      expect(aplicar(w, ev.cuentaDejada[0], ev.cuentaDejada[1], now).comandos.map((c) => c.def)).toEqual([
        EliminarCuentaTeams,
      ]);
      expect(w.estado).toBe('compensando');
      aplicar(w, ev.eliminada[0], ev.eliminada[1], now);
      expect(w.estado).toBe('compensado');
    });
  });
});
