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
  AlumnoDadoDeBaja,
  AlumnoRetornado,
  CUENTA_ADOPTADA,
  CuentaTeamsCreada,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  CuentaTeamsFallida,
  MoodleEnrolado,
  PasswordRestablecida,
  RestablecimientoPasswordFallido,
  type MessageDefinition,
  type Payload,
} from '@lucy/contracts';
import { nuevoOnboarding, pasoInicial, TERMINALES, type EstadoPaso, type OnboardingState } from './onboarding.model.js';
import { definicion, TABLA, type Comando, type Paso, type PasoDef, type Vista } from './onboarding.pasos.js';

export type { Comando };

export interface Efecto {
  comandos: Comando[];
  /** One line for the audit trail: what this event meant for the workflow. */
  nota: string;
}

/** An operator action that cannot run on this workflow now, and why (the API answers 409 with it). */
export class Rechazo extends Error {}

// ---- Derived from the step table (onboarding.pasos.ts) -------------------------------------------------

const ADELANTE = TABLA.filter((p) => !p.deshace);
const CRITICOS = ADELANTE.filter((p) => p.critico).map((p) => p.paso);
/** Steps whose failure only warns: a deadline passed without their answer completes the workflow. */
export const NO_CRITICOS = ADELANTE.filter((p) => !p.critico).map((p) => p.paso);
/** What undoes each forward step, in the order the undo runs (reverse of the forward order). */
export const COMPENSACIONES: readonly { paso: Paso; deshace: Paso }[] = [...ADELANTE]
  .reverse()
  .flatMap((f) => TABLA.filter((u) => u.deshace === f.paso).map((u) => ({ paso: u.paso, deshace: f.paso })));
/** The undo steps, as the sweeper looks for failed ones to send again. */
export const PASOS_DESHACER: readonly Paso[] = COMPENSACIONES.map((c) => c.paso);

const plazoMaximo = (pasos: readonly PasoDef[]) => Math.max(...pasos.map((p) => p.plazoMs));
/** How long a workflow may sit in a state before it is flagged stuck: the longest step that runs in it. */
export const VENCIMIENTOS_MS: Partial<Record<OnboardingState['estado'], number>> = {
  creando_cuenta: plazoMaximo(ADELANTE.filter((p) => p.critico)),
  enrolando_y_notificando: plazoMaximo(ADELANTE.filter((p) => !p.critico)),
  compensando: plazoMaximo(TABLA.filter((p) => p.deshace)),
};

/**
 * How long the workflow may go without news before it is overdue: the longest of the steps it waits for
 * (the state's, when it waits for none in particular); none once it waits for nothing.
 */
export function plazoMs(w: OnboardingState): number | null {
  const esperando = TABLA.filter((p) => w.pasos[p.paso].estado === 'en_curso').map((p) => p.plazoMs);
  if (TERMINALES.includes(w.estado)) return esperando.length && !compensando(w) ? Math.max(...esperando) : null;
  return esperando.length ? Math.max(...esperando) : (VENCIMIENTOS_MS[w.estado] ?? null);
}

/** Undo attempts before a compensation is declared failed (each retry waits longer: see the sweeper). */
export const MAX_INTENTOS_COMPENSACION = 5;

/** What an operator may run on a student, in the order the dashboard offers them. */
export const ACCIONES_OPERADOR: readonly { accion: string; etiqueta: string; paso?: Paso }[] = [
  { accion: 'activar', etiqueta: 'Activar (onboarding)' },
  ...TABLA.flatMap((p) => (p.acciones ?? []).map((a) => ({ accion: a.accion, etiqueta: a.etiqueta, paso: p.paso }))),
  { accion: 'desaprovisionar', etiqueta: 'Desaprovisionar' },
];

/** The action that retries a failed non-critical step (its row's first), as a lote's *Reintentar* runs it. */
export const accionDeReintento = (paso: Paso): string | undefined => definicion(paso).acciones?.[0]?.accion;

/** What the API says of each step beside its state: how to read it, and what it undoes. */
export const DESCRIPCION_PASOS: Readonly<Record<Paso, { etiqueta: string; critico: boolean; deshace: Paso | null }>> =
  Object.fromEntries(
    TABLA.map((p) => [
      p.paso,
      { etiqueta: p.etiqueta, critico: !!p.critico, deshace: (p.deshace as Paso | undefined) ?? null },
    ]),
  ) as never;

/** An id a system gave, from the details of the step that keeps it (null while none). */
export function idDe(pasos: Partial<Record<string, { detalle: Record<string, unknown> | null }>>, id: string): unknown {
  for (const p of TABLA) if (p.detalle?.includes(id)) return pasos[p.paso]?.detalle?.[id] ?? null;
  return null;
}

const vista = (w: OnboardingState): Vista => ({
  alumnoId: w.alumnoId,
  loteId: w.loteId,
  upn: w.upn,
  alumno: w.alumno,
  cursos: w.cursos,
  ids: Object.fromEntries(TABLA.flatMap((p) => (p.detalle ?? []).map((k) => [k, idDe(w.pasos, k)]))),
  cuentaDejada: cuentaDejada(w),
});

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

/** What of a reply the step keeps (its row's `detalle` fields the reply carries), or nothing. */
function guardado(paso: Paso, e: object): Record<string, unknown> | undefined {
  const campos = (definicion(paso).detalle ?? []).filter((k) => (e as Record<string, unknown>)[k] != null);
  return campos.length ? Object.fromEntries(campos.map((k) => [k, (e as Record<string, unknown>)[k]])) : undefined;
}

function start(w: OnboardingState, paso: Paso, now: string) {
  const p = w.pasos[paso];
  if (p.estado !== 'pendiente' && p.estado !== 'fallido') return;
  p.estado = 'en_curso';
  p.startedAt ??= now;
  p.finishedAt = null;
}

/** Opens a step again for an answer still to come (a new credential, an operator's retry). */
function reabrir(w: OnboardingState, paso: Paso, now: string) {
  Object.assign(w.pasos[paso], { estado: 'en_curso', finishedAt: null, startedAt: w.pasos[paso].startedAt ?? now });
  sinAviso(w, paso);
}

const aviso = (w: OnboardingState, paso: Paso, motivo: string) => {
  w.avisos = [...w.avisos.filter((a) => !a.startsWith(`${paso}:`)), `${paso}: ${motivo}`];
};
const sinAviso = (w: OnboardingState, paso: Paso) => (w.avisos = w.avisos.filter((a) => !a.startsWith(`${paso}:`)));
const compensando = (w: OnboardingState) =>
  w.estado === 'compensando' || w.estado === 'compensado' || w.estado === 'compensacion_fallida';
const deshacerDe = (paso: Paso) => COMPENSACIONES.filter((c) => c.deshace === paso).map((c) => c.paso);
/** A failed critical step that left something behind (its reply named it): it is undone like a done one. */
const dejadoPorFallo = (w: OnboardingState, paso: Paso) =>
  !!definicion(paso).critico && w.pasos[paso].estado === 'fallido' && !!w.upn && idDe(w.pasos, 'graphUserId') != null;
/** The account step failed but left an Entra user behind (CuentaTeamsFallida named it): it is undone like a created one. */
export const cuentaDejada = (w: OnboardingState) => dejadoPorFallo(w, 'cuenta');
/**
 * A reply to the undo of an account a failed attempt left, read after a later attempt gave the student an
 * account (adopted or new): it concerns the old one only, so it leaves the step open for a future undo.
 */
const deshacerSuperado = (w: OnboardingState) => !compensando(w) && w.pasos.cuenta.estado === 'completado';

/** The forward state follows from the steps; compensation states are only left by compensation events. */
export function derivarEstado(w: OnboardingState): OnboardingState['estado'] {
  if (compensando(w)) return w.estado;
  if (CRITICOS.some((p) => w.pasos[p].estado === 'fallido')) return 'fallido';
  if (CRITICOS.some((p) => w.pasos[p].estado !== 'completado')) return 'creando_cuenta';
  const settled = (s: EstadoPaso) => s === 'completado' || s === 'fallido';
  if (!NO_CRITICOS.every((p) => settled(w.pasos[p].estado))) return 'enrolando_y_notificando';
  return w.avisos.length ? 'completado_con_avisos' : 'completado';
}

/** The next undo to send, or none: reverse order, skipping what never happened. */
export function siguienteCompensacion(w: OnboardingState, now: string): Efecto {
  for (const { paso, deshace } of COMPENSACIONES) {
    const undo = w.pasos[paso];
    if (undo.estado === 'completado' || undo.estado === 'omitido') continue;
    const hecho = w.pasos[deshace].estado;
    // A failed critical step that left nothing has nothing to undo; a failed non-critical one may have
    // done part of its work (some courses enrolled), so it is undone all the same.
    const nadaQueDeshacer = hecho === 'fallido' && !!definicion(deshace).critico && !dejadoPorFallo(w, deshace);
    if (hecho === 'pendiente' || nadaQueDeshacer) {
      settle(w, paso, 'omitido', now);
      continue;
    }
    if (definicion(deshace).critico && !w.upn) {
      // The account is still being created: its CuentaTeamsCreada will trigger the undo.
      start(w, paso, now);
      return { comandos: [], nota: `esperando a que termine ${deshace} para deshacerlo` };
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
  return definicion(paso).comando!(vista(w));
}

/** The sweeper may send this undo again: the workflow is compensating, or it undoes what a failure left. */
export function deshacerVigente(w: OnboardingState, paso: Paso): boolean {
  const deshace = definicion(paso).deshace as Paso;
  return w.estado === 'compensando' || (w.estado === 'fallido' && dejadoPorFallo(w, deshace));
}

/**
 * The sweeper sends a failed undo again, if it still applies and no other failure was recorded since the
 * sweeper read it (`intentos`, re-checked under the row lock: never a send past the limit). Null if not.
 */
export function reintentarDeshacer(w: OnboardingState, paso: Paso, intentos: number, now: string): Efecto | null {
  const step = w.pasos[paso];
  if (!deshacerVigente(w, paso) || step.estado !== 'fallido' || step.intentos !== intentos) return null;
  Object.assign(step, { estado: 'en_curso', finishedAt: null, startedAt: step.startedAt ?? now });
  return { comandos: [comandoDeshacer(w, paso)], nota: `${paso}: intento ${intentos + 1}` };
}

/** Its deadline passed with no news: flagged once (audited); the next event about it clears the flag. */
export function marcarAtascado(w: OnboardingState): Efecto {
  w.atascado = true;
  return { comandos: [], nota: `sin avances en ${w.estado} dentro del plazo` };
}

/**
 * A deadline passed with a non-critical step still unanswered (Moodle down, its breaker holding the
 * messages): the workflow completes with a warning now. The step stays open to the late answer, which
 * clears the warning when it comes.
 */
export function vencerPasosNoCriticos(w: OnboardingState, now: string): Efecto {
  const pendientes = NO_CRITICOS.filter((p) => w.pasos[p].estado === 'en_curso' || w.pasos[p].estado === 'pendiente');
  for (const paso of pendientes) {
    settle(w, paso, 'fallido', now, { error: 'sin respuesta dentro del plazo' });
    aviso(w, paso, 'sin respuesta dentro del plazo; se completará cuando responda');
  }
  w.estado = derivarEstado(w);
  return { comandos: [], nota: `plazo vencido sin respuesta de ${pendientes.join(' y ') || 'ningún paso'}` };
}

// ---- Operator actions ---------------------------------------------------------------------------------

/** An operator asked to undo everything Lucy did for this student. */
export function desaprovisionar(w: OnboardingState, now: string): Efecto {
  if (w.estado === 'compensado') return { comandos: [], nota: 'ya estaba desaprovisionado' };
  w.estado = 'compensando';
  for (const { paso } of COMPENSACIONES) if (w.pasos[paso].estado === 'fallido') w.pasos[paso].estado = 'pendiente';
  return siguienteCompensacion(w, now);
}

/**
 * Runs the onboarding again for a student whose workflow failed or was undone: a fresh workflow (same
 * row, steps reset) and the student's AlumnoCreado published again with the data the gateway last heard.
 * teams-service treats a new AlumnoCreado as "this student is coming in": it finds the account by UPN or
 * creates it, enables it and issues a new password; the rest of the flow follows as usual.
 *
 * Why the gateway re-publishes ingest-service's event instead of asking ingest-service to: the student's
 * data travels with every event (event-carried state), so the gateway holds the same copy ingest would
 * send; asking ingest would take a new command, a handler there and a reply, for no difference.
 */
export function activar(w: OnboardingState, now: string, opts: { cuentaPerdida?: boolean } = {}): Efecto {
  if (!w.alumno) throw new Rechazo('el gateway todavía no recibió los datos del alumno: esperá a que ingest lo libere');
  // A returning student whose account was deleted too long ago to restore is onboarded again from a
  // completed onboarding: the account it made is gone (the lifecycle's retorno found it so).
  if ((w.estado === 'completado' || w.estado === 'completado_con_avisos') && !opts.cuentaPerdida) {
    const otras = ACCIONES_OPERADOR.filter((a) => a.paso).map((a) => a.accion);
    throw new Rechazo(`el alumno ya está ${w.estado}: para volver a correr un paso usá ${otras.join(', ')}`);
  }
  if (!TERMINALES.includes(w.estado)) throw new Rechazo(`el workflow está ${w.estado}: esperá a que termine`);
  // What the failure left is being undone: a new onboarding now could adopt it just before the undo
  // lands. Once the undo has answered (done, or failed and waiting), the retry may start: teams-service
  // finds the account if it is still there and reuses it, and the pending undo is dropped.
  const enCurso = PASOS_DESHACER.find((p) => w.pasos[p].estado === 'en_curso');
  if (enCurso)
    throw new Rechazo(
      `se está deshaciendo lo que dejó el fallo (${definicion(enCurso).etiqueta.toLowerCase()}, ${w.upn ?? ''}): esperá a que termine`,
    );
  const previo = w.estado;
  const nuevo = Object.assign(nuevoOnboarding(w.alumnoId), { alumno: w.alumno, loteId: w.loteId });
  Object.assign(w, nuevo);
  const comandos: Comando[] = [];
  for (const p of ADELANTE.filter((d) => !d.tras)) {
    start(w, p.paso, now);
    comandos.push(p.comando!(vista(w)));
  }
  const quien = opts.cuentaPerdida ? 'para un alumno que volvió sin cuenta' : 'por un operador';
  return { comandos, nota: `onboarding iniciado de nuevo ${quien} (estaba ${previo})` };
}

/** An operator re-runs one step (its row's `acciones`): Moodle after it was down, new credentials, … */
function reintentarPaso(w: OnboardingState, accion: string, now: string): Efecto {
  const def = TABLA.find((p) => p.acciones?.some((a) => a.accion === accion));
  if (!def) throw new Error(`the onboarding saga has no action ${accion}`);
  const { etiqueta, reabre } = def.acciones!.find((a) => a.accion === accion)!;
  if (def.tras && w.pasos[def.tras as Paso].estado !== 'completado')
    throw new Rechazo(
      `el alumno todavía no tiene ${definicion(def.tras as Paso).etiqueta.toLowerCase()}: ${etiqueta.toLowerCase()} no puede correr`,
    );
  if (w.estado === 'compensando' || w.estado === 'compensado') throw new Rechazo(`el workflow está ${w.estado}`);
  if (reabre) {
    reabrir(w, def.paso, now);
    w.estado = derivarEstado(w);
  }
  return { comandos: [def.comando!(vista(w))], nota: `${etiqueta.toLowerCase()}: pedido por un operador` };
}

/** Runs an operator action (ACCIONES_OPERADOR) on the workflow; a Rechazo says why it cannot run now. */
export function ejecutarAccion(w: OnboardingState, accion: string, now: string): Efecto {
  if (accion === 'activar') return activar(w, now);
  if (accion === 'desaprovisionar') return desaprovisionar(w, now);
  return reintentarPaso(w, accion, now);
}

// ---- Events ---------------------------------------------------------------------------------------------

/**
 * What a step's replies do unless the saga says otherwise below. Done: its details kept, its warning
 * cleared, the steps that follow it started — or, while compensating, it is undone again. Failed: a
 * non-critical step warns; an undo is sent again by the sweeper, up to a limit.
 */
function respuestasPorDefecto(def: PasoDef & { paso: Paso }) {
  const paso = def.paso;
  const ok: Handler<MessageDefinition> = (w, e, now) => {
    settle(w, paso, 'completado', now, { detalle: guardado(paso, e as object) });
    sinAviso(w, paso);
    if (def.deshace)
      return compensando(w) ? siguienteCompensacion(w, now) : { comandos: [], nota: `${def.etiqueta}: hecho` };
    if (compensando(w)) {
      // Done after the operator asked to undo everything: undone now.
      for (const u of deshacerDe(paso)) if (w.pasos[u].estado !== 'en_curso') w.pasos[u].estado = 'pendiente';
      if (w.estado !== 'compensando') w.estado = 'compensando';
      return { ...siguienteCompensacion(w, now), nota: `${def.etiqueta}: hecho durante la compensación; se deshace` };
    }
    for (const f of ADELANTE.filter((d) => d.tras === paso)) start(w, f.paso, now);
    return { comandos: [], nota: `${def.etiqueta}: hecho` };
  };
  const falla: Handler<MessageDefinition> = (w, e, now) => {
    const motivo = (e as { motivo: string }).motivo;
    if (def.deshace) return compensacionFallida(w, paso, motivo, now);
    settle(w, paso, 'fallido', now, { error: motivo, detalle: guardado(paso, e as object) });
    if (def.critico) w.error = motivo;
    else if (!compensando(w)) aviso(w, paso, motivo);
    return { comandos: [], nota: `${def.etiqueta}: falló: ${motivo}` };
  };
  return [
    [def.ok.id, ok],
    [def.falla.id, falla],
  ] as const;
}

const POR_DEFECTO = new Map<string, Handler<MessageDefinition>>(TABLA.flatMap(respuestasPorDefecto));
const porDefecto = (def: MessageDefinition) => POR_DEFECTO.get(def.id)!;

const HANDLERS = new Map<string, Handler<MessageDefinition>>([
  ...POR_DEFECTO,
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
  // A leave and a return are the lifecycle's workflows (ciclo/); here the student's data is kept current.
  on(AlumnoDadoDeBaja, (w, e) => {
    w.alumno = e.alumno;
    return { comandos: [], nota: `dado de baja (${e.motivo})` };
  }),
  on(AlumnoRetornado, (w, e) => {
    w.alumno = e.alumno;
    return { comandos: [], nota: 'volvió' };
  }),
  on(CuentaTeamsCreada, (w, e, now) => {
    w.alumno ??= e.alumno;
    w.upn = e.upn;
    const efecto = porDefecto(CuentaTeamsCreada)(w, e, now);
    if (compensando(w)) return { ...efecto, nota: 'cuenta creada durante la compensación: se elimina' };
    // An undo of an account an earlier failed attempt left (deleted, adopted, or flagged) is history now:
    // the step is open again for this account, should an operator ever deprovision it.
    if (w.pasos.eliminar_cuenta.estado !== 'pendiente') w.pasos.eliminar_cuenta = pasoInicial();
    sinAviso(w, 'eliminar_cuenta');
    return { comandos: [], nota: `cuenta ${e.upn} ${e.existente ? 'encontrada' : 'creada'}` };
  }),
  on(CuentaTeamsFallida, (w, e, now) => {
    const misma = idDe(w.pasos, 'graphUserId') === e.graphUserId;
    porDefecto(CuentaTeamsFallida)(w, e.graphUserId ? e : { ...e, upn: null }, now);
    if (!e.graphUserId || !e.upn) return { comandos: [], nota: `la cuenta no pudo crearse: ${e.motivo}` };
    // The attempt left a user in Entra (disabled by teams-service if it could): shown as the student's
    // account, and undone by the same step and machinery as any other account, without leaving fallido.
    w.upn = e.upn;
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
    w.cursos = [...new Set([...w.cursos, ...e.cursos.map((c) => c.shortname)])];
    const efecto = porDefecto(MoodleEnrolado)(w, e, now);
    if (compensando(w)) return { ...efecto, nota: 'enrolado durante la compensación: se desenrola' };
    return { comandos: [], nota: `enrolado en ${e.cursos.map((c) => c.shortname).join(', ') || 'ningún curso'}` };
  }),
  on(PasswordRestablecida, (w, e, now) => {
    // A new credential means a new email: the step is open again until mail-service answers.
    if (!compensando(w)) reabrir(w, 'email', now);
    return { comandos: [], nota: `contraseña restablecida (versión ${e.credencialVersion}); reenviando credenciales` };
  }),
  on(RestablecimientoPasswordFallido, (w, e) => {
    if (!compensando(w)) aviso(w, 'email', `restablecer contraseña: ${e.motivo}`);
    return { comandos: [], nota: `no se pudo restablecer la contraseña: ${e.motivo}` };
  }),
  on(CuentaTeamsEliminada, (w, e, now) => {
    if (deshacerSuperado(w))
      return {
        comandos: [],
        nota: `cuenta ${e.upn} (${e.graphUserId ?? '?'}) que dejó un intento fallido eliminada; el alumno ya tiene su cuenta`,
      };
    const efecto = porDefecto(CuentaTeamsEliminada)(w, e, now);
    if (compensando(w)) return efecto;
    return { comandos: [], nota: cuentaDejada(w) ? `cuenta ${e.upn} que dejó el fallo eliminada` : 'cuenta eliminada' };
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
    return porDefecto(CuentaTeamsEliminacionFallida)(w, e, now);
  }),
]);

/** A failed undo is never dropped: it stays visible and the sweeper sends it again, up to a limit. */
function compensacionFallida(w: OnboardingState, paso: Paso, motivo: string, now: string): Efecto {
  settle(w, paso, 'fallido', now, { error: motivo });
  if (w.pasos[paso].intentos >= MAX_INTENTOS_COMPENSACION) {
    if (!compensando(w)) {
      // What a failed onboarding left, neither undone nor adopted: the student stays fallido, flagged for
      // reconciliation in their avisos (and by this step) until an operator deletes or adopts it.
      aviso(
        w,
        paso,
        `la cuenta ${w.upn} (${idDe(w.pasos, 'graphUserId')}) que dejó el fallo sigue en Entra; requiere conciliación`,
      );
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

/** The events the saga listens to: every step's replies, and the rest it reads. */
export const EVENTOS_DEL_SAGA: readonly MessageDefinition[] = [
  ...new Map(
    [
      AlumnoCreado,
      AlumnoActualizado,
      AlumnoDadoDeBaja,
      AlumnoRetornado,
      ...TABLA.flatMap((p) => [p.ok, p.falla]),
      PasswordRestablecida,
      RestablecimientoPasswordFallido,
    ].map((d) => [d.id, d]),
  ).values(),
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
