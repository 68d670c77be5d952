// Leases: which delivery works on a key (a student, say) right now, and until when. They let handlers
// that run outside one long transaction (`transaction: 'own'`) take turns per key without a row lock,
// so nothing holds a database connection while they wait for an external API. A holder renews its
// lease while it works; a lease whose holder died (no renewal) expires and the next delivery takes it.
import type { DataSource, EntityManager } from 'typeorm';

export type LeaseTake = 'taken' | 'taken-over' | 'held';

export class LeaseStore {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    this.table = `"${schema.replace(/"/g, '""')}".lease`;
  }

  /**
   * One statement, committed on its own: the lease if no one holds it, or if its holder's time has run out
   * ('taken-over': that holder died or stalled); 'held' while another holder's is live.
   */
  async take(consumer: string, key: string, holder: string, ttlMs: number): Promise<LeaseTake> {
    const rows: { took_over: boolean }[] = await this.dataSource.query(
      `INSERT INTO ${this.table} AS l (consumer, key, holder, until)
         VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
       ON CONFLICT (consumer, key) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until
         WHERE l.until < now()
       RETURNING (xmax <> 0) AS took_over`,
      [consumer, key, holder, ttlMs],
    );
    if (!rows.length) return 'held';
    return rows[0].took_over ? 'taken-over' : 'taken';
  }

  /** Pushes the holder's time on; false when the lease is no longer theirs. */
  async renew(consumer: string, key: string, holder: string, ttlMs: number): Promise<boolean> {
    const [{ n }]: { n: number }[] = await this.dataSource.query(
      `WITH renewed AS (
         UPDATE ${this.table} SET until = now() + $4 * interval '1 millisecond'
          WHERE consumer = $1 AND key = $2 AND holder = $3 RETURNING 1)
       SELECT count(*)::int AS n FROM renewed`,
      [consumer, key, holder, ttlMs],
    );
    return n === 1;
  }

  /** Ends the lease inside `manager`'s transaction (the message's last); false when it was no longer theirs. */
  async releaseIn(manager: EntityManager, consumer: string, key: string, holder: string): Promise<boolean> {
    // In a SELECT: TypeORM answers a bare DELETE with [rows, count], not its rows.
    const [{ n }]: { n: number }[] = await manager.query(
      `WITH released AS (DELETE FROM ${this.table} WHERE consumer = $1 AND key = $2 AND holder = $3 RETURNING 1)
       SELECT count(*)::int AS n FROM released`,
      [consumer, key, holder],
    );
    return n === 1;
  }

  /** Ends the lease on its own (the handler failed or was deferred: nothing else to commit). */
  async release(consumer: string, key: string, holder: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE consumer = $1 AND key = $2 AND holder = $3`, [
      consumer,
      key,
      holder,
    ]);
  }
}
