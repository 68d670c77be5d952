// Which version each service that owns keys has applied, beside the gateway's current one: what
// GET /api/v1/config shows under `aplicacion`. A service that does not answer (or does not report its
// configuration) is unknown, not an error: the configuration itself is still readable. Pure.
import { alDia, configuracionAplicada } from '../dashboard/configuracion-aplicada.js';
import type { SaludLeida } from '../dashboard/resumen.js';

/** The services that apply keys of the configuration (libs/contracts: configuracion-cambiada.ts). */
export const SERVICIOS_CON_CLAVES = ['ingest-service', 'teams-service', 'moodle-service', 'mail-service'] as const;

export interface AplicacionServicio {
  servicio: string;
  /** The version it applies; null: unknown (it did not answer or does not say). */
  version: number | null;
  /** Keys it refused, with its reason; null when unknown. */
  rechazadas: Record<string, string> | null;
  alDia: boolean;
  /** Why it is unknown; null when it answered. */
  error: string | null;
}

export function aplicacionDe(servicio: string, salud: SaludLeida, versionActual: number): AplicacionServicio {
  const aplicada = configuracionAplicada(salud);
  if (!aplicada) {
    const error = salud.alcanzable
      ? 'no informa su configuración en /health/ready'
      : `no responde: ${salud.error ?? 'sin respuesta'}`;
    return { servicio, version: null, rechazadas: null, alDia: false, error };
  }
  return {
    servicio,
    version: aplicada.version,
    rechazadas: aplicada.rechazadas,
    alDia: alDia(aplicada.version, versionActual),
    error: null,
  };
}
