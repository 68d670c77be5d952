// The gateway hears every event of the onboarding flow; each one goes to the saga the same way, so one
// handler class per event is made here from the saga's own list rather than written out fourteen times.
import { Inject, type Type } from '@nestjs/common';
import type { MessageDefinition } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { EVENTOS_DEL_SAGA } from '../sagas/onboarding.saga.js';
import { WorkflowService } from '../workflows/workflow.service.js';

function sagaHandler(def: MessageDefinition): Type<unknown> {
  @Handler(def)
  class SagaEventHandler {
    constructor(@Inject(WorkflowService) private readonly workflows: WorkflowService) {}

    handle(evento: { alumnoId: string }, ctx: MessageContext) {
      return this.workflows.onEvent(def, evento, ctx);
    }
  }
  const name = def.name
    .split(/[.-]/)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  Object.defineProperty(SagaEventHandler, 'name', { value: `${name}Handler` });
  return SagaEventHandler;
}

export const SAGA_EVENT_HANDLERS = EVENTOS_DEL_SAGA.map(sagaHandler);
