// A job's schedule decisions, pure (no clock, no database) so they can be tested around midnight and DST:
// whether a scheduled time runs or is skipped (outside the job's validity, on a holiday of the academic
// calendar), and the next runs with those marks. Dates (validity, holidays) are calendar days in the
// job's own time zone: a run at 23:30 in Córdoba on the 24th is the 24th's, whatever UTC says.
import type { Cron } from 'croner';
import { horaLocal } from '../scheduler/cron.js';

/** A holiday or non-working period, both ends included (YYYY-MM-DD). */
export interface PeriodoNoLaborable {
  desde: string;
  hasta: string;
  nombre: string;
  tipo: 'feriado' | 'receso';
}

export interface Vigencia {
  validDesde: string | null;
  validHasta: string | null;
}

export type Omision = { motivo: 'feriado'; nombre: string } | { motivo: 'fuera de vigencia'; nombre: null };

/** The calendar day (YYYY-MM-DD) `d` falls on in `zona`. */
export function fechaLocal(d: Date, zona: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zona, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    d,
  );
}

/** How far `zona`'s clock is ahead of UTC at instant `t`, in ms. */
function desfase(t: number, zona: string): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zona,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(t))
      .map((x) => [x.type, x.value]),
  );
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - (t - (t % 1000));
}

/**
 * The first instant of day `fecha` in `zona` (its local midnight; where DST skips midnight, the instant
 * the clock jumps to or just before it: the next runs are then taken from there).
 */
export function inicioDelDia(fecha: string, zona: string): Date {
  const base = Date.parse(`${fecha}T00:00:00Z`);
  let t = base;
  // Twice: the offset at the guess may differ from the offset at midnight across a DST change.
  for (let i = 0; i < 2; i++) t = base - desfase(t, zona);
  return new Date(t);
}

export function dentroDeVigencia(fecha: string, v: Vigencia): boolean {
  return (!v.validDesde || fecha >= v.validDesde) && (!v.validHasta || fecha <= v.validHasta);
}

/** The period of `calendario` that covers `fecha`, if any (the first by start date). */
export function periodoEn(fecha: string, calendario: readonly PeriodoNoLaborable[]): PeriodoNoLaborable | undefined {
  return [...calendario]
    .sort((a, b) => a.desde.localeCompare(b.desde))
    .find((p) => p.desde <= fecha && fecha <= p.hasta);
}

/**
 * Why the run scheduled at `at` does not run, or null when it runs. Validity first: outside it the job
 * does not exist, holiday or not.
 */
export function omisionDe(
  at: Date,
  t: Vigencia & { zonaHoraria: string; saltarFeriados: boolean },
  calendario: readonly PeriodoNoLaborable[],
): Omision | null {
  const fecha = fechaLocal(at, t.zonaHoraria);
  if (!dentroDeVigencia(fecha, t)) return { motivo: 'fuera de vigencia', nombre: null };
  if (t.saltarFeriados) {
    const p = periodoEn(fecha, calendario);
    if (p) return { motivo: 'feriado', nombre: p.nombre };
  }
  return null;
}

export interface Proxima {
  at: string;
  local: string;
  omitida: Omision | null;
}

/**
 * The next `n` scheduled times after `desde`, each marked with why it will not run. Outside the job's
 * validity one time says so (the first before validDesde, the first after validHasta): the list then
 * goes on from validDesde, or ends.
 */
export function proximasDe(
  cron: Cron,
  t: Vigencia & { zonaHoraria: string; saltarFeriados: boolean },
  calendario: readonly PeriodoNoLaborable[],
  n: number,
  desde: Date,
): Proxima[] {
  const out: Proxima[] = [];
  const marcar = (at: Date) => ({
    at: at.toISOString(),
    local: horaLocal(at, t.zonaHoraria),
    omitida: omisionDe(at, t, calendario),
  });
  let ref = desde;
  let antesSenalada = false;
  // Bounded: a dense expression is not walked run by run up to a validity years ahead.
  for (let vueltas = 0; out.length < n && vueltas < 5000; vueltas++) {
    const [at] = cron.nextRuns(1, ref);
    if (!at) break;
    const fecha = fechaLocal(at, t.zonaHoraria);
    if (t.validHasta && fecha > t.validHasta) {
      out.push(marcar(at));
      break;
    }
    if (t.validDesde && fecha < t.validDesde) {
      if (!antesSenalada) out.push(marcar(at));
      antesSenalada = true;
      // On from validDesde's first instant in the job's zone (not run by run up to it).
      const salto = new Date(inicioDelDia(t.validDesde, t.zonaHoraria).getTime() - 1);
      ref = salto > at ? salto : at;
      continue;
    }
    ref = at;
    out.push(marcar(at));
  }
  return out;
}

/**
 * The job's state as an operator reads it: inactivo (switched off), invalido (its expression cannot be
 * scheduled), sin_accion (no module provides what it does yet), fuera_de_vigencia (today is outside its
 * dates: it runs from validDesde, or ran until validHasta), programado.
 */
export type EstadoTrabajo = 'programado' | 'inactivo' | 'invalido' | 'sin_accion' | 'fuera_de_vigencia';

export function estadoDe(
  t: Vigencia & { activo: boolean; zonaHoraria: string },
  a: { problema: string | undefined; conAccion: boolean; ahora: Date },
): EstadoTrabajo {
  if (!t.activo) return 'inactivo';
  if (a.problema) return 'invalido';
  if (!a.conAccion) return 'sin_accion';
  if (!dentroDeVigencia(fechaLocal(a.ahora, t.zonaHoraria), t)) return 'fuera_de_vigencia';
  return 'programado';
}
