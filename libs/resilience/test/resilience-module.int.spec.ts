// ResilienceModule as a service wires it: the guard is injectable, its breaker is in the health details
// (up even when open: the service is alive and waiting), its metrics are in /metrics, and the control
// handlers consume <service>.control.
import 'reflect-metadata';
import { Global, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MessagingModule, MessagingRuntime, messagingDefaults } from '@lucy/messaging';
import {
  AppConfigModule,
  baseConfigSchema,
  HealthRegistry,
  loadConfig,
  MetricsModule,
  MetricsService,
} from '@lucy/platform';
import {
  controlQueueOf,
  dependencyEnv,
  InjectGuard,
  ResilienceModule,
  resilienceEnv,
  type DependencyGuard,
} from '../src/index.js';
import { deleteQueues, RABBITMQ_URL, uniqueService, waitFor } from './support/messaging.js';
import { connectRedis, dropKeys, ready, uniqueApi } from './support/redis.js';

@Global()
@Module({ providers: [HealthRegistry], exports: [HealthRegistry] })
class HealthRegistryOnly {}

@Injectable()
class FakeGraphClient {
  constructor(@InjectGuard('graph') readonly guard: DependencyGuard) {}
}

describe('ResilienceModule', () => {
  let app: INestApplicationContext;
  const service = uniqueService('nest');
  const api = uniqueApi('nest');

  beforeAll(async () => {
    const schema = baseConfigSchema.extend({ ...resilienceEnv(), ...dependencyEnv('GRAPH') });
    const config = loadConfig(schema, {
      SERVICE_NAME: service,
      PORT: '0',
      DB_SCHEMA: 'unused',
      GRAPH_RPM: '600',
      GRAPH_WRITE_RPM: '60',
      GRAPH_BREAKER_VOLUME_THRESHOLD: '2',
    });
    const ref = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(config),
        MetricsModule,
        HealthRegistryOnly,
        MessagingModule.forRootAsync({
          useFactory: () => ({
            ...messagingDefaults(service, RABBITMQ_URL),
            inbox: false,
            outbox: false,
            retryDelaysMs: [100, 300, 700],
          }),
        }),
        ResilienceModule.forDependency({ name: 'graph', env: 'GRAPH', api }),
      ],
      providers: [FakeGraphClient],
    }).compile();
    app = await ref.init();
  });

  afterAll(async () => {
    await app?.close();
    await deleteQueues(controlQueueOf(service));
    const redis = await ready(connectRedis());
    await dropKeys(redis, api);
    redis.disconnect();
  });

  it('gives the adapter a guard configured from the environment, and consumes the control queue', async () => {
    const guard = app.get(FakeGraphClient).guard;
    expect(await guard.limiter!.snapshot()).toMatchObject({ limits: { rpm: 600, writeRpm: 60 }, backend: 'redis' });
    const queues = (await app.get(MessagingRuntime).queueStatus()).map((q) => q.queue);
    expect(queues).toContain(controlQueueOf(service));
  });

  it('shows an open breaker in the health details without making the service unready, and in the metrics', async () => {
    const guard = app.get(FakeGraphClient).guard;
    for (let i = 0; i < 3; i++)
      await guard
        .call('read', () => Promise.reject(Object.assign(new Error('down'), { status: 503 })))
        .catch(() => undefined);
    await waitFor(() => guard.state === 'open', 5000, 'the breaker to open');
    const check = app
      .get(HealthRegistry)
      .entries()
      .find(([name]) => name === 'breaker:graph')![1];
    expect(await check()).toMatchObject({ up: true, details: { state: 'open', rateLimit: { limits: { rpm: 600 } } } });
    const metrics = await app.get(MetricsService).metrics();
    expect(metrics).toContain(`lucy_breaker_state{dependency="graph",state="open",service="${service}"} 1`);
    expect(metrics).toContain(`lucy_breaker_transitions_total{dependency="graph",to="open",service="${service}"} 1`);
  });
});
