import type { MessageDefinition } from '@lucy/contracts';
import type { MessageContext } from './message-context.js';

export type HandlerFn = (payload: any, ctx: MessageContext) => Promise<void> | void;

/** One handler for one message version, consuming from one queue of this service. */
export interface HandlerBinding {
  definition: MessageDefinition;
  queue: string;
  name: string;
  handle: HandlerFn;
}
