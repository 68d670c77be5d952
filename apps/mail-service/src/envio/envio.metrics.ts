import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '@lucy/platform';

export type ResultadoMetrica =
  'enviado' | 'rechazado' | 'reintento' | 'fallido' | 'incierto' | 'repetido' | 'sin_enviar' | 'aplazado';

/** What the credentials emails came to, for /metrics (a rise of `incierto` or `reintento` wants a look). */
@Injectable()
export class EnvioMetrics {
  private readonly envios: Counter<'plantilla' | 'resultado'>;

  constructor(metrics: MetricsService) {
    this.envios = new Counter({
      name: 'lucy_mail_envios_total',
      help: 'Credentials emails handled, by outcome: enviado, rechazado (5xx), reintento (4xx or no connection, retried), fallido (retries spent), incierto, repetido (outcome repeated on a redelivery), sin_enviar (no address or unreadable credential), aplazado (relay breaker open or no rate slot: waits, nothing sent)',
      labelNames: ['plantilla', 'resultado'],
      registers: [metrics.registry],
    });
  }

  contar(plantilla: string, resultado: ResultadoMetrica): void {
    this.envios.inc({ plantilla, resultado });
  }
}
