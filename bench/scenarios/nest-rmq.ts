// The 4-hop relay through @nestjs/microservices' built-in RMQ transport, set up SAFELY. Its defaults are
// not safe and would lose work on a crash:
//   - the server's `noAck` defaults to true: a delivery is acked when it is handed to the handler, so a
//     process that dies mid-handler (or a handler that throws) loses the message;
//   - the client's `persistent` defaults to false: messages are published transient and vanish if the
//     broker restarts, even from a durable queue;
//   - `prefetchCount` defaults to 0 (unbounded): a slow consumer takes the whole queue into memory;
//   - `queueOptions` default to {} which is durable only because amqplib's assertQueue defaults so; we
//     say `durable: true` explicitly.
// So here: noAck:false with an explicit channel.ack via RmqContext after the next hop's publish is
// confirmed (ClientRMQ publishes on amqp-connection-manager's confirm channel, and emit() completes on
// the confirm; we await it with lastValueFrom), persistent:true, bounded prefetchCount, durable queues.
// Four microservices (NestFactory.createMicroservice, Transport.RMQ) in this process, one per hop.
import { Controller, Inject, Logger, Module, Optional, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientRMQ,
  ClientsModule,
  Ctx,
  EventPattern,
  Payload,
  RmqContext,
  Transport,
  type ClientProxy,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { Relay, Sink } from '../support/driver.js';
import { config, deleteQueues, tag, type Item } from '../support/infra.js';

const NEXT_HOP = Symbol('NEXT_HOP');

function queueOptions() {
  return { durable: true };
}

function hopModule(pattern: string, next: { queue: string; pattern: string } | undefined, sink: Sink) {
  @Controller()
  class HopController {
    constructor(@Optional() @Inject(NEXT_HOP) private readonly client?: ClientProxy) {}

    @EventPattern<string>(pattern)
    async relay(@Payload() item: Item, @Ctx() ctx: RmqContext): Promise<void> {
      if (next) await lastValueFrom(this.client!.emit(next.pattern, item));
      else sink.arrived(item);
      // Ack only now: the next hop's copy is confirmed by the broker (or, at hop 4, the work is done).
      ctx.getChannelRef().ack(ctx.getMessage());
    }
  }

  @Module({
    imports: next
      ? [
          ClientsModule.register([
            {
              name: NEXT_HOP,
              transport: Transport.RMQ,
              options: { urls: [config.rabbitUrl], queue: next.queue, persistent: true, queueOptions: queueOptions() },
            },
          ]),
        ]
      : [],
    controllers: [HopController],
  })
  class HopModule {}

  return HopModule;
}

export async function nestRmqRelay(sink: Sink): Promise<Relay> {
  const run = tag();
  const queues = [1, 2, 3, 4].map((i) => `bench-nest-${run}-hop${i}`);
  const patterns = [1, 2, 3, 4].map((i) => `bench.hop${i}`);
  const apps: INestMicroservice[] = [];
  let seeder: ClientRMQ | undefined;
  Logger.overrideLogger(config.logLevel === 'silent' ? false : ['error', 'warn']);

  const stop = async () => {
    await seeder?.close().catch(() => undefined);
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
    await deleteQueues(queues);
  };

  try {
    for (let i = 0; i < 4; i++) {
      const next = i < 3 ? { queue: queues[i + 1], pattern: patterns[i + 1] } : undefined;
      const app = await NestFactory.createMicroservice<MicroserviceOptions>(hopModule(patterns[i], next, sink), {
        transport: Transport.RMQ,
        options: {
          urls: [config.rabbitUrl],
          queue: queues[i],
          noAck: false,
          prefetchCount: config.prefetch,
          queueOptions: queueOptions(),
        },
        logger: false,
      });
      apps.push(app);
      await app.listen();
      if (next) await app.get<ClientProxy>(NEXT_HOP).connect();
    }
    seeder = new ClientRMQ({
      urls: [config.rabbitUrl],
      queue: queues[0],
      persistent: true,
      queueOptions: queueOptions(),
    });
    await seeder.connect();
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }

  const client = seeder;
  return { seedOne: (item) => lastValueFrom(client.emit(patterns[0], item)), stop };
}
