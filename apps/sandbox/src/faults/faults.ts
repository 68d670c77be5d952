// Fault knobs shared by every stand-in. A stand-in asks `decide()` before it answers; the knobs are set
// at start from the environment (SANDBOX_FAULTS_<TARGET> as JSON) and changed at run time through the
// admin API (see admin.router.ts).
import { z } from 'zod';

export const FaultTargets = ['graph', 'identity', 'moodle', 'sial', 'smtp', 'oneroster'] as const;
export type FaultTarget = (typeof FaultTargets)[number];

export const FaultKnobsSchema = z
  .object({
    /** Fixed latency added to every answer, in ms. */
    latencyMs: z.number().int().min(0).max(600_000).default(0),
    /** Random extra latency in [0, jitterMs), in ms. */
    jitterMs: z.number().int().min(0).max(600_000).default(0),
    /** Share of requests answered with a 5xx (0..1). */
    errorRate: z.number().min(0).max(1).default(0),
    /** The next N requests get 429 with Retry-After = retryAfterSeconds. */
    burst429: z.number().int().min(0).default(0),
    retryAfterSeconds: z.number().min(0).max(3600).default(1),
    /** The service is down (connection answered with 503, or dropped for SMTP) until this epoch ms. */
    downUntil: z.number().int().min(0).default(0),
    /** Answers are held this long (ms) before being sent: use a value above the client's timeout. */
    hangMs: z.number().int().min(0).max(600_000).default(0),
  })
  .strict();
export type FaultKnobs = z.infer<typeof FaultKnobsSchema>;

/** What a stand-in must do with one request, decided before it does the real work. */
export type FaultDecision =
  | { kind: 'pass'; delayMs: number }
  | { kind: 'down'; delayMs: number }
  | { kind: 'error5xx'; delayMs: number }
  | { kind: 'throttle'; delayMs: number; retryAfterSeconds: number };

export class FaultRegistry {
  private readonly knobs = new Map<FaultTarget, FaultKnobs>();

  constructor(
    env: NodeJS.ProcessEnv = process.env,
    private readonly random: () => number = Math.random,
  ) {
    for (const target of FaultTargets) {
      const raw = env[`SANDBOX_FAULTS_${target.toUpperCase()}`];
      this.knobs.set(target, FaultKnobsSchema.parse(raw ? JSON.parse(raw) : {}));
    }
  }

  get(target: FaultTarget): FaultKnobs {
    return this.knobs.get(target)!;
  }

  /** Merges a partial change into the target's knobs; throws a ZodError on a bad value. */
  set(target: FaultTarget, change: unknown): FaultKnobs {
    const next = FaultKnobsSchema.parse({ ...this.get(target), ...(change as object) });
    this.knobs.set(target, next);
    return next;
  }

  reset(target?: FaultTarget): void {
    for (const t of target ? [target] : FaultTargets) this.knobs.set(t, FaultKnobsSchema.parse({}));
  }

  decide(target: FaultTarget, now = Date.now()): FaultDecision {
    const k = this.get(target);
    const delayMs = k.latencyMs + (k.jitterMs ? Math.floor(this.random() * k.jitterMs) : 0) + k.hangMs;
    if (k.downUntil > now) return { kind: 'down', delayMs };
    if (k.burst429 > 0) {
      this.knobs.set(target, { ...k, burst429: k.burst429 - 1 });
      return { kind: 'throttle', delayMs, retryAfterSeconds: k.retryAfterSeconds };
    }
    if (k.errorRate > 0 && this.random() < k.errorRate) return { kind: 'error5xx', delayMs };
    return { kind: 'pass', delayMs };
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
