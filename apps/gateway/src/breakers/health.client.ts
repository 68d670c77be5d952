// Reads a service's /health/ready (libs/platform): the readiness of each check, and each breaker's state
// and rate use under `breaker:<dependency>` (libs/resilience). A 503 still carries the details.
import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@lucy/platform';
import { serviceUrls, type GatewayConfig } from '../config.js';

export interface SaludServicio {
  servicio: string;
  url: string;
  alcanzable: boolean;
  listo: boolean;
  error: string | null;
  detalles: Record<string, { status?: string; [k: string]: unknown }>;
}

const TIMEOUT_MS = 2500;

@Injectable()
export class HealthClient {
  readonly urls: Record<string, string>;

  constructor(@InjectConfig() config: GatewayConfig) {
    this.urls = serviceUrls(config);
  }

  todas(): Promise<SaludServicio[]> {
    return Promise.all(Object.keys(this.urls).map((s) => this.de(s)));
  }

  async de(servicio: string): Promise<SaludServicio> {
    const url = this.urls[servicio]!;
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = (await res.json().catch(() => ({}))) as { details?: SaludServicio['detalles'] };
      return {
        servicio,
        url,
        alcanzable: true,
        listo: res.ok,
        error: res.ok ? null : `HTTP ${res.status}`,
        detalles: body.details ?? {},
      };
    } catch (err) {
      return { servicio, url, alcanzable: false, listo: false, error: (err as Error).message, detalles: {} };
    }
  }
}
