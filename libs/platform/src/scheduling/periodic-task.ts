// A job run every `everyMs`, the way every loop of ours needs it: a tick that finds the previous run still
// going is skipped (runs never overlap), a failure is logged and the next tick tries again, the timer is
// unref'd (the server and the broker connection keep a service alive, not its housekeeping), and stop()
// waits for the run in flight, so the owner's onModuleDestroy can close the database after it.
// @nestjs/schedule's @Interval gives the timer only: neither the overlap guard nor the wait on shutdown.
import { Logger } from '@nestjs/common';

export interface PeriodicTaskOptions {
  /** Names the task in the default error log. */
  name: string;
  /** Milliseconds between ticks; 0 or less: start() schedules nothing (runNow() still works). */
  everyMs: number;
  run: () => Promise<unknown>;
  /** Called with a run's error; by default a warning through Nest's Logger. */
  onError?: (err: unknown) => void;
  /** Let the process exit while the timer waits (default true). */
  unref?: boolean;
}

export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly opts: PeriodicTaskOptions) {}

  /** Starts ticking (once; again after stop() does nothing). Call it from onApplicationBootstrap. */
  start(): this {
    if (this.timer || this.stopped || this.opts.everyMs <= 0) return this;
    this.timer = setInterval(() => void this.runNow(), this.opts.everyMs);
    if (this.opts.unref ?? true) this.timer.unref();
    return this;
  }

  /** A run now, or the one in flight if there is one; never rejects; nothing once stopped. */
  runNow(): Promise<void> {
    if (this.stopped) return this.running ?? Promise.resolve();
    this.running ??= Promise.resolve()
      .then(() => this.opts.run())
      .then(
        () => undefined,
        (err: unknown) => this.report(err),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** No tick and no run starts after this; resolves when the run in flight has ended. Call it from onModuleDestroy. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private report(err: unknown): void {
    try {
      if (this.opts.onError) this.opts.onError(err);
      else
        new Logger(this.opts.name).warn(
          { err: err instanceof Error ? err.message : String(err) },
          `${this.opts.name} failed; the next tick tries again`,
        );
    } catch {
      // A logger that throws must not turn a tick into an unhandled rejection.
    }
  }
}
