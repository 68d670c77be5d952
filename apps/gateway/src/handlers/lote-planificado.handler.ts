import { LotePlanificado } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { PlanService } from '../lotes/plan.service.js';

/** ingest-service kept the lote's plan instead of acting (a dry run, or held by the safeguard): the lote waits for an operator. */
@Handler(LotePlanificado)
export class LotePlanificadoHandler {
  constructor(private readonly planes: PlanService) {}

  handle(evento: LotePlanificado, ctx: MessageContext) {
    return this.planes.onPlanificado(ctx.manager, evento);
  }
}
