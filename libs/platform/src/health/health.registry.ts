import { Injectable } from '@nestjs/common';

export interface HealthCheckOutcome {
  up: boolean;
  details?: Record<string, unknown>;
}

export type HealthCheckFn = () => Promise<HealthCheckOutcome>;

/**
 * The readiness checks beyond the database: libs/messaging registers 'broker', circuit breakers
 * register themselves. A check that throws or takes longer than the timeout counts as down.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheckFn>();

  register(name: string, check: HealthCheckFn): void {
    if (name === 'database') throw new Error("health check name 'database' is reserved for the database ping");
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  entries(): [string, HealthCheckFn][] {
    return [...this.checks.entries()];
  }
}
