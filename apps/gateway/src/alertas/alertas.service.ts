// Alerts: called, in the transaction that records a job's end or a reconciliation's end, with what
// happened. It counts it (alertas.metrics.ts), decides (alertas.decision.ts) and, when there is someone to
// tell, publishes EnviarAlerta through the outbox of that same transaction: the alert commits with the
// record of the failure, or neither does — never lost, never sent for a failure that was rolled back. The
// alert's id makes mail-service send it once however often it is delivered.
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EnviarAlerta } from '@lucy/contracts';
import type { TransactionScope } from '@lucy/messaging';
import { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { alertaDe, type Hecho } from './alertas.decision.js';
import { AlertasMetrics } from './alertas.metrics.js';

@Injectable()
export class AlertasService {
  private readonly log = new Logger('Alertas');

  constructor(
    private readonly configuracion: ConfiguracionService,
    private readonly metrics: AlertasMetrics,
  ) {}

  /** A scheduled time skipped (omitido): counted, never an alert. */
  omitida(trabajo: string): void {
    this.metrics.ejecucion(trabajo, 'omitido');
  }

  /** A job run that went well, recorded in the transaction that made its product: counted, never an alert. */
  hecha(trabajo: string): void {
    this.metrics.ejecucion(trabajo, 'ok');
  }

  /** Counts `hecho` and, if it alerts, publishes the alert in `scope`. Returns the alert's id, if one was sent. */
  async registrar(scope: TransactionScope, hecho: Hecho): Promise<string | null> {
    if (hecho.tipo === 'ejecucion') this.metrics.ejecucion(hecho.trabajo, hecho.resultado);
    else if (hecho.estado === 'terminada') this.metrics.reconciliacion(hecho.porTipo);
    if (hecho.tipo === 'ejecucion' && hecho.resultado !== 'fallido') return null;
    const { alertas } = (await this.configuracion.actual(scope.manager)).valores;
    const alerta = alertaDe(hecho, alertas.umbralDiferencias, new Date());
    if (!alerta) return null;
    this.metrics.alerta(alerta.tipo);
    this.log.warn({ tipo: alerta.tipo, ...alerta.datos, destinatarios: alertas.destinatarios.length }, 'alert raised');
    if (!alertas.destinatarios.length) return null;
    const alertaId = randomUUID();
    scope.publish(EnviarAlerta, {
      alertaId,
      tipo: alerta.tipo,
      destinatarios: alertas.destinatarios,
      plantilla: alertas.plantilla,
      datos: alerta.datos,
    });
    return alertaId;
  }
}
