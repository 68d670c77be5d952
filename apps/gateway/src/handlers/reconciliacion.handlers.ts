// What teams-service and moodle-service answer a reconciliation with: its differences, part by part, then
// that they are done (or could not compare). Each is applied under the run's row lock.
import { DiferenciasEncontradas, ReconciliacionParcialFallida, ReconciliacionParcialTerminada } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { ReconciliacionService } from '../reconciliacion/reconciliacion.service.js';

@Handler(DiferenciasEncontradas)
export class DiferenciasEncontradasHandler {
  constructor(private readonly reconciliaciones: ReconciliacionService) {}

  handle(evento: DiferenciasEncontradas, ctx: MessageContext) {
    return this.reconciliaciones.onDiferencias(ctx, evento);
  }
}

@Handler(ReconciliacionParcialTerminada)
export class ReconciliacionParcialTerminadaHandler {
  constructor(private readonly reconciliaciones: ReconciliacionService) {}

  handle(evento: ReconciliacionParcialTerminada, ctx: MessageContext) {
    return this.reconciliaciones.onTerminada(ctx, evento);
  }
}

@Handler(ReconciliacionParcialFallida)
export class ReconciliacionParcialFallidaHandler {
  constructor(private readonly reconciliaciones: ReconciliacionService) {}

  handle(evento: ReconciliacionParcialFallida, ctx: MessageContext) {
    return this.reconciliaciones.onFallida(ctx, evento);
  }
}
