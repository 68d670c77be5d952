// teams-service's Graph calls behind libs/resilience, against the real RabbitMQ, PostgreSQL and Redis
// and the sandbox's Graph: a Graph that is down opens the breaker and pauses the queue (students wait,
// their attempts untouched), and a 429's Retry-After holds every call back.
import { randomUUID } from 'node:crypto';
import { AlumnoCreado, BreakerCambiado, CuentaTeamsCreada, CuentaTeamsFallida } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { guardToken, type DependencyGuard } from '@lucy/resilience';
import { BrokerTap, startTestSandbox, waitFor, type TestSandboxWithGraph } from '@lucy/testing';
import { nuevoAlumno, startTeams, usersOf, type RunningTeams } from './support/teams-service.js';

describe('teams-service protecting Graph', () => {
  let sandbox: TestSandboxWithGraph;
  let teams: RunningTeams;
  let breakerEvents: BrokerTap;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    teams = await startTeams(sandbox, { GRAPH_BREAKER_VOLUME_THRESHOLD: '3', GRAPH_BREAKER_RESET_TIMEOUT_MS: '1000' });
    breakerEvents = await BrokerTap.open([BreakerCambiado], { url: teams.config.RABBITMQ_URL });
  });

  afterAll(async () => {
    await breakerEvents?.close();
    await teams?.stop();
    await sandbox?.close();
  });

  afterEach(() => sandbox.ctx.faults.reset());

  const guard = () => teams.app.get<DependencyGuard>(guardToken('graph'));
  const runtime = () => teams.app.get(MessagingRuntime);
  const alumnoCreado = () => ({ alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() });

  async function consumed(outcome: string): Promise<number> {
    const metric = await runtime().metrics.consumed.get();
    return metric.values
      .filter((v) => v.labels.outcome === outcome && v.labels.type === AlumnoCreado.id)
      .reduce((n, v) => n + v.value, 0);
  }

  const mine = () =>
    breakerEvents.messages
      .map((m) => m.env.payload as BreakerCambiado)
      .filter((e) => e.servicio === teams.config.SERVICE_NAME)
      .map((e) => e.estado);

  it('pauses its queue while Graph is down, parks nothing, and creates every waiting account once Graph is back', async () => {
    sandbox.ctx.faults.set('graph', { downUntil: Date.now() + 3_600_000 });
    const parkedBefore = await consumed('parked');
    const envs = [];
    for (let i = 0; i < 5; i++) envs.push(await teams.broker.publish(AlumnoCreado, alumnoCreado()));

    await waitFor(() => guard().state === 'open', 'the Graph breaker to open', { timeoutMs: 15_000 });
    await waitFor(
      async () => (await runtime().queueStatus()).find((q) => q.queue === teams.config.SERVICE_NAME)?.paused === true,
      'the queue to be paused',
      { timeoutMs: 5_000 },
    );
    // Messages in flight when it opened are set aside without an attempt (outcome 'deferred'); those
    // waiting in a retry tier come back into the paused queue. Either way no attempt is spent from here on.
    const retried = await consumed('retried');
    // Open for a while (it probes every second and stays open): nothing more is charged to the students.
    await waitFor(() => mine().filter((s) => s === 'half-open').length >= 2, 'two failed probes', {
      timeoutMs: 10_000,
    });
    expect(await consumed('retried')).toBe(retried);
    expect(await consumed('parked')).toBe(parkedBefore);
    for (const env of envs) expect(teams.broker.repliesTo(CuentaTeamsFallida, env)).toHaveLength(0);

    sandbox.ctx.faults.reset('graph');
    const creadas = await Promise.all(envs.map((env) => teams.broker.reply(CuentaTeamsCreada, env, 30_000)));
    for (const { env } of creadas)
      expect(usersOf(sandbox, env.payload.upn).filter((u) => u.state === 'active')).toHaveLength(1);
    expect(guard().state).toBe('closed');
    expect(mine()).toEqual(expect.arrayContaining(['open', 'half-open', 'closed']));
    expect((await runtime().queueStatus()).find((q) => q.queue === teams.config.SERVICE_NAME)).toMatchObject({
      paused: false,
      parked: 0,
    });
    expect(await consumed('parked')).toBe(parkedBefore);
  }, 90_000);

  it('sends nothing to Graph before the time a 429 asked for, and charges the student no attempt', async () => {
    sandbox.ctx.faults.set('graph', { burst429: 2, retryAfterSeconds: 1.5 });
    const retried = await consumed('retried');
    const since = Date.now();
    const env = await teams.broker.publish(AlumnoCreado, alumnoCreado());
    await teams.broker.reply(CuentaTeamsCreada, env, 30_000);
    const seen = sandbox.ctx.counters.requests('graph', since);
    const throttled = seen.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(2);
    for (const t of throttled) {
      const next = seen.find((r) => r.at > t.at);
      // The stand-in sends Retry-After in whole seconds (2 for 1.5): nothing may come sooner.
      expect(next!.at - t.at).toBeGreaterThanOrEqual(2000);
    }
    expect(await consumed('retried')).toBe(retried);
  }, 60_000);
});
