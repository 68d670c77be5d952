import type { DataSource } from 'typeorm';
import { chooseSqlPath, sqlPathFromEnv } from './sql-adapter.js';

const ds = (options: Record<string, unknown> = {}, subscribers: unknown[] = []) =>
  ({ options: { type: 'postgres', ...options }, subscribers }) as unknown as DataSource;

describe('which SQL path the transport takes', () => {
  const saved = process.env.MESSAGING_SQL;
  beforeEach(() => delete process.env.MESSAGING_SQL);
  afterAll(() => {
    if (saved === undefined) delete process.env.MESSAGING_SQL;
    else process.env.MESSAGING_SQL = saved;
  });

  it("goes through TypeORM's API by default and with MESSAGING_SQL=typeorm, direct with MESSAGING_SQL=direct", () => {
    expect(chooseSqlPath(ds(), undefined)).toBe('typeorm');
    expect(chooseSqlPath(ds(), 'typeorm')).toBe('typeorm');
    expect(chooseSqlPath(ds(), 'direct')).toBe('direct');
    process.env.MESSAGING_SQL = 'direct'; // an option not given: the environment decides
    expect(chooseSqlPath(ds())).toBe('direct');
  });

  it.each([
    ['query logging', ds({ logging: true })],
    ['a default isolation level', ds({ isolationLevel: 'SERIALIZABLE' })],
    ['a slow-query log', ds({ maxQueryExecutionTime: 1000 })],
    ['a subscriber', ds({}, [{}])],
  ])('never goes around TypeORM when something watches the DataSource: %s', (_what, watched) => {
    expect(chooseSqlPath(watched, undefined)).toBe('typeorm');
    expect(chooseSqlPath(watched, 'direct')).toBe('typeorm');
  });

  it('reads MESSAGING_SQL, and refuses a value it does not know', () => {
    expect(sqlPathFromEnv(undefined)).toBeUndefined();
    expect(sqlPathFromEnv('')).toBeUndefined();
    expect(sqlPathFromEnv('typeorm')).toBe('typeorm');
    expect(() => sqlPathFromEnv('raw')).toThrow(/MESSAGING_SQL must be one of direct, typeorm/);
  });
});
