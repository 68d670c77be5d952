// @Handler(AlumnoCreado) on a provider class with a `handle(payload, ctx)` method: one class per
// consumed message (docs/STYLE.md). The explorer finds these at start and registers them with the runtime.
import { SetMetadata } from '@nestjs/common';
import type { MessageDefinition, Payload } from '@lucy/contracts';
import type { MessageContext } from '../consumer/message-context.js';

export const HANDLER_METADATA = 'lucy:message-handler';

export interface HandlerMetadata {
  definition: MessageDefinition;
  /** Queue of this service to consume from; default: the service's main queue. */
  queue?: string;
}

export interface MessageHandler<D extends MessageDefinition> {
  handle(payload: Payload<D>, ctx: MessageContext): Promise<void> | void;
}

export const Handler = (definition: MessageDefinition, options: { queue?: string } = {}) =>
  SetMetadata<string, HandlerMetadata>(HANDLER_METADATA, { definition, queue: options.queue });
