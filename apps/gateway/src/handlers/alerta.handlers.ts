// What mail-service answers an alert with. Nothing waits for it: each is logged, so the gateway's log says
// whether the operators were emailed (mail-service's envio table has the details). Consumed even when only
// logged: an event no queue binds would pile up in lucy.unrouted.
import { Logger } from '@nestjs/common';
import { AlertaEnviada, AlertaFallida } from '@lucy/contracts';
import { Handler } from '@lucy/messaging';

const log = new Logger('Alertas');

@Handler(AlertaEnviada)
export class AlertaEnviadaHandler {
  handle(evento: AlertaEnviada) {
    log.log({ alertaId: evento.alertaId, smtpMessageId: evento.smtpMessageId }, 'alert emailed');
  }
}

@Handler(AlertaFallida)
export class AlertaFallidaHandler {
  handle(evento: AlertaFallida) {
    log.error(
      { alertaId: evento.alertaId, codigo: evento.codigo, motivo: evento.motivo, permanente: evento.permanente },
      'alert email not sent',
    );
  }
}
