import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseProbe } from './database.probe.js';
import { HealthRegistry, type HealthCheckFn } from './health.registry.js';

const CHECK_TIMEOUT_MS = 3000;

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: DatabaseProbe,
    private readonly registry: HealthRegistry,
  ) {}

  /** The process is up and its event loop turns. Nothing else: a restart would not fix a dependency. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready for traffic: the database answers and every registered check is up. 503 with details if not. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  ready() {
    return this.health.check([
      () => this.database(),
      ...this.registry.entries().map(
        ([name, check]) =>
          () =>
            this.run(name, check),
      ),
    ]);
  }

  /** PostgreSQL answers (on the probe's own connection, not behind the handlers), with the pool's use. */
  private async database() {
    const session = this.indicators.check('database');
    const pool = this.db.pool();
    try {
      await this.db.ping(CHECK_TIMEOUT_MS);
      return session.up(pool ? { pool } : {});
    } catch (err) {
      return session.down({ message: (err as Error)?.message ?? String(err), ...(pool ? { pool } : {}) });
    }
  }

  private async run(name: string, check: HealthCheckFn) {
    const session = this.indicators.check(name);
    try {
      const outcome = await withTimeout(check(), CHECK_TIMEOUT_MS);
      return outcome.up ? session.up(outcome.details ?? {}) : session.down(outcome.details ?? {});
    } catch (err) {
      return session.down({ message: (err as Error)?.message ?? String(err) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms}ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
