import { RuntimeConfig, type StoredConfig } from './runtime-config.js';

const stored = (
  version: number,
  valores: StoredConfig['valores'],
  fijadas: readonly string[],
  rechazadas: Record<string, string> = {},
): StoredConfig => ({
  version,
  valores,
  fijadas,
  rechazadas,
  cambiadoPor: 'ana',
  appliedAt: '2026-11-23T02:00:00.000Z',
});

describe('RuntimeConfig', () => {
  const make = () =>
    new RuntimeConfig(
      ['loteTamano', 'moodleAuth'] as const,
      { loteTamano: 20, moodleAuth: 'oauth2' },
      { loteTamano: (n) => (n > 500 ? 'too big for this service' : undefined) },
    );

  it('starts on the environment, at version 0', () => {
    const rc = make();
    expect(rc.get('loteTamano')).toBe(20);
    expect(rc.describe()).toMatchObject({ version: 0, fijadas: [], rechazadas: {} });
  });

  it('applies only the keys an operator has set, and tells the listeners which changed', () => {
    const rc = make();
    const seen: string[][] = [];
    rc.onChange((keys) => seen.push(keys));
    expect(rc.apply(stored(3, { loteTamano: 50, moodleAuth: 'manual' }, ['loteTamano']))).toEqual(['loteTamano']);
    expect(rc.get('loteTamano')).toBe(50);
    expect(rc.get('moodleAuth')).toBe('oauth2'); // not set: the environment's value stays
    expect(seen).toEqual([['loteTamano']]);
    expect(rc.describe()).toMatchObject({ version: 3, fijadas: ['loteTamano'], cambiadoPor: 'ana' });
  });

  it('ignores a version that is not newer than the one applied', () => {
    const rc = make();
    rc.apply(stored(5, { loteTamano: 50 }, ['loteTamano']));
    expect(rc.apply(stored(4, { loteTamano: 99 }, ['loteTamano']))).toEqual([]);
    expect(rc.apply(stored(5, { loteTamano: 99 }, ['loteTamano']))).toEqual([]);
    expect(rc.get('loteTamano')).toBe(50);
  });

  it('decides to keep the value in force for a key whose new value fails its check, and records why', () => {
    const rc = make();
    const previo = stored(1, { loteTamano: 40 }, ['loteTamano']);
    rc.apply(previo);
    const decidido = rc.decide(
      {
        valores: { loteTamano: 900, moodleAuth: 'oidc', zonaHoraria: 'UTC' },
        fijadas: ['loteTamano', 'moodleAuth', 'zonaHoraria'],
      },
      previo,
    );
    expect(decidido).toEqual({
      valores: { loteTamano: 40, moodleAuth: 'oidc', zonaHoraria: 'UTC' },
      fijadas: ['loteTamano', 'moodleAuth', 'zonaHoraria'],
      rechazadas: { loteTamano: 'too big for this service' },
    });
    expect(rc.apply({ ...stored(2, decidido.valores, decidido.fijadas, decidido.rechazadas) })).toEqual(['moodleAuth']);
    expect(rc.get('loteTamano')).toBe(40);
    expect(rc.describe()).toMatchObject({ version: 2, rechazadas: { loteTamano: 'too big for this service' } });
  });

  it('decides to stay on the environment for a refused key nobody had set before', () => {
    const rc = make();
    const decidido = rc.decide({ valores: { loteTamano: 900 }, fijadas: ['loteTamano'] }, null);
    expect(decidido).toEqual({
      valores: { loteTamano: 900 },
      fijadas: [],
      rechazadas: { loteTamano: 'too big for this service' },
    });
    rc.apply(stored(1, decidido.valores, decidido.fijadas, decidido.rechazadas));
    expect(rc.get('loteTamano')).toBe(20);
  });

  it('a replica that starts from the stored row runs what the running ones run, refusals included', () => {
    const running = make();
    running.apply(stored(1, { loteTamano: 40 }, ['loteTamano']));
    const decidido = running.decide(
      { valores: { loteTamano: 900 }, fijadas: ['loteTamano'] },
      stored(1, { loteTamano: 40 }, ['loteTamano']),
    );
    const fila = stored(2, decidido.valores, decidido.fijadas, decidido.rechazadas);
    running.apply(fila);
    const restarted = make();
    restarted.apply(fila);
    expect(restarted.get('loteTamano')).toBe(running.get('loteTamano'));
    expect(restarted.describe().rechazadas).toEqual(running.describe().rechazadas);
  });

  it('does not report a change when the stored value equals the one in force (deep equality)', () => {
    const rc = new RuntimeConfig(['cursos'] as const, { cursos: { ingresante: { '*': ['A', 'B'] } } });
    expect(rc.apply(stored(1, { cursos: { ingresante: { '*': ['A', 'B'] } } }, ['cursos']))).toEqual([]);
    expect(rc.apply(stored(2, { cursos: { ingresante: { '*': ['A'] } } }, ['cursos']))).toEqual(['cursos']);
  });

  it('goes back to the environment when a later version no longer sets the key', () => {
    const rc = make();
    rc.apply(stored(1, { loteTamano: 40 }, ['loteTamano']));
    rc.apply(stored(2, { loteTamano: 40 }, []));
    expect(rc.get('loteTamano')).toBe(20);
  });

  it('hands out values the caller cannot alter in place', () => {
    const rc = new RuntimeConfig(['cursos'] as const, { cursos: { ingresante: { '*': ['A'] } } });
    rc.apply(stored(1, { cursos: { ingresante: { '*': ['B'] } } }, ['cursos']));
    const valores = { cursos: { ingresante: { '*': ['C'] } } };
    rc.apply(stored(2, valores, ['cursos']));
    valores.cursos.ingresante['*'].push('D');
    expect(rc.get('cursos')).toEqual({ ingresante: { '*': ['C'] } });
  });

  it('a failing listener does not stop the others', () => {
    const errors: string[] = [];
    const rc = new RuntimeConfig(['loteTamano'] as const, { loteTamano: 20 }, {}, (e) => errors.push(e.message));
    const seen: number[] = [];
    rc.onChange(() => {
      throw new Error('boom');
    });
    rc.onChange(() => seen.push(rc.get('loteTamano')));
    rc.apply(stored(1, { loteTamano: 7 }, ['loteTamano']));
    expect(errors).toEqual(['boom']);
    expect(seen).toEqual([7]);
  });
});
