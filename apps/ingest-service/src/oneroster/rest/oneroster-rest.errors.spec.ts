import { AxiosError, AxiosHeaders } from 'axios';
import { PermanentError, TransientError } from '@lucy/messaging';
import { nextOffset } from './oneroster-rest.client.js';
import { esFiltroRechazado, oneRosterClassifier, oneRosterError, statusInfo } from './oneroster-rest.errors.js';

const set = (codeMinor: string, description: string) => ({
  statusInfoSet: [
    {
      imsx_codeMajor: 'failure',
      imsx_severity: 'error',
      imsx_description: description,
      imsx_CodeMinor: {
        imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: codeMinor }],
      },
    },
  ],
});
const axiosError = (status: number, data: unknown, headers: Record<string, string> = {}) =>
  new AxiosError('failed', 'ERR_BAD_RESPONSE', undefined, undefined, {
    status,
    statusText: '',
    data,
    headers: new AxiosHeaders(headers),
    config: { headers: new AxiosHeaders() },
  });

describe('OneRoster REST errors', () => {
  it('reads the statusInfoSet, or a bare imsx_StatusInfo with a string code minor', () => {
    expect(statusInfo(set('invalid_filter_field', "filter: no field 'x'"))).toBe(
      "invalid_filter_field: filter: no field 'x'",
    );
    expect(statusInfo({ imsx_codeMajor: 'failure', imsx_CodeMinor: 'server_busy', imsx_description: 'later' })).toBe(
      'server_busy: later',
    );
    expect(statusInfo('<html>502</html>')).toBe('');
  });

  it('makes a 400 a permanent error that says what the server refused', () => {
    const e = oneRosterError(
      axiosError(400, set('invalid_filter_field', "filter: no field 'x'")),
      'students (página 1)',
    );
    expect(e).toBeInstanceOf(PermanentError);
    expect(e.message).toBe(
      "OneRoster students (página 1): el servidor rechazó la consulta (HTTP 400 invalid_filter_field: filter: no field 'x')",
    );
    expect(oneRosterClassifier(e).kind).toBe('permanent');
    expect(e.code).toBe('oneroster-filtro');
    expect(esFiltroRechazado(e)).toBe(true);
    expect(esFiltroRechazado(oneRosterError(axiosError(400, set('invaliddata', 'limit')), 'x'))).toBe(false);
  });

  it('makes 401 permanent, 429 throttled with its Retry-After, 5xx transient', () => {
    expect(oneRosterError(axiosError(401, set('unauthorisedrequest', 'bad')), 'x')).toMatchObject({
      code: 'oneroster-credenciales',
    });
    const t = oneRosterError(axiosError(429, set('server_busy', 'later'), { 'retry-after': '7' }), 'x');
    expect(t).toBeInstanceOf(TransientError);
    expect(oneRosterClassifier(t)).toEqual({ kind: 'throttled', retryAfterMs: 7000 });
    expect(oneRosterClassifier(oneRosterError(axiosError(503, 'down'), 'x')).kind).toBe('transient');
  });
});

describe('nextOffset', () => {
  it('takes the offset of rel="next" only', () => {
    const link =
      '<https://h/ims/oneroster/v1p1/users?limit=10&offset=0>; rel="first", <https://h/ims/oneroster/v1p1/users?limit=10&offset=20>; rel="next", <https://h/ims/oneroster/v1p1/users?limit=10&offset=90>; rel="last"';
    expect(nextOffset(link)).toBe(20);
    expect(nextOffset('<https://h/x?offset=90>; rel="last"')).toBeUndefined();
    expect(nextOffset(undefined)).toBeUndefined();
  });
});
