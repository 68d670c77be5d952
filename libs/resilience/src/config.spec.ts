import { z } from 'zod';
import { loadConfig } from '@lucy/platform';
import { dependencyEnv, dependencyOptionsFrom, resilienceEnv } from './config.js';

const schema = z.object({ ...resilienceEnv(), ...dependencyEnv('GRAPH') });

describe('resilience configuration', () => {
  it('uses the API preset when no rate is given, and the seed preset by name', () => {
    const d = dependencyOptionsFrom(loadConfig(schema, {}), 'GRAPH', 'graph');
    expect(d.rate).toEqual({ limits: { rpm: 6000, writeRpm: 1100 }, maxWaitMs: 30_000, replicas: 2, burst: 4 });
    expect(d.breaker).toMatchObject({
      timeoutMs: 15_000,
      volumeThreshold: 5,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 30_000,
    });
    const seed = dependencyOptionsFrom(loadConfig(schema, { GRAPH_RATE_PRESET: 'seed' }), 'GRAPH', 'graph');
    expect(seed.rate).toMatchObject({ limits: { rpm: 40, writeRpm: 20 }, burst: 0 });
  });

  it('takes explicit values, 0 meaning no write budget', () => {
    const d = dependencyOptionsFrom(
      loadConfig(schema, {
        GRAPH_RPM: '120',
        GRAPH_WRITE_RPM: '0',
        GRAPH_BREAKER_CAPACITY: '3',
        GRAPH_RATE_BURST: '0',
        RATE_LIMIT_REPLICAS: '4',
      }),
      'GRAPH',
      'graph',
    );
    expect(d.rate).toMatchObject({ limits: { rpm: 120, writeRpm: null }, replicas: 4, burst: 0 });
    expect(d.breaker.capacity).toBe(3);
  });

  it('names the variable at fault', () => {
    expect(() => loadConfig(schema, { GRAPH_RPM: '-1', REDIS_URL: 'http://x' })).toThrow(
      /GRAPH_RPM: must be a positive.*|REDIS_URL/,
    );
  });
});
