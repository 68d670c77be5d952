// A guarded service against the real RabbitMQ, PostgreSQL and the Graph stand-in: the breaker pauses
// the queue while Graph is down and resumes it when Graph is back; the control messages (ReiniciarBreaker,
// LimitesCambiados) reach it on its own control queue even while its main queue is paused.
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { BreakerCambiado, defineEvent, LimitesCambiados, ReiniciarBreaker } from '@lucy/contracts';
import type { MessagingRuntime } from '@lucy/messaging';
import {
  BreakerQueues,
  controlQueueOf,
  createDependencyGuard,
  GuardRegistry,
  RedisRateStore,
  ResilienceControl,
  SharedRateLimiter,
  type DependencyGuard,
} from '../src/index.js';
import { GraphLike } from './support/graph-like.js';
import { deleteQueues, dropSchema, log, openSchema, runtimeFor, uniqueService, waitFor } from './support/messaging.js';
import { connectRedis, dropKeys, ready, uniqueApi } from './support/redis.js';
import { startSandbox, type Sandbox } from './support/sandbox.js';

/** A message only these tests use: "create one account". */
const CrearCuentaPrueba = defineEvent({
  name: 'prueba-resiliencia.crear-cuenta',
  version: 1,
  schema: z.object({ n: z.number().int() }),
});

let sandbox: Sandbox;
let redis: Redis;
let ds: DataSource;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [sandbox, redis, ds] = await Promise.all([startSandbox(), ready(connectRedis()), openSchema()]);
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  sandbox.ctx.faults.reset();
});
afterAll(async () => {
  redis.disconnect();
  await Promise.all([sandbox.close(), dropSchema(ds)]);
});

/** A "service" with a guarded Graph client, its queue bound to the breaker, and the control handlers. */
async function guardedService(
  name: string,
  breaker = {
    volumeThreshold: 3,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 800,
    timeoutMs: 3000,
    capacity: 5,
    rollingCountTimeoutMs: 10_000,
  },
) {
  const service = uniqueService(name);
  const api = uniqueApi(name);
  const g: DependencyGuard = createDependencyGuard(
    { name: 'graph', rate: { api, limits: { rpm: 6000 } }, breaker },
    { redis, log },
  );
  const client = await GraphLike.connect(sandbox, g);
  g.setProbe((signal) => client.send(signal, 'GET', '/users?$top=1&$select=id'));
  const rt = runtimeFor(service, ds, { prefetch: 5 });
  const handled: { n: number; attempt: number }[] = [];
  rt.handle(CrearCuentaPrueba, async (p, ctx) => {
    await client.createUser();
    handled.push({ n: p.n, attempt: ctx.attempt });
  });
  const registry = new GuardRegistry();
  registry.add(g);
  const control = new ResilienceControl(service, registry, log, redis);
  control.register(rt);
  control.listen();
  const queues = new BreakerQueues(g, rt, { service, queues: [service], log });
  await rt.start();
  cleanup.push(async () => {
    g.shutdown();
    await control.close();
    await rt.stop();
    await deleteQueues(service, controlQueueOf(service));
    await dropKeys(redis, api);
  });
  return { service, api, guard: g, rt, handled, queues, registry };
}

/** Another "service" that hears BreakerCambiado and can send commands and events. */
async function observer() {
  const service = uniqueService('observer');
  const rt = runtimeFor(service, undefined);
  const events: BreakerCambiado[] = [];
  rt.handle(BreakerCambiado, (e) => void events.push(e));
  await rt.start();
  cleanup.push(async () => {
    await rt.stop();
    await deleteQueues(service);
  });
  return { rt, events };
}

async function status(rt: MessagingRuntime, queue: string) {
  return (await rt.queueStatus()).find((s) => s.queue === queue)!;
}

describe('breaker and queues', () => {
  it('opens while Graph is down, pauses the queue (messages wait, none parked), and resumes when Graph is back', async () => {
    const obs = await observer();
    const s = await guardedService('down');
    sandbox.ctx.faults.set('graph', { downUntil: Date.now() + 60_000 });
    for (let n = 0; n < 12; n++) await obs.rt.publish(CrearCuentaPrueba, { n });

    await waitFor(() => s.guard.state === 'open', 10_000, 'the breaker to open');
    const paused = await waitFor(
      async () => {
        const st = await status(s.rt, s.service);
        return st.paused && st.inFlight === 0 && st.messages > 0 && st;
      },
      10_000,
      'the queue paused with messages waiting',
    );
    expect(paused.parked).toBe(0);
    // Half-open probes fail while Graph is down: still paused, still nothing parked.
    await waitFor(() => obs.events.filter((e) => e.estado === 'half-open').length >= 2, 10_000, 'two failed probes');
    expect((await status(s.rt, s.service)).parked).toBe(0);
    expect(s.handled).toEqual([]);

    sandbox.ctx.faults.set('graph', { downUntil: 0 });
    await waitFor(() => s.handled.length === 12, 20_000, 'every message handled after Graph returned');
    const end = await status(s.rt, s.service);
    expect(end).toMatchObject({ paused: false, parked: 0 });
    expect(s.guard.state).toBe('closed');
    // Waiting spent no attempt: far fewer attempts than the downtime's probes and deferrals would have cost.
    expect(Math.max(...s.handled.map((h) => h.attempt))).toBeLessThanOrEqual(3);
    await waitFor(() => obs.events.some((e) => e.estado === 'closed'), 5000, 'BreakerCambiado closed');
    const states = obs.events.filter((e) => e.servicio === s.service).map((e) => e.estado);
    expect(states[0]).toBe('open');
    expect(states.at(-1)).toBe('closed');
    expect(obs.events[0]).toMatchObject({ dependencia: 'graph', motivo: expect.stringContaining('503') });
  });

  it('closes on ReiniciarBreaker, at this replica and at another one, and says so with BreakerCambiado', async () => {
    const obs = await observer();
    const s = await guardedService('reset');
    // A second replica of the same service: same name, its own guard, listening for resets on Redis.
    const other = createDependencyGuard({
      name: 'graph',
      rate: false,
      breaker: { volumeThreshold: 1, resetTimeoutMs: 60_000 },
    });
    const otherRegistry = new GuardRegistry();
    otherRegistry.add(other);
    const otherControl = new ResilienceControl(s.service, otherRegistry, log, redis);
    otherControl.listen();
    cleanup.push(async () => (other.shutdown(), otherControl.close()));

    sandbox.ctx.faults.set('graph', { downUntil: Date.now() + 60_000 });
    for (let i = 0; i < 5 && s.guard.state !== 'open'; i++)
      await s.guard
        .call('read', () => Promise.reject(Object.assign(new Error('down'), { status: 503 })))
        .catch(() => undefined);
    await other
      .call('read', () => Promise.reject(Object.assign(new Error('down'), { status: 503 })))
      .catch(() => undefined);
    expect([s.guard.state, other.state]).toEqual(['open', 'open']);
    await waitFor(async () => (await status(s.rt, s.service)).paused, 5000, 'the queue paused');

    await obs.rt.publish(ReiniciarBreaker, { servicio: s.service, dependencia: 'graph' });
    await waitFor(() => s.guard.state === 'closed' && other.state === 'closed', 10_000, 'both replicas closed');
    await waitFor(async () => !(await status(s.rt, s.service)).paused, 5000, 'the queue consuming again');
    await waitFor(
      () =>
        obs.events.some((e) => e.servicio === s.service && e.estado === 'closed' && e.motivo === 'reset by operator'),
      5000,
      'BreakerCambiado closed by the operator',
    );
  });

  it('applies LimitesCambiados at once, and every replica follows (the limits live in Redis)', async () => {
    const obs = await observer();
    const s = await guardedService('limits');
    const otherReplica = new SharedRateLimiter({ api: s.api, limits: { rpm: 6000 } }, new RedisRateStore(redis, s.api));
    expect((await otherReplica.snapshot()).limits.rpm).toBe(6000);

    await obs.rt.publish(LimitesCambiados, { api: s.api, rpm: 120, writeRpm: 30 });
    await waitFor(
      async () => (await otherReplica.snapshot()).limits.rpm === 120,
      10_000,
      'the new limits at the other replica',
    );
    expect(await s.guard.limiter!.snapshot()).toMatchObject({
      limits: { rpm: 120, writeRpm: 30 },
      changedAtRuntime: true,
    });
    await otherReplica.acquire('read');
    const started = Date.now();
    await otherReplica.acquire('read');
    expect(Date.now() - started).toBeGreaterThanOrEqual(490); // 120/min: one every 500 ms
  });
});
