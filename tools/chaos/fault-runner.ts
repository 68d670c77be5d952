// Fires the planned faults as the cohort progresses and records when each struck and when things were
// back: a killed process is restarted (and waited for) after --restart-after; a 429 burst is over when
// the stand-in has served it; Moodle's downtime ends by itself. Faults on one process, and the broker and
// PostgreSQL restarts, run one after another ("lanes"); different lanes overlap, as real failures do.
import type { Stack } from '../stack.js';
import { describe, type PlannedFault } from './fault-plan.js';
import { json, sleep } from './http.js';
import { pgClusterOf, restartBroker, restartPostgres } from './infra-restarts.js';

export interface AppliedFault {
  label: string;
  /** Seconds since the pull when it struck, and the share of the cohort settled then. */
  atS: number;
  progress: number;
  /** Seconds since the pull when the fault was over (process ready again, burst served, back up). */
  overS?: number;
  error?: string;
}

export interface FaultRunnerDeps {
  stack: Stack;
  sandboxAdmin: string;
  databaseUrl: string;
  pgCluster?: string;
  restartAfterMs: number;
  /** Epoch ms of the pull: every time is reported from it. */
  t0: number;
  log: (line: string) => void;
}

export class FaultRunner {
  readonly applied: AppliedFault[] = [];
  private readonly lanes = new Map<string, Promise<void>>();
  private pending: PlannedFault[];
  private abandoned = false;
  private ending = false;

  constructor(
    private readonly d: FaultRunnerDeps,
    plan: PlannedFault[],
  ) {
    this.pending = [...plan];
  }

  get remaining(): number {
    return this.pending.length;
  }

  /** The planned faults that never struck (the cohort settled or the run timed out first). */
  unfired(): string[] {
    return this.pending.map((p) => `${describe(p.fault)} @${Math.round(p.atFraction * 100)} %`);
  }

  /** Starts every planned fault whose share of the cohort has now settled. */
  tick(progress: number): void {
    while (this.pending.length && this.pending[0]!.atFraction <= progress) {
      const { fault } = this.pending.shift()!;
      const record: AppliedFault = { label: describe(fault), atS: this.now(), progress };
      this.applied.push(record);
      this.d.log(`fault  t=${record.atS.toFixed(1)} s at ${(progress * 100).toFixed(0)} %: ${record.label}`);
      const lane =
        fault.kind === 'kill'
          ? fault.process
          : fault.kind === 'broker-restart' || fault.kind === 'pg-restart'
            ? 'infra'
            : fault.kind;
      const work = async () => {
        switch (fault.kind) {
          case 'kill':
            return this.kill(fault.process);
          case 'broker-restart':
            return restartBroker();
          case 'pg-restart':
            return restartPostgres(this.d.pgCluster ?? (await pgClusterOf(this.d.databaseUrl)));
          case 'graph-429-burst':
            await this.knobs('graph', { burst429: fault.size, retryAfterSeconds: fault.retryAfterSeconds });
            return this.until(
              async () =>
                (await json<{ burst429: number }>(`${this.d.sandboxAdmin}/_admin/faults/graph`)).burst429 === 0,
            );
          case 'moodle-down':
            await this.knobs('moodle', { downForMs: fault.ms });
            return sleep(fault.ms);
        }
      };
      this.lanes.set(
        lane,
        (this.lanes.get(lane) ?? Promise.resolve()).then(work).then(
          () => void (record.overS = this.now()),
          (err: Error) => {
            record.error = err.message.split('\n')[0];
            this.d.log(`fault  ${record.label} went wrong: ${record.error}`);
          },
        ),
      );
    }
  }

  /** Waits for every fault started so far to be over (processes back, bursts served). */
  async idle(): Promise<void> {
    await Promise.all(this.lanes.values());
  }

  /** Stops waiting for what may never come: a burst no request will serve once the cohort is done. */
  stopWaiting(): void {
    this.abandoned = true;
  }

  /** The run is ending: a killed process is not started again (it would be left behind). */
  end(): void {
    this.abandoned = true;
    this.ending = true;
  }

  /** Graph answers this share of requests with a 5xx until `endGraphErrors`. */
  async startGraphErrors(rate: number): Promise<void> {
    if (rate <= 0) return;
    await this.knobs('graph', { errorRate: rate });
    this.applied.push({ label: `Graph ${Math.round(rate * 1000) / 10} % 5xx`, atS: this.now(), progress: 0 });
  }

  async endGraphErrors(): Promise<void> {
    const record = this.applied.find((a) => a.label.endsWith('5xx'));
    await this.knobs('graph', { errorRate: 0 });
    if (record) record.overS = this.now();
  }

  /** SIGKILL, a pause, then the same process started again and waited for until ready. */
  private async kill(name: string): Promise<void> {
    await this.d.stack.stop(name, 'SIGKILL');
    await sleep(this.d.restartAfterMs);
    for (let attempt = 1; ; attempt++) {
      if (this.ending) return;
      try {
        return await this.d.stack.start(name);
      } catch (err) {
        const child = this.d.stack.processes.get(name)?.child;
        if (attempt >= 3) throw err;
        // Not ready in time but alive (the broker or PostgreSQL may be restarting): stop it and try again.
        if (child && child.exitCode === null) await this.d.stack.stop(name);
      }
    }
  }

  private knobs(target: string, change: object): Promise<unknown> {
    return json(`${this.d.sandboxAdmin}/_admin/faults/${target}`, { method: 'PUT', body: change });
  }

  private async until(done: () => Promise<boolean>): Promise<void> {
    while (!this.abandoned && !(await done().catch(() => false))) await sleep(250);
  }

  private now(): number {
    return (Date.now() - this.d.t0) / 1000;
  }
}
