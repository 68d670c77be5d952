// What libs/messaging assumes of the pinned libraries' internals (src/library-internals.ts), checked
// against the real PostgreSQL and RabbitMQ, and the two SQL paths (persistence/sql-adapter.ts) held to the
// same answers. A failure here after a version bump means the adapter must change before the bump lands.
import amqp from 'amqplib';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { amqpSocketOf, markTransaction, pgClientOf, zodPatternOf } from '../src/library-internals.js';
import { openSqlSession, SQL_PATHS } from '../src/persistence/sql-adapter.js';
import { dropSchema, openSchema, RABBITMQ_URL } from './support/harness.js';

let ds: DataSource;
let effects: string;

beforeAll(async () => {
  ds = await openSchema();
  effects = `"${(ds.options as { schema: string }).schema}".effects`;
});
afterAll(async () => {
  await dropSchema(ds);
});
beforeEach(async () => {
  await ds.query(`DELETE FROM ${effects}`);
});

const messageIds = async () =>
  ((await ds.query(`SELECT message_id FROM ${effects} ORDER BY message_id`)) as { message_id: string }[]).map(
    (r) => r.message_id,
  );

describe('TypeORM 1.1.1 and pg 8.23.1, as the direct SQL path uses them', () => {
  it('gives the pg client, which takes several statements in one query and answers each', async () => {
    const qr = ds.createQueryRunner();
    try {
      const client = await pgClientOf(qr);
      const res = await client.query('SELECT 1 AS a; SELECT 2 AS b');
      expect(Array.isArray(res)).toBe(true);
      expect((res as { command: string; rows: unknown[] }[]).map((r) => [r.command, r.rows])).toEqual([
        ['SELECT', [{ a: 1 }]],
        ['SELECT', [{ b: 2 }]],
      ]);
    } finally {
      await qr.release();
    }
  });

  it('after marking, reads the transaction as open and nests manager.transaction() in a savepoint', async () => {
    const qr = ds.createQueryRunner();
    try {
      const client = await pgClientOf(qr);
      await client.query(`START TRANSACTION; INSERT INTO ${effects} (message_id, n) VALUES ('outer', 1)`);
      markTransaction(qr, true);
      expect(qr.isTransactionActive).toBe(true);

      const sent: string[] = [];
      const query = qr.query;
      qr.query = ((sql: string, ...rest: unknown[]) => {
        sent.push(sql);
        return (query as (...a: unknown[]) => Promise<unknown>).call(qr, sql, ...rest);
      }) as typeof qr.query;
      await expect(
        qr.manager.transaction(async (m) => {
          await m.query(`INSERT INTO ${effects} (message_id, n) VALUES ('inner-undone', 2)`);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
      await qr.manager.transaction((m) => m.query(`INSERT INTO ${effects} (message_id, n) VALUES ('inner-kept', 3)`));
      qr.query = query;
      expect(sent.filter((s) => /SAVEPOINT|TRANSACTION|COMMIT|ROLLBACK/.test(s))).toEqual([
        'SAVEPOINT typeorm_1',
        'ROLLBACK TO SAVEPOINT typeorm_1',
        'SAVEPOINT typeorm_1',
        'RELEASE SAVEPOINT typeorm_1',
      ]);
      expect(qr.isTransactionActive).toBe(true); // the inner ones left the outer open

      const [commit] = [await client.query('COMMIT')].flat();
      markTransaction(qr, false);
      expect(commit.command).toBe('COMMIT');
      expect(qr.isTransactionActive).toBe(false);
      expect(await messageIds()).toEqual(['inner-kept', 'outer']);

      // Marked closed, the runner opens a transaction of its own again.
      await qr.manager.transaction((m) => m.query(`INSERT INTO ${effects} (message_id, n) VALUES ('after', 4)`));
      expect(await messageIds()).toEqual(['after', 'inner-kept', 'outer']);
    } finally {
      await qr.release();
    }
  });
});

describe('amqplib 2.3.1 and zod 4.6.7', () => {
  it("keeps the connection's socket where coalesceWrites looks for it", async () => {
    const model = await amqp.connect(RABBITMQ_URL);
    try {
      const socket = amqpSocketOf(model);
      expect(socket).toBeDefined();
      expect(typeof socket!.cork).toBe('function');
    } finally {
      await model.close();
    }
  });

  it('keeps the pattern of a string format on the schema', () => {
    expect(zodPatternOf(z.uuid())?.test('0b9a0f4e-3c1d-4e2a-9f6b-1a2b3c4d5e6f')).toBe(true);
    expect(zodPatternOf(z.iso.datetime({ offset: true }))?.test('2026-01-02T03:04:05.000Z')).toBe(true);
  });
});

describe.each(SQL_PATHS)('the %s SQL path', (path) => {
  it('commits what was sent with BEGIN, by the handler and with COMMIT, with nested savepoints working', async () => {
    const s = openSqlSession(ds, path);
    try {
      await s.connect();
      const rows = await s.begin(`INSERT INTO ${effects} (message_id, n) VALUES ('claim', 1) RETURNING message_id`);
      expect(rows).toEqual([{ message_id: 'claim' }]);
      expect(s.queryRunner.isTransactionActive).toBe(true);
      await s.manager
        .transaction(async (m) => {
          await m.query(`INSERT INTO ${effects} (message_id, n) VALUES ('undone', 2)`);
          throw new Error('undone');
        })
        .catch(() => undefined);
      await s.manager.query(`INSERT INTO ${effects} (message_id, n) VALUES ('handler', 3)`);
      expect(await s.commit(`INSERT INTO ${effects} (message_id, n) VALUES ('outbox', 4)`)).toBe(true);
      expect(s.queryRunner.isTransactionActive).toBe(false);
    } finally {
      await s.release();
    }
    expect(await messageIds()).toEqual(['claim', 'handler', 'outbox']);
  });

  it.each([[[]], [[`SELECT 1`]]])(
    'says a transaction aborted by a swallowed error was rolled back at commit (statements with COMMIT: %j)',
    async (withCommit) => {
      const s = openSqlSession(ds, path);
      try {
        await s.connect();
        await s.begin(`INSERT INTO ${effects} (message_id, n) VALUES ('claim', 1)`);
        await s.manager.query('SELECT 1/0').catch(() => undefined);
        expect(await s.commit(...withCommit)).toBe(false);
        expect(s.queryRunner.isTransactionActive).toBe(false);
        // The connection is usable again: nothing is left open on it.
        expect(await s.queryRunner.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await s.release();
      }
      expect(await messageIds()).toEqual([]);
    },
  );

  it('rolls back everything on rollback(), and a failed begin leaves nothing open', async () => {
    const s = openSqlSession(ds, path);
    try {
      await s.connect();
      await s.begin(`INSERT INTO ${effects} (message_id, n) VALUES ('gone', 1)`);
      await s.rollback();
      await expect(s.begin(`INSERT INTO no_such_table VALUES (1)`)).rejects.toThrow();
      expect(await s.queryRunner.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await s.release();
    }
    expect(await messageIds()).toEqual([]);
  });
});
