import { multiple, single, validateParameters, value, cleanReturnValue } from './moodle.description.js';
import type { MoodleException } from './moodle.errors.js';
import { jsToPhp } from './php-query.js';

const env = { auths: ['manual'], langs: ['en'], themes: [] };
const desc = single({
  users: multiple(
    single({ username: value('username'), id: value('int', 'optional'), lang: value('lang', 'default', 'en') }),
  ),
});

function error(f: () => unknown): MoodleException {
  try {
    f();
  } catch (e) {
    return e as MoodleException;
  }
  throw new Error('expected an exception');
}

describe('validateParameters (external_api::validate_parameters)', () => {
  it('casts, fills defaults and leaves optional keys out', () => {
    expect(
      validateParameters(desc, jsToPhp({ users: [{ username: 'juan', id: '7' }, { username: 'ana' }] }), env),
    ).toEqual({
      users: [
        { username: 'juan', id: 7, lang: 'en' },
        { username: 'ana', lang: 'en' },
      ],
    });
  });

  it('builds the path of the faulty value in debuginfo', () => {
    const e = error(() => validateParameters(desc, jsToPhp({ users: [{ username: 'Juan' }] }), env));
    expect(e.errorcode).toBe('invalidparameter');
    expect(e.debuginfo).toBe(
      'users => Invalid parameter value detected: username => Invalid parameter value detected: Invalid external api parameter: the value is "Juan", the server was expecting "username" type',
    );
  });

  it('in developer mode nests each message with its debuginfo, as getMessage() does', () => {
    const e = error(() =>
      validateParameters(desc, jsToPhp({ users: [{ username: 'Juan' }] }), { ...env, debug: 'developer' }),
    );
    expect(e.debuginfo).toMatch(/^users => Invalid parameter value detected \(username => /);
  });

  it('reports missing, unexpected and non-array values like Moodle', () => {
    expect(error(() => validateParameters(desc, jsToPhp({}), env)).debuginfo).toBe(
      'Missing required key in single structure: users',
    );
    expect(error(() => validateParameters(desc, jsToPhp({ users: [], x: '1' }), env)).debuginfo).toBe(
      'Unexpected keys (x) detected in parameter array.',
    );
    expect(error(() => validateParameters(desc, jsToPhp({ users: 'juan' }), env)).debuginfo).toBe(
      "users => Invalid parameter value detected: Only arrays accepted. The bad value is: 'juan'",
    );
    expect(error(() => validateParameters(value('int'), jsToPhp([1]), env)).debuginfo).toBe(
      'Scalar type expected, array or object received.',
    );
  });

  it('rejects a PARAM_INT that PHP would cast differently', () => {
    for (const bad of ['3a', '', ' 3', '3.0', '+3']) expect(() => validateParameters(value('int'), bad, env)).toThrow();
    expect(validateParameters(value('int'), '-3', env)).toBe(-3);
  });

  it('accepts 0/1 for PARAM_BOOL and refuses words', () => {
    expect(validateParameters(value('bool'), '1', env)).toBe(true);
    expect(() => validateParameters(value('bool'), 'true', env)).toThrow();
  });
});

describe('cleanReturnValue (external_api::clean_returnvalue)', () => {
  it('drops unknown keys, omits missing optional ones and casts types', () => {
    const d = single({ id: value('int'), ok: value('bool'), note: value('raw', 'optional') });
    expect(cleanReturnValue(d, { id: '5', ok: 0, extra: 'x' })).toEqual({ id: 5, ok: false });
  });
});
