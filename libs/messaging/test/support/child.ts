// A "service" in its own process, for tests that kill it: run with
//   node --import @swc-node/register/esm-register child.ts <mode> <schema> <service> [n]
// It prints a line when it reaches the point where the test should kill it.
import { DataSource } from 'typeorm';
import { MessagingTables1732000000000 } from '../../src/index.js';
import { DATABASE_URL, Ping, runtimeFor } from './harness.js';

const [mode, schema, service, n] = process.argv.slice(2);
const ds = new DataSource({ type: 'postgres', url: DATABASE_URL, schema, migrations: [MessagingTables1732000000000] });
await ds.initialize();
const rt = runtimeFor(service, ds, { outboxPollMs: 3_600_000 });

if (mode === 'hang-in-handler') {
  rt.handle(Ping, async (p, ctx) => {
    await ctx.manager.query(`INSERT INTO "${schema}".effects (message_id, n) VALUES ($1, $2)`, [
      ctx.envelope.messageId,
      p.n,
    ]);
    process.stdout.write('IN_HANDLER\n');
    await new Promise(() => undefined); // never commits: the test kills us here
  });
  await rt.start();
  process.stdout.write('READY\n');
} else if (mode === 'write-outbox') {
  // The runtime is never started, so its relay never runs: the rows are committed and left behind.
  await rt.inTransaction(async (tx) => {
    for (let i = 0; i < Number(n); i++) tx.publish(Ping, { n: i });
  });
  process.stdout.write('COMMITTED\n');
  await new Promise(() => undefined);
}
