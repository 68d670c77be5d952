// What a service says it applied of the runtime configuration: /health/ready → details.configuracion
// (libs/runtime-config). Read defensively: a service built before runtime-config reports nothing, and
// nothing read here is trusted to have the right shape. Pure.
import type { SaludLeida } from './resumen.js';

export interface ConfiguracionAplicada {
  /** 0: no version applied, the service runs on its environment. */
  version: number;
  cambiadoPor: string | null;
  appliedAt: string | null;
  /** Its keys that come from the gateway's configuration rather than its environment. */
  fijadas: string[];
  /** Keys whose value it refused, with its reason (they keep their previous value). */
  rechazadas: Record<string, string>;
}

const texto = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** The configuration a service reports, or null when it reports none (or not in a readable shape). */
export function configuracionAplicada(salud: SaludLeida): ConfiguracionAplicada | null {
  const c = salud.detalles.configuracion as Record<string, unknown> | undefined;
  if (!c || typeof c.version !== 'number' || !Number.isInteger(c.version) || c.version < 0) return null;
  const rechazadas =
    c.rechazadas && typeof c.rechazadas === 'object' && !Array.isArray(c.rechazadas)
      ? (c.rechazadas as Record<string, unknown>)
      : {};
  return {
    version: c.version,
    cambiadoPor: texto(c.cambiadoPor),
    appliedAt: texto(c.appliedAt),
    fijadas: Array.isArray(c.fijadas) ? c.fijadas.filter((k): k is string => typeof k === 'string') : [],
    rechazadas: Object.fromEntries(Object.entries(rechazadas).map(([k, v]) => [k, texto(v) ?? 'rechazada'])),
  };
}

/**
 * Whether a service applies the gateway's current version. A version ahead of it is not up to date
 * either: it means the gateway's database went back (restored from an older copy), and the service
 * ignores every version up to the one it holds.
 */
export const alDia = (aplicada: number, actual: number): boolean => aplicada === actual;
