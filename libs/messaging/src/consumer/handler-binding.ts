import type { MessageDefinition } from '@lucy/contracts';
import type { FailureReport } from './failure-report.js';
import type { HandlerContext } from './message-context.js';

export type HandlerFn = (payload: any, ctx: HandlerContext) => Promise<void> | void;

/** How a handler's database work is wrapped (own-transactions.ts). */
export interface TransactionOptions {
  /**
   * 'message' (default): the handler runs inside the message's transaction (`ctx.manager`). 'own': no
   * transaction is open while it runs; it takes short ones and commits last (OwnTransactionContext).
   */
  transaction?: 'message' | 'own';
  /** With 'own': the key deliveries take turns on (say the student's id); none, no turns. */
  lease?: (payload: any) => string;
}

/** One handler for one message version, consuming from one queue of this service. */
export interface HandlerBinding extends TransactionOptions {
  definition: MessageDefinition;
  queue: string;
  name: string;
  handle: HandlerFn;
  /** The event to publish when the handler fails for good, instead of being parked (failure-report.ts). */
  onFailure?: FailureReport<any, any>;
}
