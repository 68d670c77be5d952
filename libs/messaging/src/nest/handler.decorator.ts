// @Handler(AlumnoCreado) on a provider class with a `handle(payload, ctx)` method: one class per
// consumed message (docs/STYLE.md). The explorer finds these at start and registers them with the runtime.
// `{ transaction: 'own', lease }` for a handler that must wait for an external API between its database
// steps (consumer/own-transactions.ts): its ctx is then an OwnTransactionContext.
// `{ onFailure: { event, payload } }` for a handler whose failure the saga must hear of: a permanent
// error, or the last attempt, publishes that event instead of parking the message (consumer/failure-report.ts).
import { SetMetadata } from '@nestjs/common';
import type { MessageDefinition, Payload } from '@lucy/contracts';
import type { FailureReport } from '../consumer/failure-report.js';
import type { TransactionOptions } from '../consumer/handler-binding.js';
import type { MessageContext } from '../consumer/message-context.js';

export const HANDLER_METADATA = 'lucy:message-handler';

export interface HandlerMetadata extends TransactionOptions {
  definition: MessageDefinition;
  /** Queue of this service to consume from; default: the service's main queue. */
  queue?: string;
  onFailure?: FailureReport<any, any>;
}

export interface MessageHandler<D extends MessageDefinition> {
  handle(payload: Payload<D>, ctx: MessageContext): Promise<void> | void;
}

export interface HandlerOptions<D extends MessageDefinition, F extends MessageDefinition> {
  queue?: string;
  transaction?: 'message' | 'own';
  lease?: (payload: Payload<D>) => string;
  onFailure?: FailureReport<D, F>;
}

export const Handler = <D extends MessageDefinition, F extends MessageDefinition = MessageDefinition>(
  definition: D,
  options: HandlerOptions<D, F> = {},
) => SetMetadata<string, HandlerMetadata>(HANDLER_METADATA, { definition, ...options });
