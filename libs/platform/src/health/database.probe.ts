// The readiness check's database ping, on a connection of its own. Through the pool it would queue
// behind the handlers when they hold every pooled connection, and a busy service would be reported
// "database down" (and restarted by an orchestrator) while PostgreSQL answers fine. One extra
// connection, opened on the first check, kept, and opened again after an error.
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';

export interface PoolStats {
  size: number;
  inUse: number;
  idle: number;
  /** Queries waiting for a connection of the pool. */
  waiting: number;
}

@Injectable()
export class DatabaseProbe implements OnApplicationShutdown {
  private client?: Promise<pg.Client>;

  constructor(private readonly dataSource: DataSource) {}

  /** Resolves when PostgreSQL answers `SELECT 1` within `timeoutMs`; rejects otherwise. */
  async ping(timeoutMs: number): Promise<void> {
    const o = this.dataSource.options as { url?: string; applicationName?: string };
    this.client ??= (async () => {
      const c = new pg.Client({
        connectionString: o.url,
        application_name: `${o.applicationName ?? 'lucy'}:health`,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
      });
      c.on('error', () => this.drop(c)); // the server went away: the next check connects again
      try {
        await c.connect();
      } catch (err) {
        this.drop(c);
        throw err;
      }
      return c;
    })();
    const client = await this.client;
    try {
      await client.query('SELECT 1');
    } catch (err) {
      this.drop(client);
      throw err;
    }
  }

  /** The service's pool as node-postgres counts it (what the handlers hold), for the readiness details. */
  pool(): PoolStats | null {
    const p = (
      this.dataSource.driver as unknown as {
        master?: { options?: { max?: number }; totalCount: number; idleCount: number; waitingCount: number };
      }
    ).master;
    if (!p) return null;
    return {
      size: p.options?.max ?? 10,
      inUse: p.totalCount - p.idleCount,
      idle: p.idleCount,
      waiting: p.waitingCount,
    };
  }

  private drop(c: pg.Client): void {
    this.client = undefined;
    void c.end().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await (await c.catch(() => undefined))?.end().catch(() => undefined);
  }
}
