// Prometheus text (each service's GET /metrics) → the few counters the dashboard turns into rates, and
// the rates themselves from samples taken over time. Pure.

export interface Serie {
  nombre: string;
  etiquetas: Record<string, string>;
  valor: number;
}

const LINEA = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const ETIQUETA = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The series of the exposition format whose names start with `prefijo` (comments and others skipped). */
export function leerMetricas(texto: string, prefijo = 'lucy_'): Serie[] {
  const out: Serie[] = [];
  for (const linea of texto.split('\n')) {
    if (!linea.startsWith(prefijo)) continue;
    const m = LINEA.exec(linea);
    if (!m) continue;
    const valor = Number(m[3]);
    if (!Number.isFinite(valor)) continue;
    const etiquetas: Record<string, string> = {};
    for (const e of (m[2] ?? '').matchAll(ETIQUETA))
      etiquetas[e[1]!] = e[2]!.replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    out.push({ nombre: m[1]!, etiquetas, valor });
  }
  return out;
}

export const sumar = (
  series: readonly Serie[],
  nombre: string,
  filtro: (e: Record<string, string>) => boolean = () => true,
) => series.filter((s) => s.nombre === nombre && filtro(s.etiquetas)).reduce((n, s) => n + s.valor, 0);

/** What one scrape says, reduced to the counters that become rates. */
export interface Contadores {
  at: number;
  /** Messages taken from the service's queues (lucy_messages_consumed_total), duplicates excluded. */
  consumidos: number;
  /** Calls that used a rate-limit slot, per dependency (lucy_external_calls_total). */
  llamadas: Record<string, number>;
}

/** Outcomes of a guarded call that did reach the dependency (a short-circuited or deferred one did not). */
const LLAMADA_HECHA = new Set(['success', 'transient', 'permanent', 'throttled', 'timeout']);

export function contadoresDe(series: readonly Serie[], at: number): Contadores {
  const llamadas: Record<string, number> = {};
  for (const s of series) {
    if (s.nombre !== 'lucy_external_calls_total' || !LLAMADA_HECHA.has(s.etiquetas.outcome ?? '')) continue;
    const dep = s.etiquetas.dependency ?? '?';
    llamadas[dep] = (llamadas[dep] ?? 0) + s.valor;
  }
  return { at, consumidos: sumar(series, 'lucy_messages_consumed_total', (e) => e.outcome !== 'duplicate'), llamadas };
}

/**
 * Per minute, between the oldest sample inside the window and the newest; null with fewer than two
 * samples in it. A counter that went down means the service restarted: its new value is all since then.
 */
export function porMinuto(
  muestras: readonly Contadores[],
  valor: (c: Contadores) => number,
  ventanaMs = 60_000,
): number | null {
  const ultima = muestras.at(-1);
  if (!ultima) return null;
  const primera = muestras.find((m) => ultima.at - m.at <= ventanaMs);
  if (!primera || primera === ultima || ultima.at === primera.at) return null;
  const a = valor(primera);
  const b = valor(ultima);
  const delta = b >= a ? b - a : b;
  return Math.round((delta / (ultima.at - primera.at)) * 60_000 * 10) / 10;
}
