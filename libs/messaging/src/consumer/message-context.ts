// What a handler gets besides the payload: the envelope, the transaction it runs in, and a way to
// publish the messages its work causes (they commit with its writes: transactional outbox).
import type { EntityManager } from 'typeorm';
import type { Envelope, MessageDefinition, Payload } from '@lucy/contracts';
import { buildEnvelope, toOutgoing, type OutgoingMessage } from '../transport/wire.js';
import type { FailureHook } from './failure-report.js';

/** What every handler's context has, whichever way its transactions go. */
export abstract class HandlerContext {
  readonly outgoing: OutgoingMessage[] = [];
  private hook?: FailureHook<any>;

  constructor(
    readonly envelope: Envelope,
    /** 1 for the first delivery, growing with each retry. */
    readonly attempt: number,
    /** On the last attempt a handler may prefer to report a failure event rather than be parked. */
    readonly isLastAttempt: boolean,
  ) {}

  get correlationId(): string {
    return this.envelope.correlationId;
  }

  /** Emits an event or sends a command caused by this message (same correlation, causation = this). */
  publish<D extends MessageDefinition>(def: D, payload: Payload<D>): void {
    const env = buildEnvelope(def, payload, {
      correlationId: this.envelope.correlationId,
      causationId: this.envelope.messageId,
    });
    this.outgoing.push(toOutgoing(def, env));
  }

  /**
   * What this handler adds to its failure report (@Handler's `onFailure`), used only if its failure is
   * reported: extra fields, writes that commit with the event (consumer/failure-report.ts). The last one set wins.
   */
  onFailure<P extends object = Record<string, unknown>>(hook: FailureHook<P>): void {
    this.hook = hook;
  }

  /** The hook set by `onFailure`, for the transport. */
  get failureHook(): FailureHook<any> | undefined {
    return this.hook;
  }
}

export class MessageContext extends HandlerContext {
  constructor(
    envelope: Envelope,
    /** The transaction the handler's writes belong to; with the inbox off, a plain manager. */
    readonly manager: EntityManager,
    attempt: number,
    isLastAttempt: boolean,
  ) {
    super(envelope, attempt, isLastAttempt);
  }
}
