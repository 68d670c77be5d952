// teams-service with Graph's write rate slowed to one every two seconds and a thousand AlumnoCreado
// queued (real RabbitMQ, PostgreSQL and Redis, the sandbox's Graph): the students waiting for their Graph
// slots hold no pooled connection and no transaction, so /health/ready reports the database up with the
// pool free, and a control message (ReiniciarBreaker) is answered within a second.
import { randomUUID } from 'node:crypto';
import { AlumnoCreado, BreakerCambiado, ReiniciarBreaker } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { BrokerTap, startTestSandbox, waitFor, type TestSandboxWithGraph } from '@lucy/testing';
import { nuevoAlumno, startTeams, type RunningTeams } from './support/teams-service.js';

const QUEUED = 1000;
const POOL = 10;
/** A Redis database of this test's own: its slowed Graph rate must not slow any other test's. */
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/11`;

interface Ready {
  status: number;
  ms: number;
  database?: { status: string; pool?: { inUse: number; waiting: number } };
}

describe('teams-service while students wait for Graph', () => {
  let sandbox: TestSandboxWithGraph;
  let teams: RunningTeams;
  let control: BrokerTap;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    teams = await startTeams(sandbox, {
      REDIS_URL,
      DB_POOL_SIZE: String(POOL),
      LOG_LEVEL: 'warn',
      GRAPH_RPM: '6000',
      GRAPH_WRITE_RPM: '30', // the slowed limiter: a write every 2 s, two per student
      GRAPH_RATE_MAX_WAIT_MS: '120000', // the prefetch's worth of students wait in their handlers
      // The sandbox answers from this process, busy publishing the backlog: slow answers are not an outage here.
      GRAPH_TIMEOUT_MS: '15000',
      GRAPH_BREAKER_TIMEOUT_MS: '20000',
      GRAPH_BREAKER_VOLUME_THRESHOLD: '1000',
    });
    control = await BrokerTap.open([BreakerCambiado], { url: teams.config.RABBITMQ_URL });
    for (let i = 0; i < QUEUED; i += 100)
      await Promise.all(
        Array.from({ length: Math.min(100, QUEUED - i) }, () =>
          teams.broker.publish(AlumnoCreado, { alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() }),
        ),
      );
  }, 120_000);

  afterAll(async () => {
    await control?.close();
    await teams?.stop();
    await sandbox?.close();
  }, 60_000);

  /** teams-service's connections doing something: a query, or a transaction open between queries. */
  async function busyConnections(): Promise<number> {
    const { rows } = await teams.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle'",
      [teams.config.SERVICE_NAME],
    );
    return rows[0].n;
  }

  async function ready(): Promise<Ready> {
    const t = Date.now();
    const res = await fetch(`${await teams.app.getUrl()}/health/ready`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { details?: { database?: Ready['database'] } };
    return { status: res.status, ms: Date.now() - t, database: body.details?.database };
  }

  it('keeps /health/ready up with the pool free, and answers a control message within a second, while a thousand students wait', async () => {
    // Graph's first writes are made: from here on every handler in flight is waiting for its next slot.
    await waitFor(() => sandbox.graph.store.allUsers().length >= 2, 'the first users to be created', {
      timeoutMs: 60_000,
    });

    const busy: number[] = [];
    const health: Ready[] = [];
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      busy.push(await busyConnections());
      health.push(await ready());
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(
      `[espera-graph] busy connections ${JSON.stringify(busy)}; /health/ready ms ${JSON.stringify(health.map((h) => h.ms))}; pool in use ${JSON.stringify(health.map((h) => h.database?.pool?.inUse))}`,
    );
    expect(health.every((h) => h.status === 200 && h.database?.status === 'up')).toBe(true);
    expect(Math.max(...health.map((h) => h.ms))).toBeLessThan(3000);
    // Waiting students hold nothing: short transactions now and then (a sample may catch a few of them
    // together, and the relay's), never the pool; handlers holding their transaction while they wait
    // would keep all POOL of them busy in every sample.
    const inUse = health.map((h) => h.database?.pool?.inUse ?? POOL);
    expect(busy.filter((n) => n > 1).length).toBeLessThanOrEqual(2);
    expect(inUse.filter((n) => n > 2).length).toBeLessThanOrEqual(2);
    expect(Math.max(...busy, ...inUse)).toBeLessThan(POOL);
    expect(health.every((h) => h.database?.pool?.waiting === 0)).toBe(true);
    // …while hundreds still wait (in the queue, and the prefetch's worth in their handlers).
    const [main] = (await teams.app.get(MessagingRuntime).queueStatus()).filter(
      (q) => q.queue === teams.config.SERVICE_NAME,
    );
    expect(main.inFlight).toBeGreaterThan(1);
    expect(main.messages + main.inFlight).toBeGreaterThan(QUEUED / 2);

    // An operator resets the (closed) breaker: teams-service answers from its control queue at once.
    const sent = Date.now();
    await control.publish(ReiniciarBreaker, { servicio: teams.config.SERVICE_NAME, dependencia: 'graph' });
    await waitFor(
      () => control.messages.some((m) => (m.env.payload as BreakerCambiado).servicio === teams.config.SERVICE_NAME),
      'the reset to be answered',
      { timeoutMs: 5000, everyMs: 10 },
    );
    const answeredMs = Date.now() - sent;
    console.log(`[espera-graph] ReiniciarBreaker answered in ${answeredMs} ms`);
    expect(answeredMs).toBeLessThan(1000);
  }, 120_000);
});
