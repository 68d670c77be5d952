import { LotePlanParte } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { PlanService } from '../lotes/plan.service.js';

/** A part of the plan's items, to show it paged. */
@Handler(LotePlanParte)
export class LotePlanParteHandler {
  constructor(private readonly planes: PlanService) {}

  handle(evento: LotePlanParte, ctx: MessageContext) {
    return this.planes.onPlanParte(ctx.manager, evento);
  }
}
