// Reads a service over HTTP: its /health/ready (libs/platform; a 503 still carries the details) and its
// /metrics (libs/messaging and libs/resilience counters). Each call is bounded: one slow service must not
// hold the dashboard's picture of the others.
import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@lucy/platform';
import { serviceUrls, type GatewayConfig } from '../config.js';
import { SERVICIOS_CON_CLAVES } from '../configuracion/aplicacion.js';
import { countersOf, parseMetrics, type Counters } from './scraped-metrics.js';
import type { SaludLeida } from './resumen.js';

const TIMEOUT_MS = 2500;

@Injectable()
export class ServiceReader {
  readonly urls: Record<string, string>;

  constructor(@InjectConfig() config: GatewayConfig) {
    // The services the dashboard reports on, and those that apply the runtime configuration even when
    // SERVICES leaves one out: GET /api/v1/config asks each of them which version it applies.
    this.urls = serviceUrls({ ...config, SERVICES: [...new Set([...config.SERVICES, ...SERVICIOS_CON_CLAVES])] });
  }

  async salud(servicio: string, timeoutMs = TIMEOUT_MS): Promise<SaludLeida> {
    const url = this.urls[servicio];
    if (!url) return { alcanzable: false, listo: false, error: 'el gateway no conoce su dirección', detalles: {} };
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
      const body = (await res.json().catch(() => ({}))) as { details?: SaludLeida['detalles'] };
      return {
        alcanzable: true,
        listo: res.ok,
        error: res.ok ? null : `HTTP ${res.status}`,
        detalles: body.details ?? {},
      };
    } catch (err) {
      return { alcanzable: false, listo: false, error: (err as Error).message, detalles: {} };
    }
  }

  /** The counters now, or undefined when the service does not answer. */
  async contadores(servicio: string): Promise<Counters | undefined> {
    try {
      const res = await fetch(`${this.urls[servicio]}/metrics`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) return undefined;
      return countersOf(parseMetrics(await res.text()), Date.now());
    } catch {
      return undefined;
    }
  }
}
