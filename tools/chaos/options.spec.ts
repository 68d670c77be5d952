import { duration, envOverrides, parseOptions } from './options.js';

describe('chaos options', () => {
  it('defaults to a small run with no broker or PostgreSQL restart', () => {
    expect(parseOptions([])).toMatchObject({
      alumnos: 300,
      kills: 1,
      brokerRestarts: 0,
      pgRestarts: 0,
      graph5xx: 0.05,
      moodleDownMs: 20_000,
    });
  });

  it('reads durations and refuses nonsense with the flag named', () => {
    expect(duration('30s', 'x')).toBe(30_000);
    expect(duration('2m', 'x')).toBe(120_000);
    expect(duration('1500ms', 'x')).toBe(1500);
    expect(() => parseOptions(['--moodle-down', 'soon'])).toThrow(/--moodle-down/);
    expect(() => parseOptions(['--graph-5xx', '5'])).toThrow(/--graph-5xx/);
    expect(() => parseOptions(['--vhost', '/'])).toThrow(/--vhost/);
    expect(() => parseOptions(['--kils', '1'])).toThrow();
  });

  it('splits --env into every process and one service', () => {
    expect(envOverrides(['LOG_LEVEL=warn', 'ingest-service:BATCH_SIZE=1000'])).toEqual({
      common: { LOG_LEVEL: 'warn' },
      perService: { 'ingest-service': { BATCH_SIZE: '1000' } },
    });
  });
});
