import { PermanentError } from '@lucy/messaging';
import type { MoodleConfig } from '../config.js';
import { CursosCatalog } from './cursos.catalog.js';
import type { MoodleClient } from './moodle.client.js';

function catalog(courses: Record<string, number[]>) {
  const asked: string[] = [];
  const client = {
    cursosPorShortname: async (s: string) => {
      asked.push(s);
      return (courses[s] ?? []).map((id) => ({ id, shortname: s }));
    },
  } as unknown as MoodleClient;
  const c = new CursosCatalog(client, { MOODLE_COURSE_CACHE_TTL_MS: 60_000 } as MoodleConfig);
  let t = 1_000_000;
  c.now = () => t;
  return { c, asked, advance: (ms: number) => (t += ms) };
}

describe('CursosCatalog', () => {
  it('resolves shortnames to ids, asking Moodle once per shortname while the answer is fresh', async () => {
    const { c, asked, advance } = catalog({ A: [3], B: [4] });
    expect(await c.resolver(['A', 'B'])).toEqual([
      { shortname: 'A', courseId: 3 },
      { shortname: 'B', courseId: 4 },
    ]);
    await c.resolver(['A', 'B']);
    expect(asked).toEqual(['A', 'B']);
    advance(60_001);
    await c.resolver(['A']);
    expect(asked).toEqual(['A', 'B', 'A']);
  });

  it('names every unknown shortname in one permanent error, and asks again next time', async () => {
    const { c, asked } = catalog({ A: [3] });
    const err = await c.resolver(['A', 'NOPE', 'GONE']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).message).toContain('NOPE, GONE');
    expect((err as PermanentError).code).toBe('curso-desconocido');
    await c.buscar('NOPE');
    expect(asked.filter((s) => s === 'NOPE')).toHaveLength(2);
  });

  it('refuses a shortname that matches two courses', async () => {
    const { c } = catalog({ DUP: [5, 6] });
    await expect(c.resolver(['DUP'])).rejects.toThrow(/2 courses with shortname DUP/);
  });
});
