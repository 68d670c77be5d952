// What /metrics says of the jobs, the last reconciliation and the alerts (an operator's dashboard can alert
// on them too, email or not).
import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { TIPOS_ALERTA, TIPOS_DIFERENCIA } from '@lucy/contracts';
import { MetricsService } from '@lucy/platform';

@Injectable()
export class AlertasMetrics {
  private readonly ejecuciones: Counter<'trabajo' | 'resultado'>;
  private readonly diferencias: Gauge<'tipo'>;
  private readonly alertas: Counter<'tipo'>;

  constructor(metrics: MetricsService) {
    this.ejecuciones = new Counter({
      name: 'lucy_trabajo_ejecuciones_total',
      help: 'Scheduled job runs recorded by this replica, by job and outcome (ok, fallido, omitido); manual runs included',
      labelNames: ['trabajo', 'resultado'],
      registers: [metrics.registry],
    });
    this.diferencias = new Gauge({
      name: 'lucy_reconciliacion_diferencias',
      help: 'Differences of the last reconciliation this replica saw end terminada, by kind',
      labelNames: ['tipo'],
      registers: [metrics.registry],
    });
    this.alertas = new Counter({
      name: 'lucy_alertas_total',
      help: 'Alerts raised, by kind (trabajo_fallido, reconciliacion_fallida, deriva), emailed or not',
      labelNames: ['tipo'],
      registers: [metrics.registry],
    });
    // Every kind shown from the start: a rate() over a series that appears at its first alert misses it.
    for (const tipo of TIPOS_ALERTA) this.alertas.inc({ tipo }, 0);
  }

  ejecucion(trabajo: string, resultado: string): void {
    this.ejecuciones.inc({ trabajo, resultado });
  }

  /** The last terminated run's differences; a kind it did not find is 0. */
  reconciliacion(porTipo: Record<string, number>): void {
    for (const tipo of new Set([...TIPOS_DIFERENCIA, ...Object.keys(porTipo)]))
      this.diferencias.set({ tipo }, porTipo[tipo] ?? 0);
  }

  alerta(tipo: string): void {
    this.alertas.inc({ tipo });
  }
}
