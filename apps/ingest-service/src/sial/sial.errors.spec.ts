import { AxiosError, AxiosHeaders } from 'axios';
import { PermanentError, TransientError } from '@lucy/messaging';
import { sialClassifier, sialError } from './sial.errors.js';

const http = (status: number, data: unknown = {}, headers: Record<string, string> = {}) =>
  new AxiosError('failed', 'ERR_BAD_RESPONSE', undefined, undefined, {
    status,
    statusText: '',
    data,
    headers,
    config: { headers: new AxiosHeaders() },
  });
const network = (code: string) => new AxiosError('failed', code);
const at = (pagina = 1) => ({ lista: 'ingresantes', pagina });

describe('sialError', () => {
  it('finds rejected credentials permanent, with DRF’s detail', () => {
    const e = sialError(http(401, { detail: 'Invalid username/password.' }), at());
    expect(e).toBeInstanceOf(PermanentError);
    expect(e.message).toBe(
      'SIAL ingresantes (página 1): credenciales rechazadas (HTTP 401: Invalid username/password.)',
    );
    expect(sialError(http(403), at())).toBeInstanceOf(PermanentError);
  });

  it.each([502, 503, 500])('finds HTTP %i transient', (status) => {
    expect(sialError(http(status, '<html>nginx</html>'), at())).toBeInstanceOf(TransientError);
  });

  it.each(['ECONNABORTED', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNRESET'])('finds %s transient', (code) => {
    expect(sialError(network(code), at())).toBeInstanceOf(TransientError);
  });

  it('honours a 429’s Retry-After', () => {
    const e = sialError(http(429, {}, { 'retry-after': '7' }), at()) as TransientError;
    expect(e).toBeInstanceOf(TransientError);
    expect(e.retryAfterMs).toBe(7000);
  });

  it('finds a vanished page transient (the list shrank) but a wrong URL permanent', () => {
    expect(sialError(http(404, { detail: 'Invalid page.' }), at(3))).toBeInstanceOf(TransientError);
    expect(sialError(http(404), at(1))).toBeInstanceOf(PermanentError);
  });
});

describe('what a SIAL failure says about SIAL (the guard’s classifier)', () => {
  it('counts 5xx and no answer against the breaker, and takes 429 as throttling', () => {
    expect(sialClassifier(sialError(http(502), at()))).toEqual({ kind: 'transient' });
    expect(sialClassifier(sialError(network('ECONNREFUSED'), at()))).toEqual({ kind: 'transient' });
    expect(sialClassifier(sialError(http(429, {}, { 'retry-after': '4' }), at()))).toEqual({
      kind: 'throttled',
      retryAfterMs: 4000,
    });
  });

  it('never opens it for a SIAL that answered: credentials, a list changing under us', () => {
    expect(sialClassifier(sialError(http(401), at()))).toEqual({ kind: 'permanent' });
    expect(sialClassifier(sialError(http(404), at(2)))).toEqual({ kind: 'permanent' });
  });
});
