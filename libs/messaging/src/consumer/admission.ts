// Admission: what a message must wait for before it may take a database connection. A queue's admission
// hooks (registered with MessagingRuntime.admit, e.g. by libs/resilience for the queues whose handlers
// call a rate-limited API) run before the message's transaction is opened and before a pool connection is
// taken; they wait for whatever the handler will need (rate slots, the end of a 429 pause) or throw a
// DeferError (breaker open, no slot soon) and the message is set aside. What an admission grants (say,
// reserved calls) reaches the handler through `run`, which wraps it. A handler that still finds it must
// wait throws WaitOutsideError: its work is undone, the admission runs again, and so does the handler.
import type { Envelope } from '@lucy/contracts';
import type { WaitOutsideError } from '../errors.js';

export interface AdmissionRequest {
  queue: string;
  /** The message's definition id (`alumno.creado@v1`). */
  type: string;
  envelope: Envelope;
  payload: unknown;
  /** Set when the handler asked to wait outside: what it said it needs. */
  again?: WaitOutsideError;
}

export interface Admitted {
  /** Runs the handler inside what was granted. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export type AdmissionHook = (req: AdmissionRequest) => Promise<Admitted | void>;

/** Runs every hook, in order; their grants wrap the handler, the first hook's outermost. */
export async function admit(hooks: readonly AdmissionHook[], req: AdmissionRequest): Promise<Admitted> {
  const granted: Admitted[] = [];
  for (const hook of hooks) {
    const g = await hook(req);
    if (g) granted.push(g);
  }
  return {
    run: (fn) =>
      granted.reduceRight<() => Promise<never>>(
        (inner, g) => () => g.run(inner) as Promise<never>,
        fn as () => Promise<never>,
      )(),
  };
}

/** `<service>.control`: operator commands and configuration, which never wait behind the data queues. */
export const isControlQueue = (queue: string) => queue.endsWith('.control');
