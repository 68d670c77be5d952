// The schedule's arithmetic, kept pure so it can be tested without a clock: croner reads the expression
// in the configured IANA zone, DST included (a fixed time the clock skips runs right after the jump; one
// the clock repeats runs once), and answers "when next", "when last", "does this instant match".
import { Cron } from 'croner';

export const EJEMPLO_CRON = '0 2 * * * = todos los días a las 2:00';

/**
 * How close two runs may be. Each run pulls a whole cohort from SIAL (thousands of students, each
 * compared with what Lucy holds), so more often than every few minutes only piles pulls on one another.
 * Set once at start from SCHEDULER_MIN_INTERVAL_S (tests lower it); the API's schema reads it here
 * because it is a static zod schema with no access to the service's configuration.
 */
let intervaloMinimoS = 300;
export const fijarIntervaloMinimo = (segundos: number) => void (intervaloMinimoS = segundos);
export const intervaloMinimo = () => intervaloMinimoS;

/**
 * How far ahead the closest pair of runs is looked for: past a day's wrap (23:58 → 00:01) for dense
 * expressions, a year of months' wraps (the 31st → the 1st) for sparse ones.
 */
const RUNS_REVISADAS = 600;
const HORIZONTE_MS = 400 * 86_400_000;

/** 5 fields as every cron reads them, or 6 with seconds first (tests schedule every second). */
const MODO = '5-or-6-parts';

/** A job that never runs by itself: only asked about dates. Throws croner's error for a bad expression. */
export function cronDe(expresion: string, zona?: string): Cron {
  return new Cron(expresion, { timezone: zona, paused: true, mode: MODO });
}

/**
 * What is wrong with an expression, in words an admin can act on; undefined when it is usable. 5 fields
 * (minute hour day month weekday) or 6 (seconds first). Its frequency is judged in UTC: a zone's DST
 * changes only lengthen or repeat an hour, never bring two runs closer than the expression does.
 */
export function problemaDeCron(expresion: string, minimoS = intervaloMinimoS, ahora = new Date()): string | undefined {
  let cron: Cron;
  try {
    // A fixed UTC offset, not the 'UTC' zone: the same answer, without a time-zone lookup per step.
    cron = new Cron(expresion, { utcOffset: 0, paused: true, mode: MODO });
  } catch (err) {
    return `expresión cron inválida: ${explicar((err as Error).message)} (ej. ${EJEMPLO_CRON})`;
  }
  let anterior: Date | undefined;
  let n = 0;
  for (const run of cron.enumerate(ahora)) {
    if (anterior) {
      const s = (run.getTime() - anterior.getTime()) / 1000;
      if (s < minimoS) {
        return (
          `la expresión cron se ejecutaría cada ${duracion(s)} (p. ej. ${hora(anterior)} y ${hora(run)} UTC); ` +
          `el mínimo es ${duracion(minimoS)}, porque cada ejecución trae de SIAL la cohorte entera ` +
          `(ej. ${EJEMPLO_CRON}; */30 * * * * = cada 30 minutos)`
        );
      }
      if (++n >= RUNS_REVISADAS || run.getTime() - ahora.getTime() > HORIZONTE_MS) break;
    }
    anterior = run;
  }
  if (!anterior) return `la expresión cron nunca se cumple (¿un 30 de febrero?) (ej. ${EJEMPLO_CRON})`;
  return undefined;
}

/** croner's English message, without its prefix, translated where it is one of the usual mistakes. */
function explicar(mensaje: string): string {
  const m = mensaje.replace(/^CronPattern:\s*/, '');
  if (/exactly five, six, or seven|requires exactly 5 or 6 parts/.test(m))
    return 'hacen falta 5 campos (minuto hora día mes día-de-la-semana), o 6 con los segundos primero';
  const fuera = /Invalid value for (\w+): (-?\d+)/.exec(m);
  if (fuera) return `valor fuera de rango para ${CAMPO[fuera[1]!] ?? fuera[1]}: ${fuera[2]}`;
  if (/illegal characters/.test(m)) return `caracteres no válidos (${m})`;
  return m;
}

const CAMPO: Record<string, string> = {
  second: 'los segundos',
  minute: 'el minuto',
  hour: 'la hora',
  day: 'el día',
  month: 'el mes',
  dayOfWeek: 'el día de la semana',
};

const duracion = (s: number) =>
  s < 60
    ? `${s} segundo${s === 1 ? '' : 's'}`
    : s % 60 === 0 && s < 3600
      ? `${s / 60} minuto${s === 60 ? '' : 's'}`
      : s % 3600 === 0
        ? `${s / 3600} hora${s === 3600 ? '' : 's'}`
        : `${Math.round(s / 60)} minutos`;

const hora = (d: Date) => d.toISOString().slice(11, d.getUTCSeconds() ? 19 : 16);

/**
 * The slot a firing belongs to: the latest scheduled time at or before `ahora`. Every replica that fires
 * for one scheduled time names it the same way, whatever its timer's jitter (croner never fires early).
 */
export function franjaDe(cron: Cron, ahora: Date): Date | null {
  // croner's previousRuns excludes a run exactly at the reference: look from a millisecond later.
  return cron.previousRuns(1, new Date(ahora.getTime() + 1))[0] ?? null;
}

/** A time as a person in `zona` reads it: "lun 24/11/2026 02:00" (seconds only when not zero). */
export function horaLocal(d: Date, zona: string): string {
  const partes = Object.fromEntries(
    new Intl.DateTimeFormat('es-AR', {
      timeZone: zona,
      weekday: 'short',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const segundos = partes.second && partes.second !== '00' ? `:${partes.second}` : '';
  return `${String(partes.weekday).replace('.', '')} ${partes.day}/${partes.month}/${partes.year} ${partes.hour}:${partes.minute}${segundos}`;
}

/** A missed slot is pulled at start only if it is this recent (see decidirRecuperacion). */
export const VENTANA_RECUPERACION_MS = 60 * 60_000;

export type Recuperacion =
  { tipo: 'ninguna' } | { tipo: 'recuperar'; franja: Date } | { tipo: 'perdida'; franja: Date };

/**
 * A gateway that starts after a scheduled time nobody claimed (every replica was down):
 * - the most recent such time, if within the last hour, is pulled once now, and says so;
 * - an older one is not: a pull hours late may land in the middle of the working day the schedule was
 *   chosen to avoid, and the next scheduled run brings the same cohort anyway (a warning is logged);
 * - only the most recent time counts: a pull brings the whole cohort, so one catch-up covers all misses;
 * - a time before the current configuration was stored is never replayed: the schedule then was
 *   another one, or inactive (an admin who just switched it on does not get an immediate pull).
 */
export function decidirRecuperacion(a: {
  ultima: Date | null;
  reclamada: boolean;
  ahora: Date;
  vigenteDesde: Date | null;
  ventanaMs?: number;
}): Recuperacion {
  if (!a.ultima || a.reclamada) return { tipo: 'ninguna' };
  if (a.vigenteDesde && a.ultima.getTime() < a.vigenteDesde.getTime()) return { tipo: 'ninguna' };
  if (a.ahora.getTime() - a.ultima.getTime() > (a.ventanaMs ?? VENTANA_RECUPERACION_MS))
    return { tipo: 'perdida', franja: a.ultima };
  return { tipo: 'recuperar', franja: a.ultima };
}
