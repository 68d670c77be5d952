// The lifecycle workflows' engine, pure: from a kind's phases (ciclo.pasos.ts) to the commands to send,
// the state, and what each reply does. Every change of a lifecycle workflow happens here; ciclo.service.ts
// loads, locks, saves and audits.
//
//   en_curso ──(every step of the phase answered)──> next phase, or completado / completado_con_avisos
//      │                                               (a non-critical step failed, or a UPN to review)
//      └─ a critical step failed ──> fallido
//   a phase with a wait (a leaver's grace) ──> suspendido ──(grace over: the sweeper)──> en_curso
//                                                 └─ the student is back ──> cancelado, and a retorno
//                                                    (enable again, their new data, the return email)
//   retorno (or reparacion) whose account is gone for good (deleted over 30 days ago) ──> completado, and onboarding again
//   a running phase past its deadline (no answer) ──> flagged atascado by the sweeper; an operator's
//   reintentar-ciclo sends its unanswered steps again (a wait, the leaver's grace, is never stuck)
import { CUENTA_INEXISTENTE, type MessageDefinition } from '@lucy/contracts';
import {
  TIPOS_CICLO,
  tipoCiclo,
  type Comando,
  type ConfigCiclo,
  type DatosCiclo,
  type PasoCiclo,
  type TipoCiclo,
} from './ciclo.pasos.js';

export const ESTADOS_CICLO = [
  'en_curso',
  'suspendido',
  'completado',
  'completado_con_avisos',
  'fallido',
  'cancelado',
] as const;
export type EstadoCiclo = (typeof ESTADOS_CICLO)[number];
export const TERMINALES_CICLO: readonly EstadoCiclo[] = ['completado', 'completado_con_avisos', 'fallido', 'cancelado'];
/** States that wait on purpose (a grace period): never stuck. */
export const EN_ESPERA_CICLO: readonly EstadoCiclo[] = ['suspendido'];

export type EstadoPasoCiclo = 'pendiente' | 'en_curso' | 'completado' | 'fallido' | 'omitido';

export interface PasoCicloState {
  estado: EstadoPasoCiclo;
  intentos: number;
  ultimoError: string | null;
  detalle: Record<string, unknown> | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CicloState {
  tipo: TipoCiclo['tipo'];
  estado: EstadoCiclo;
  datos: DatosCiclo;
  /** The phase running or waiting (index in the kind's phases). */
  fase: number;
  /** Why it started (a leaver's motivo, an operator's action). */
  motivo: string | null;
  pasos: Record<string, PasoCicloState>;
  avisos: string[];
  error: string | null;
  /** Until when a waiting phase waits (ISO), or null. */
  esperaHasta: string | null;
  /** Set when the student must be onboarded again (a return whose account is gone for good). */
  reincorporar?: boolean;
  /** Its deadline passed with a step unanswered (the sweeper's flag); cleared by the next answer or a retry. */
  atascado: boolean;
}

export interface EfectoCiclo {
  comandos: Comando[];
  nota: string;
}

export type { ConfigCiclo };

const nuevoPaso = (): PasoCicloState => ({
  estado: 'pendiente',
  intentos: 0,
  ultimoError: null,
  detalle: null,
  startedAt: null,
  finishedAt: null,
});

/** Every step of a kind, in the order an operator reads them. */
export function pasosDe(tipo: TipoCiclo): readonly PasoCiclo[] {
  const todos = tipo.fases.flatMap((f) => f.pasos);
  return [...new Map(todos.map((p) => [p.paso, p])).values()];
}

const definicion = (tipo: string) => {
  const t = tipoCiclo(tipo);
  if (!t) throw new Error(`unknown lifecycle workflow ${tipo}`);
  return t;
};
const pasosEnCurso = (w: CicloState): readonly PasoCiclo[] => definicion(w.tipo).fases[w.fase].pasos;

export function iniciar(
  tipo: TipoCiclo['tipo'],
  datos: DatosCiclo,
  motivo: string | null,
  now: string,
  config: ConfigCiclo,
): { w: CicloState; efecto: EfectoCiclo } {
  const def = definicion(tipo);
  const w: CicloState = {
    tipo,
    estado: 'en_curso',
    datos,
    fase: 0,
    motivo,
    pasos: Object.fromEntries(pasosDe(def).map((p) => [p.paso, nuevoPaso()])),
    avisos: [],
    error: null,
    esperaHasta: null,
    atascado: false,
  };
  const efecto = iniciarFase(w, 0, now, config, false);
  return { w, efecto: { ...efecto, nota: `${def.etiqueta}${motivo ? ` (${motivo})` : ''}: ${efecto.nota}` } };
}

/** Starts phase `i`: waits first if it has a wait that has not passed, then sends its steps' commands. */
function iniciarFase(w: CicloState, i: number, now: string, config: ConfigCiclo, esperaCumplida: boolean): EfectoCiclo {
  const fase = definicion(w.tipo).fases[i];
  w.fase = i;
  if (fase.esperaDias && !esperaCumplida) {
    const dias = config[fase.esperaDias];
    w.estado = (fase.esperando as EstadoCiclo) ?? 'suspendido';
    w.esperaHasta = new Date(Date.parse(now) + dias * 86_400_000).toISOString();
    return { comandos: [], nota: `${w.estado} hasta ${w.esperaHasta} (${dias} días) antes de ${fase.fase}` };
  }
  w.estado = 'en_curso';
  w.esperaHasta = null;
  const efecto = enviar(w, fase.pasos, now, fase.fase, config);
  if (efecto.comandos.length) return efecto;
  // Nothing of this phase applies (the student came back with the same data): on to what follows.
  const siguiente = avanzar(w, now, config);
  return { comandos: siguiente.comandos, nota: `${efecto.nota}; ${siguiente.nota}` };
}

function enviar(
  w: CicloState,
  pasos: readonly PasoCiclo[],
  now: string,
  nombre: string,
  config: ConfigCiclo,
): EfectoCiclo {
  const comandos: Comando[] = [];
  for (const p of pasos) {
    const s = w.pasos[p.paso];
    if (p.aplica && !p.aplica(w.datos, config)) {
      Object.assign(s, { estado: 'omitido', finishedAt: now });
      continue;
    }
    Object.assign(s, { estado: 'en_curso', startedAt: now, finishedAt: null });
    comandos.push(p.comando(w.datos));
  }
  return { comandos, nota: `${nombre}: ${comandos.map((c) => c.def.name).join(', ') || 'nada que enviar'}` };
}

/** The step of this workflow waiting for this reply, if any. */
export function pasoQueEspera(w: CicloState, def: MessageDefinition): PasoCiclo | undefined {
  if (TERMINALES_CICLO.includes(w.estado) || EN_ESPERA_CICLO.includes(w.estado)) return undefined;
  return pasosEnCurso(w).find(
    (p) => w.pasos[p.paso].estado === 'en_curso' && (p.ok.id === def.id || p.falla.id === def.id),
  );
}

/** A reply to one of its steps: settles it, and moves on when the phase has answered. Null if none waited for it. */
export function aplicar(
  w: CicloState,
  def: MessageDefinition,
  payload: Record<string, unknown>,
  now: string,
  config: ConfigCiclo,
): EfectoCiclo | null {
  const paso = pasoQueEspera(w, def);
  if (!paso) return null;
  const s = w.pasos[paso.paso];
  w.atascado = false;
  s.intentos += 1;
  s.finishedAt = now;
  let nota: string;
  if (def.id === paso.ok.id) {
    s.estado = 'completado';
    s.ultimoError = null;
    const guardado = (paso.detalle ?? []).filter((k) => payload[k] != null).map((k) => [k, payload[k]]);
    if (guardado.length) s.detalle = { ...(s.detalle ?? {}), ...Object.fromEntries(guardado) };
    if (typeof payload.upnSugerido === 'string')
      aviso(w, paso.paso, `con los datos nuevos el patrón da el UPN ${payload.upnSugerido}; no se cambió (decidilo)`);
    nota = `${paso.etiqueta}: hecho`;
  } else {
    const motivo = String(payload.motivo ?? 'sin motivo');
    s.estado = 'fallido';
    s.ultimoError = motivo;
    if (
      (w.tipo === 'retorno' || w.tipo === 'reparacion') &&
      paso.paso === 'habilitar_cuenta' &&
      payload.codigo === CUENTA_INEXISTENTE
    ) {
      // Deleted too long ago to restore: the student is onboarded again (a new account, new credentials).
      w.reincorporar = true;
      nota = `${paso.etiqueta}: la cuenta ya no existe ni puede restaurarse; se hace el onboarding de nuevo`;
    } else {
      if (paso.critico) w.error = motivo;
      else aviso(w, paso.paso, motivo);
      nota = `${paso.etiqueta}: falló: ${motivo}`;
    }
  }
  const siguiente = avanzar(w, now, config);
  return { comandos: siguiente.comandos, nota: siguiente.nota ? `${nota}; ${siguiente.nota}` : nota };
}

/** After a step answered: the next phase, or the end, once every step of this one has. */
function avanzar(w: CicloState, now: string, config: ConfigCiclo): EfectoCiclo {
  const pasos = pasosEnCurso(w);
  if (pasos.some((p) => w.pasos[p.paso].estado === 'en_curso')) return { comandos: [], nota: '' };
  if (w.reincorporar) return terminar(w, 'completado', 'onboarding de nuevo');
  const criticoFallido = pasos.find((p) => p.critico && w.pasos[p.paso].estado === 'fallido');
  if (criticoFallido) return terminar(w, 'fallido', `${criticoFallido.etiqueta} falló`);
  const fases = definicion(w.tipo).fases;
  if (w.fase + 1 < fases.length) return iniciarFase(w, w.fase + 1, now, config, false);
  return terminar(w, w.avisos.length ? 'completado_con_avisos' : 'completado', 'terminado');
}

function terminar(w: CicloState, estado: EstadoCiclo, nota: string): EfectoCiclo {
  w.estado = estado;
  w.esperaHasta = null;
  return { comandos: [], nota: `${nota} (${estado})` };
}

/** The wait is over (the sweeper saw its deadline pass): the waiting phase starts. */
export function vencerEspera(w: CicloState, now: string, config: ConfigCiclo): EfectoCiclo | null {
  if (!EN_ESPERA_CICLO.includes(w.estado) || !w.esperaHasta || Date.parse(w.esperaHasta) > Date.parse(now)) return null;
  return iniciarFase(w, w.fase, now, config, true);
}

/**
 * The student is back while their leave waits (a suspended leaver, within the grace): the leave ends here,
 * nothing deleted. What brings them back — the account and the Moodle user enabled again, the data they
 * return with, the email that tells them — is the retorno the caller starts next.
 */
export function cerrarPorRetorno(w: CicloState): EfectoCiclo {
  const def = definicion(w.tipo);
  if (w.tipo !== 'baja' || !EN_ESPERA_CICLO.includes(w.estado))
    throw new RechazoCiclo(`${def.etiqueta} está ${w.estado}: solo se cierra mientras espera`);
  return terminar(w, 'cancelado', 'el alumno volvió durante la gracia');
}

/** States in which a workflow waits for its steps' answers, and so may be overdue. */
export const ESPERANDO_RESPUESTA: readonly EstadoCiclo[] = ['en_curso'];

/** Its deadline passed with a step still unanswered: flagged once (audited), like onboarding's. */
export function marcarAtascado(w: CicloState): EfectoCiclo | null {
  if (w.atascado || !ESPERANDO_RESPUESTA.includes(w.estado)) return null;
  w.atascado = true;
  const sin = pasosEnCurso(w).filter((p) => w.pasos[p.paso].estado === 'en_curso');
  return {
    comandos: [],
    nota: `sin respuesta dentro del plazo de ${sin.map((p) => p.paso).join(', ') || 'ningún paso'}`,
  };
}

/**
 * An operator's retry of a workflow that waits for answers (stuck, say, a message lost or a service down
 * for long): the commands of its steps still unanswered go again. Every step is safe to repeat (each
 * service does nothing twice: an enabled account is enabled, the return email is sent once per return).
 */
export function reintentar(w: CicloState): EfectoCiclo {
  const def = definicion(w.tipo);
  if (!ESPERANDO_RESPUESTA.includes(w.estado))
    throw new RechazoCiclo(`${def.etiqueta} está ${w.estado}: no espera respuestas que reintentar`);
  const pasos = pasosEnCurso(w).filter((p) => w.pasos[p.paso].estado === 'en_curso');
  w.atascado = false;
  return {
    comandos: pasos.map((p) => p.comando(w.datos)),
    nota: `reintento: ${pasos.map((p) => p.etiqueta.toLowerCase()).join(', ')}`,
  };
}

/** An operator action that cannot run now, and why (409). */
export class RechazoCiclo extends Error {}

const aviso = (w: CicloState, paso: string, motivo: string) => {
  w.avisos = [...w.avisos.filter((a) => !a.startsWith(`${paso}:`)), `${paso}: ${motivo}`];
};

/** Every reply some lifecycle step waits for (the gateway subscribes to each). */
export function respuestasDelCiclo(): MessageDefinition[] {
  const defs = TIPOS_CICLO.flatMap((t) => pasosDe(t).flatMap((p) => [p.ok, p.falla]));
  return [...new Map(defs.map((d) => [d.id, d])).values()];
}
