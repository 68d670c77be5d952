// The calls to a dependency that a message's admission reserved before its transaction was opened, and
// that its handler then spends without waiting (see libs/messaging consumer/admission.ts). They travel with
// the handler's async context, so an adapter's `guard.call` finds them without being told.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallKind } from '../classify.js';

/** Calls one message is expected to make to one dependency. */
export interface CallBudget {
  read?: number;
  write?: number;
}

export class Tickets {
  private readonly left: Required<CallBudget>;
  private readonly used: Required<CallBudget> = { read: 0, write: 0 };

  constructor(
    readonly budget: CallBudget,
    /** True when reads and writes share one budget (no write quota): a ticket of either kind serves. */
    private readonly interchangeable: boolean,
  ) {
    this.left = { read: budget.read ?? 0, write: budget.write ?? 0 };
  }

  /** Spends a reserved call of this kind; false when none is left. */
  take(kind: CallKind): boolean {
    const other: CallKind = kind === 'read' ? 'write' : 'read';
    const from = this.left[kind] > 0 ? kind : this.interchangeable && this.left[other] > 0 ? other : null;
    if (!from) return false;
    this.left[from]--;
    this.used[kind]++;
    return true;
  }

  /**
   * True once a write of this run may have taken effect. From then on the handler is not sent back to its
   * admission: it would run again from the start and find its own write (a user it created would look
   * like someone else's). It waits where it is instead, as an undeclared call costs.
   */
  wrote = false;

  /** A call made without a ticket (its slot happened to be due). */
  spentUnreserved(kind: CallKind): void {
    this.used[kind]++;
  }

  /** What the next admission must reserve: what this run used so far (a run starts over), plus `more`. */
  next(more?: CallKind): CallBudget {
    const read = this.used.read + (more === 'read' ? 1 : 0);
    const write = this.used.write + (more === 'write' ? 1 : 0);
    return { read: Math.max(read, this.budget.read ?? 0), write: Math.max(write, this.budget.write ?? 0) };
  }
}

const scope = new AsyncLocalStorage<ReadonlyMap<string, Tickets>>();

/** The tickets for `dependency` of the message being handled here; undefined outside an admitted handler. */
export const admittedTickets = (dependency: string): Tickets | undefined => scope.getStore()?.get(dependency);

export function runAdmitted<T>(dependency: string, tickets: Tickets, fn: () => Promise<T>): Promise<T> {
  return scope.run(new Map([...(scope.getStore() ?? []), [dependency, tickets]]), fn);
}

/**
 * Runs `fn` as no message's handler: for work a timer started inside a handler's context (the breaker's
 * half-open probe), which must neither spend that message's tickets nor be sent back to its admission.
 */
export const outsideAdmission = <T>(fn: () => T): T => scope.exit(fn);

/** What a WaitOutsideError thrown by a guard tells the next admission. */
export interface ReadmissionDetail {
  dependency: string;
  budget: CallBudget;
}

export function readmissionFor(dependency: string, detail: unknown): CallBudget | undefined {
  const d = detail as Partial<ReadmissionDetail> | undefined;
  return d?.dependency === dependency ? d.budget : undefined;
}
