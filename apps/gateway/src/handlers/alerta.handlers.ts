// What mail-service answers an alert with. Nothing waits for it: logged, so an alert that could not be
// emailed is at least in the gateway's log (and in mail-service's envio table).
import { Logger } from '@nestjs/common';
import { AlertaFallida } from '@lucy/contracts';
import { Handler } from '@lucy/messaging';

@Handler(AlertaFallida)
export class AlertaFallidaHandler {
  private readonly log = new Logger('Alertas');

  handle(evento: AlertaFallida) {
    this.log.error({ alertaId: evento.alertaId, codigo: evento.codigo, motivo: evento.motivo }, 'alert email not sent');
  }
}
