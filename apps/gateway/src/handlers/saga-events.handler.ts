// The gateway hears every event of the student's stay; each goes to the workflows the same way, so one
// handler class per event is made here from the sagas' own lists rather than written out one by one.
// The lifecycle reads it first: a reply one of its steps waits for is its own; anything else that
// onboarding's saga handles goes on to it (a change or a leaver concerns both).
import { Inject, type Type } from '@nestjs/common';
import type { MessageDefinition } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { CicloService, EVENTOS_DEL_CICLO } from '../ciclo/ciclo.service.js';
import { EVENTOS_DEL_SAGA } from '../sagas/onboarding.saga.js';
import { WorkflowService } from '../workflows/workflow.service.js';

const DEL_SAGA = new Set(EVENTOS_DEL_SAGA.map((d) => d.id));
const DEL_CICLO = new Set(EVENTOS_DEL_CICLO.map((d) => d.id));

function sagaHandler(def: MessageDefinition): Type<unknown> {
  @Handler(def)
  class SagaEventHandler {
    constructor(
      @Inject(WorkflowService) private readonly workflows: WorkflowService,
      @Inject(CicloService) private readonly ciclo: CicloService,
    ) {}

    async handle(evento: { alumnoId: string }, ctx: MessageContext) {
      if (DEL_CICLO.has(def.id) && (await this.ciclo.onEvent(def, evento, ctx))) return;
      if (DEL_SAGA.has(def.id)) await this.workflows.onEvent(def, evento, ctx);
    }
  }
  const name = def.name
    .split(/[.-]/)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  Object.defineProperty(SagaEventHandler, 'name', { value: `${name}Handler` });
  return SagaEventHandler;
}

const TODOS = [...new Map([...EVENTOS_DEL_SAGA, ...EVENTOS_DEL_CICLO].map((d) => [d.id, d])).values()];
export const SAGA_EVENT_HANDLERS = TODOS.map(sagaHandler);
