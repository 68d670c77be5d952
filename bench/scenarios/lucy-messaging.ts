// The 4-hop relay through libs/messaging: four MessagingRuntimes in this process, one per hop, each a
// "service" with its own queue (and, with the inbox and outbox on, its own throwaway PostgreSQL schema
// and pool). Hop i handles HopI and publishes HopI+1 through ctx.publish; hop 4 just consumes. Items enter
// through runtime.publish(Hop1, …) of a fifth runtime with no handlers (raw and Nest seed from a connection
// and a client of their own too), so hop 1 relays only what it consumes.
//   - on:  inbox + outbox — the handler's transaction claims the inbox row and writes the outbox row, the
//          delivery is acked after the commit, the relay publishes with confirms and marks rows sent.
//          `sql` picks how the transport's statements reach PostgreSQL: direct (several in one round trip
//          on the pg client) or typeorm (TypeORM's public API only) — libs/messaging/src/persistence/sql-adapter.ts.
//   - off: inbox:false, outbox:false, no DataSource — the handler's messages are published and confirmed
//          before the ack.
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { defineEvent } from '@lucy/contracts';
import {
  messagingDefaults,
  MessagingRuntime,
  parkedQueueName,
  retryQueueName,
  type MessagingOptions,
} from '@lucy/messaging';
import type { Relay, Sink } from '../support/driver.js';
import { config, deleteQueues, dropSchema, log, openSchema, tag } from '../support/infra.js';

const ItemSchema = z.object({ phase: z.string(), n: z.number().int().nonnegative(), texto: z.string() });

export function lucyMessagingRelay(mode: 'on' | 'off', sql: MessagingOptions['sql'] = 'direct') {
  return async (sink: Sink): Promise<Relay> => {
    const run = tag();
    // Bench-only messages with names of their own, so parallel runs never route into each other's queues.
    const hops = [1, 2, 3, 4].map((i) => defineEvent({ name: `bench-${run}.hop${i}`, version: 1, schema: ItemSchema }));
    const runtimes: MessagingRuntime[] = [];
    const dataSources: DataSource[] = [];
    const queues: string[] = [];
    let seeder: MessagingRuntime | undefined;

    const stop = async () => {
      for (const rt of runtimes.splice(0))
        await rt.stop().catch((err) => log.warn({ err: String(err) }, 'runtime stop failed'));
      await deleteQueues(queues.splice(0));
      for (const ds of dataSources.splice(0)) await dropSchema(ds).catch(() => undefined);
    };

    try {
      for (let i = 0; i < 4; i++) {
        const service = `bench-hop${i + 1}-${run}`;
        let ds: DataSource | undefined;
        if (mode === 'on') {
          ds = await openSchema(`bench_${run}_hop${i + 1}`);
          dataSources.push(ds);
        }
        const opts = {
          ...messagingDefaults(service, config.rabbitUrl),
          prefetch: config.prefetch,
          inbox: mode === 'on',
          outbox: mode === 'on',
          sql,
          shutdownTimeoutMs: 5000,
        };
        queues.push(service, parkedQueueName(service), ...opts.retryDelaysMs.map((d) => retryQueueName(service, d)));
        const rt = new MessagingRuntime(opts, { log, dataSource: ds });
        const next = hops[i + 1];
        if (next) rt.handle(hops[i], (item, ctx) => ctx.publish(next, item));
        else rt.handle(hops[i], (item) => sink.arrived(item));
        runtimes.push(rt);
      }
      // The seeder is a runtime of its own (as raw and Nest seed on a connection / client of their own):
      // a "service" that only publishes, with no handlers, and with the outbox on its own schema too.
      const seederService = `bench-src-${run}`;
      let seederDs: DataSource | undefined;
      if (mode === 'on') {
        seederDs = await openSchema(`bench_${run}_src`);
        dataSources.push(seederDs);
      }
      seeder = new MessagingRuntime(
        {
          ...messagingDefaults(seederService, config.rabbitUrl),
          prefetch: config.prefetch,
          inbox: mode === 'on',
          outbox: mode === 'on',
          sql,
          shutdownTimeoutMs: 5000,
        },
        { log, dataSource: seederDs },
      );
      runtimes.push(seeder);
      for (const rt of runtimes) await rt.start();
    } catch (err) {
      await stop().catch(() => undefined);
      throw err;
    }

    const source = seeder!;
    return { seedOne: (item) => source.publish(hops[0], item), stop };
  };
}
