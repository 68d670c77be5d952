// The onboarding saga, in one place: every state, what each event does to it, and what undoes each step.
//
//   creando_cuenta ──CuentaTeamsCreada──> enrolando_y_notificando ──(Moodle ∧ email settled)──> completado
//        │                                        └─ Moodle or email failed ─────────────────> completado_con_avisos
//        └──CuentaTeamsFallida──> fallido            (the account is critical; Moodle and email are not)
//                 └─ it left an Entra user (disabled by teams-service): eliminar_cuenta runs in fallido, retried by
//                    the sweeper; undone, or adopted by a retry (omitido), or never undone: flagged for
//                    reconciliation in the avisos. The workflow stays fallido throughout.
//
//   any state ──desaprovisionar──> compensando: undo in reverse order (unenrol, then delete the account),
//        each undo recorded; all done ──> compensado; an undo that keeps failing ──> compensacion_fallida
//
// Events are applied in whatever order the broker delivers them (a MoodleEnrolado may be read before the
// CuentaTeamsCreada that caused it): each event settles its own step, and the state is derived from the
// steps. The row is locked while an event is applied (workflow.service.ts), so concurrent events queue.
import {
  AlumnoActualizado,
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
  MoodleDesenrolamientoFallido,
  MoodleEnrolado,
  MoodleFallido,
  PasswordRestablecida,
  RestablecimientoPasswordFallido,
  type MessageDefinition,
  type Payload,
} from '@lucy/contracts';
import { pasoInicial, TERMINALES, type EstadoPaso, type OnboardingState, type Paso } from './onboarding.model.js';

export interface Comando<D extends MessageDefinition = MessageDefinition> {
  def: D;
  payload: Payload<D>;
}

export interface Efecto {
  comandos: Comando[];
  /** One line for the audit trail: what this event meant for the workflow. */
  nota: string;
}

/** What undoes each forward step, in the order the undo runs (reverse of the forward order). */
export const COMPENSACIONES: readonly { paso: Paso; deshace: Paso }[] = [
  { paso: 'desenrolar_moodle', deshace: 'moodle' },
  { paso: 'eliminar_cuenta', deshace: 'cuenta' },
];

/** How long a workflow may sit in a state before it is flagged stuck (seed 000: "RUNNING forever"). */
export const VENCIMIENTOS_MS: Partial<Record<OnboardingState['estado'], number>> = {
  // Above teams-service's retry budget for the account (RETRY_DELAYS_MS, about 38 minutes by default).
  creando_cuenta: 60 * 60_000,
  enrolando_y_notificando: 60 * 60_000,
  compensando: 30 * 60_000,
};

/** Undo attempts before a compensation is declared failed (each retry waits longer: see the sweeper). */
export const MAX_INTENTOS_COMPENSACION = 5;

type Handler<D extends MessageDefinition> = (w: OnboardingState, e: Payload<D>, now: string) => Efecto;
const on = <D extends MessageDefinition>(def: D, fn: Handler<D>) => [def.id, fn as Handler<MessageDefinition>] as const;

function settle(
  w: OnboardingState,
  paso: Paso,
  estado: EstadoPaso,
  now: string,
  extra: { error?: string | null; detalle?: Record<string, unknown> } = {},
) {
  const p = w.pasos[paso];
  p.estado = estado;
  p.intentos += estado === 'fallido' || estado === 'completado' ? 1 : 0;
  p.ultimoError = extra.error ?? (estado === 'completado' ? null : p.ultimoError);
  if (extra.detalle) p.detalle = { ...(p.detalle ?? {}), ...extra.detalle };
  p.startedAt ??= now;
  p.finishedAt = estado === 'completado' || estado === 'fallido' || estado === 'omitido' ? now : null;
}

function start(w: OnboardingState, paso: Paso, now: string) {
  const p = w.pasos[paso];
  if (p.estado !== 'pendiente' && p.estado !== 'fallido') return;
  p.estado = 'en_curso';
  p.startedAt ??= now;
  p.finishedAt = null;
}

const aviso = (w: OnboardingState, paso: Paso, motivo: string) => {
  w.avisos = [...w.avisos.filter((a) => !a.startsWith(`${paso}:`)), `${paso}: ${motivo}`];
};
const sinAviso = (w: OnboardingState, paso: Paso) => (w.avisos = w.avisos.filter((a) => !a.startsWith(`${paso}:`)));
const compensando = (w: OnboardingState) =>
  w.estado === 'compensando' || w.estado === 'compensado' || w.estado === 'compensacion_fallida';
/** The account step failed but left an Entra user behind (CuentaTeamsFallida named it): it is undone like a created one. */
export const cuentaDejada = (w: OnboardingState) => w.pasos.cuenta.estado === 'fallido' && !!w.graphUserId && !!w.upn;
/**
 * A reply to the undo of an account a failed attempt left, read after a later attempt gave the student an
 * account (adopted or new): it concerns the old one only, so it leaves the step open for a future undo.
 */
const deshacerSuperado = (w: OnboardingState) => !compensando(w) && w.pasos.cuenta.estado === 'completado';

/** The forward state follows from the steps; compensation states are only left by compensation events. */
export function derivarEstado(w: OnboardingState): OnboardingState['estado'] {
  if (compensando(w)) return w.estado;
  const { cuenta, moodle, email } = w.pasos;
  if (cuenta.estado === 'fallido') return 'fallido';
  if (cuenta.estado !== 'completado') return 'creando_cuenta';
  const settled = (s: EstadoPaso) => s === 'completado' || s === 'fallido';
  if (!settled(moodle.estado) || !settled(email.estado)) return 'enrolando_y_notificando';
  return w.avisos.length ? 'completado_con_avisos' : 'completado';
}

/** The next undo to send, or none: reverse order, skipping what never happened. */
export function siguienteCompensacion(w: OnboardingState, now: string): Efecto {
  for (const { paso, deshace } of COMPENSACIONES) {
    const undo = w.pasos[paso];
    if (undo.estado === 'completado' || undo.estado === 'omitido') continue;
    const hecho = w.pasos[deshace].estado;
    if (hecho === 'pendiente' || (hecho === 'fallido' && deshace === 'cuenta' && !cuentaDejada(w))) {
      settle(w, paso, 'omitido', now);
      continue;
    }
    if (deshace === 'cuenta' && !w.upn) {
      // The account is still being created: its CuentaTeamsCreada will trigger the delete.
      start(w, paso, now);
      return { comandos: [], nota: 'esperando a que termine la creación de la cuenta para eliminarla' };
    }
    if (undo.estado === 'en_curso' && undo.intentos === 0 && undo.detalle?.enviado)
      return { comandos: [], nota: `${paso} en curso` };
    start(w, paso, now);
    undo.detalle = { ...(undo.detalle ?? {}), enviado: now };
    return { comandos: [comandoDeshacer(w, paso)], nota: `deshaciendo ${deshace}` };
  }
  w.estado = 'compensado';
  return { comandos: [], nota: 'compensación completa' };
}

export function comandoDeshacer(w: OnboardingState, paso: Paso): Comando {
  if (paso === 'desenrolar_moodle')
    return {
      def: DesenrolarMoodle,
      payload: { alumnoId: w.alumnoId, upn: w.upn!, cursos: w.cursos.length ? w.cursos : undefined },
    };
  // The account a failed onboarding left is deleted only while no later onboarding has adopted it (teams-service checks).
  return {
    def: EliminarCuentaTeams,
    payload: {
      alumnoId: w.alumnoId,
      upn: w.upn!,
      graphUserId: w.graphUserId,
      ...(cuentaDejada(w) ? { dejadaPorFallo: true } : {}),
    },
  };
}

/**
 * A deadline passed with Moodle or the email still unanswered (Moodle down, its breaker holding the
 * messages): they are not critical, so the workflow completes with a warning now. The step stays open
 * to the late answer, which clears the warning when it comes.
 */
export function vencerPasosNoCriticos(w: OnboardingState, now: string): Efecto {
  const pendientes = (['moodle', 'email'] as const).filter(
    (p) => w.pasos[p].estado === 'en_curso' || w.pasos[p].estado === 'pendiente',
  );
  for (const paso of pendientes) {
    settle(w, paso, 'fallido', now, { error: 'sin respuesta dentro del plazo' });
    aviso(w, paso, 'sin respuesta dentro del plazo; se completará cuando responda');
  }
  w.estado = derivarEstado(w);
  return { comandos: [], nota: `plazo vencido sin respuesta de ${pendientes.join(' y ') || 'ningún paso'}` };
}

/** An operator asked to undo everything Lucy did for this student. */
export function desaprovisionar(w: OnboardingState, now: string): Efecto {
  if (w.estado === 'compensado') return { comandos: [], nota: 'ya estaba desaprovisionado' };
  w.estado = 'compensando';
  for (const { paso } of COMPENSACIONES) if (w.pasos[paso].estado === 'fallido') w.pasos[paso].estado = 'pendiente';
  return siguienteCompensacion(w, now);
}

const HANDLERS = new Map<string, Handler<MessageDefinition>>([
  on(AlumnoCreado, (w, e, now) => {
    w.alumno = e.alumno;
    w.loteId = e.loteId ?? w.loteId;
    // Events come in any order: a failure heard first settles the account step, and this late event must
    // not re-open it (nothing would settle it again). An operator's retry re-opens it itself (activar).
    if (w.pasos.cuenta.estado === 'fallido')
      return { comandos: [], nota: 'alumno registrado (la creación de su cuenta ya había fallado)' };
    start(w, 'cuenta', now);
    return { comandos: [], nota: 'alumno registrado; creando su cuenta' };
  }),
  on(AlumnoActualizado, (w, e) => {
    w.alumno = e.alumno;
    return { comandos: [], nota: `datos actualizados: ${e.cambios.join(', ')}` };
  }),
  on(CuentaTeamsCreada, (w, e, now) => {
    w.alumno ??= e.alumno;
    w.upn = e.upn;
    w.graphUserId = e.graphUserId;
    settle(w, 'cuenta', 'completado', now, {
      detalle: { upn: e.upn, existente: e.existente, credencialVersion: e.credencialVersion },
    });
    if (compensando(w)) {
      // Created after the operator asked to undo it: undo it now.
      const step = w.pasos.eliminar_cuenta;
      if (step.estado === 'completado') step.estado = 'pendiente';
      if (w.estado !== 'compensando') w.estado = 'compensando';
      return { ...siguienteCompensacion(w, now), nota: 'cuenta creada durante la compensación: se elimina' };
    }
    start(w, 'moodle', now);
    start(w, 'email', now);
    // An undo of an account an earlier failed attempt left (deleted, adopted, or flagged) is history now:
    // the step is open again for this account, should an operator ever deprovision it.
    if (w.pasos.eliminar_cuenta.estado !== 'pendiente') w.pasos.eliminar_cuenta = pasoInicial();
    sinAviso(w, 'eliminar_cuenta');
    return { comandos: [], nota: `cuenta ${e.upn} ${e.existente ? 'encontrada' : 'creada'}` };
  }),
  on(CuentaTeamsFallida, (w, e, now) => {
    settle(w, 'cuenta', 'fallido', now, {
      error: e.motivo,
      detalle: e.graphUserId
        ? { upn: e.upn, graphUserId: e.graphUserId, deshabilitada: e.deshabilitada ?? false }
        : undefined,
    });
    w.error = e.motivo;
    if (!e.graphUserId || !e.upn) return { comandos: [], nota: `la cuenta no pudo crearse: ${e.motivo}` };
    // The attempt left a user in Entra (disabled by teams-service if it could): shown as the student's
    // account, and undone by the same step and machinery as any other account, without leaving fallido.
    const misma = w.graphUserId === e.graphUserId;
    w.upn = e.upn;
    w.graphUserId = e.graphUserId;
    const dejada = `la cuenta no pudo completarse: ${e.motivo}; quedó ${e.upn} (${e.deshabilitada ? 'deshabilitada' : 'sin deshabilitar'}): se elimina`;
    const undo = w.pasos.eliminar_cuenta;
    if (misma && undo.estado === 'en_curso' && undo.detalle?.enviado)
      return { comandos: [], nota: `${dejada} (ya en curso)` };
    Object.assign(undo, { estado: 'pendiente', intentos: 0, ultimoError: null, finishedAt: null });
    if (compensando(w)) {
      if (w.estado !== 'compensando') w.estado = 'compensando';
      return { ...siguienteCompensacion(w, now), nota: dejada };
    }
    start(w, 'eliminar_cuenta', now);
    undo.detalle = { ...(undo.detalle ?? {}), enviado: now };
    return { comandos: [comandoDeshacer(w, 'eliminar_cuenta')], nota: dejada };
  }),
  on(MoodleEnrolado, (w, e, now) => {
    w.moodleUserId = e.moodleUserId;
    w.cursos = [...new Set([...w.cursos, ...e.cursos.map((c) => c.shortname)])];
    settle(w, 'moodle', 'completado', now, { detalle: { username: e.username, cursos: e.cursos } });
    sinAviso(w, 'moodle');
    if (compensando(w)) {
      const step = w.pasos.desenrolar_moodle;
      if (step.estado === 'completado' || step.estado === 'omitido') step.estado = 'pendiente';
      return { ...siguienteCompensacion(w, now), nota: 'enrolado durante la compensación: se desenrola' };
    }
    return { comandos: [], nota: `enrolado en ${e.cursos.map((c) => c.shortname).join(', ') || 'ningún curso'}` };
  }),
  on(MoodleFallido, (w, e, now) => {
    settle(w, 'moodle', 'fallido', now, { error: e.motivo });
    if (!compensando(w)) aviso(w, 'moodle', e.motivo);
    return { comandos: [], nota: `Moodle falló: ${e.motivo}` };
  }),
  on(EmailEnviado, (w, e, now) => {
    settle(w, 'email', 'completado', now, {
      detalle: { destinatario: e.destinatario, credencialVersion: e.credencialVersion },
    });
    sinAviso(w, 'email');
    return { comandos: [], nota: `credenciales enviadas a ${e.destinatario}` };
  }),
  on(EmailFallido, (w, e, now) => {
    settle(w, 'email', 'fallido', now, { error: e.motivo });
    if (!compensando(w)) aviso(w, 'email', e.motivo);
    return { comandos: [], nota: `el email falló: ${e.motivo}` };
  }),
  on(PasswordRestablecida, (w, e) => {
    if (!compensando(w)) {
      // A new credential means a new email: the step is open again until mail-service answers.
      Object.assign(w.pasos.email, { estado: 'en_curso', finishedAt: null });
      sinAviso(w, 'email');
    }
    return { comandos: [], nota: `contraseña restablecida (versión ${e.credencialVersion}); reenviando credenciales` };
  }),
  on(RestablecimientoPasswordFallido, (w, e) => {
    if (!compensando(w)) aviso(w, 'email', `restablecer contraseña: ${e.motivo}`);
    return { comandos: [], nota: `no se pudo restablecer la contraseña: ${e.motivo}` };
  }),
  on(MoodleDesenrolado, (w, _e, now) => {
    settle(w, 'desenrolar_moodle', 'completado', now);
    return compensando(w) ? siguienteCompensacion(w, now) : { comandos: [], nota: 'desenrolado de Moodle' };
  }),
  on(MoodleDesenrolamientoFallido, (w, e, now) => compensacionFallida(w, 'desenrolar_moodle', e.motivo, now)),
  on(CuentaTeamsEliminada, (w, e, now) => {
    if (deshacerSuperado(w))
      return {
        comandos: [],
        nota: `cuenta ${e.upn} (${e.graphUserId ?? '?'}) que dejó un intento fallido eliminada; el alumno ya tiene su cuenta`,
      };
    settle(w, 'eliminar_cuenta', 'completado', now, { detalle: { yaNoExistia: e.yaNoExistia } });
    sinAviso(w, 'eliminar_cuenta');
    return compensando(w)
      ? siguienteCompensacion(w, now)
      : { comandos: [], nota: cuentaDejada(w) ? `cuenta ${e.upn} que dejó el fallo eliminada` : 'cuenta eliminada' };
  }),
  on(CuentaTeamsEliminacionFallida, (w, e, now) => {
    if (deshacerSuperado(w))
      return {
        comandos: [],
        nota: `no se eliminó la cuenta que dejó un intento fallido (${e.motivo}); el alumno ya tiene su cuenta`,
      };
    if (e.codigo === CUENTA_ADOPTADA) {
      // A later onboarding took the account a failed one left: it is the student's now, nothing to undo.
      settle(w, 'eliminar_cuenta', 'omitido', now, { error: null });
      return compensando(w)
        ? siguienteCompensacion(w, now)
        : { comandos: [], nota: `la cuenta ${e.upn} fue adoptada por un nuevo intento: no se elimina` };
    }
    return compensacionFallida(w, 'eliminar_cuenta', e.motivo, now);
  }),
]);

/** A failed undo is never dropped: it stays visible and the sweeper sends it again, up to a limit. */
function compensacionFallida(w: OnboardingState, paso: Paso, motivo: string, now: string): Efecto {
  settle(w, paso, 'fallido', now, { error: motivo });
  if (w.pasos[paso].intentos >= MAX_INTENTOS_COMPENSACION) {
    if (!compensando(w)) {
      // The account a failed onboarding left, neither undone nor adopted: the student stays fallido, flagged
      // for reconciliation in their avisos (and by this step) until an operator deletes or adopts it.
      aviso(w, paso, `la cuenta ${w.upn} (${w.graphUserId}) que dejó el fallo sigue en Entra; requiere conciliación`);
      return {
        comandos: [],
        nota: `eliminar la cuenta que dejó el fallo falló ${w.pasos[paso].intentos} veces; requiere conciliación: ${motivo}`,
      };
    }
    w.estado = 'compensacion_fallida';
    return { comandos: [], nota: `${paso} falló ${w.pasos[paso].intentos} veces; requiere intervención: ${motivo}` };
  }
  return { comandos: [], nota: `${paso} falló (intento ${w.pasos[paso].intentos}); se reintentará: ${motivo}` };
}

export const EVENTOS_DEL_SAGA: readonly MessageDefinition[] = [
  AlumnoCreado,
  AlumnoActualizado,
  CuentaTeamsCreada,
  CuentaTeamsFallida,
  MoodleEnrolado,
  MoodleFallido,
  EmailEnviado,
  EmailFallido,
  PasswordRestablecida,
  RestablecimientoPasswordFallido,
  MoodleDesenrolado,
  MoodleDesenrolamientoFallido,
  CuentaTeamsEliminada,
  CuentaTeamsEliminacionFallida,
];

/** Applies one event to the workflow (mutating it) and says what to send next. */
export function aplicar(w: OnboardingState, def: MessageDefinition, payload: unknown, now: string): Efecto {
  const handler = HANDLERS.get(def.id);
  if (!handler) throw new Error(`the onboarding saga does not handle ${def.id}`);
  const efecto = handler(w, payload as never, now);
  w.estado = derivarEstado(w);
  if (TERMINALES.includes(w.estado)) w.atascado = false;
  return efecto;
}
