import { PermanentError, TransientError } from '@lucy/messaging';
import {
  classifyGraphError,
  conflictingUserId,
  graphClassifier,
  graphHttpError,
  isDeltaResyncRequired,
  isDuplicateUpn,
  parseRetryAfter,
  tokenError,
  transportError,
} from './graph.errors.js';

const body = (code: string, message: string, details?: unknown[]) => ({
  error: {
    code,
    message,
    innerError: { 'request-id': 'r-1', date: '2027-01-01T00:00:00' },
    ...(details ? { details } : {}),
  },
});
const err = (
  status: number,
  code = 'Request_BadRequest',
  message = 'x',
  headers: Record<string, string> = {},
  details?: unknown[],
) => graphHttpError(status, headers, body(code, message, details));

describe('Graph error classification', () => {
  it('retries 429 and keeps its Retry-After', () => {
    const e = classifyGraphError(err(429, 'TooManyRequests', 'Please retry again later.', { 'retry-after': '10' }));
    expect(e).toBeInstanceOf(TransientError);
    expect((e as TransientError).retryAfterMs).toBe(10_000);
    expect(e.message).toContain('request-id r-1');
  });

  it('retries 5xx (with or without Retry-After) and 408', () => {
    for (const s of [500, 502, 503, 504, 408])
      expect(classifyGraphError(err(s, 'ServiceNotAvailable'))).toBeInstanceOf(TransientError);
    expect(
      (classifyGraphError(err(503, 'ServiceNotAvailable', 'busy', { 'Retry-After': '2.128' })) as TransientError)
        .retryAfterMs,
    ).toBe(2128);
  });

  it('parks 400, 403 and 404 at once, with Graph’s code', () => {
    for (const [s, code] of [
      [400, 'Request_BadRequest'],
      [403, 'Authorization_RequestDenied'],
      [404, 'Request_ResourceNotFound'],
    ] as const) {
      const e = classifyGraphError(err(s, code, 'refused'));
      expect(e).toBeInstanceOf(PermanentError);
      expect((e as PermanentError).code).toBe(code);
      expect(e.message).toBe(`Graph ${s} ${code}: refused (request-id r-1)`);
    }
  });

  it('retries a 404 Request_ResourceNotFound on an object written moments ago (replication lag)', () => {
    expect(classifyGraphError(err(404, 'Request_ResourceNotFound'), { justWritten: true })).toBeInstanceOf(
      TransientError,
    );
    expect(classifyGraphError(err(404, 'Request_ResourceNotFound'), { justWritten: false })).toBeInstanceOf(
      PermanentError,
    );
  });

  it('retries "invalid usage location" only right after usageLocation was set', () => {
    const e = err(400, 'Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.');
    expect(classifyGraphError(e, { justWritten: true })).toBeInstanceOf(TransientError);
    expect(classifyGraphError(e)).toBeInstanceOf(PermanentError);
  });

  it('keeps a licence without units permanent even right after a write', () => {
    const e = err(400, 'Request_BadRequest', 'Subscription with SKU b17653a4 does not have any available licenses.');
    expect(classifyGraphError(e, { justWritten: true })).toBeInstanceOf(PermanentError);
  });

  it('retries a 401 (credentials or clock, not the message)', () => {
    expect(classifyGraphError(err(401, 'InvalidAuthenticationToken'))).toMatchObject({
      name: 'TransientError',
      code: 'graph-auth',
    });
  });

  it('reads a body that is not Graph’s envelope (a proxy’s HTML page)', () => {
    const e = graphHttpError(502, {}, '<html>Bad gateway</html>');
    expect([e.status, e.code, e.message]).toEqual([502, 'HTTP502', 'HTTP 502']);
    expect(classifyGraphError(e)).toBeInstanceOf(TransientError);
  });
});

describe('duplicate UPN', () => {
  const message = 'Another object with the same value for property userPrincipalName already exists.';
  it('is recognised by its ObjectConflict detail and names the other user', () => {
    const e = err(400, 'Request_BadRequest', message, {}, [
      { code: 'ObjectConflict', message, target: 'userPrincipalName' },
      { code: 'ConflictingObjects', message, target: 'User_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' },
    ]);
    expect(isDuplicateUpn(e)).toBe(true);
    expect(conflictingUserId(e)).toBe('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  });

  it('is recognised by the 2018 shape (bare detail) too, and not confused with other 400s', () => {
    expect(
      isDuplicateUpn(
        err(400, 'Request_BadRequest', message, {}, [{ target: 'userPrincipalName', code: 'ObjectConflict' }]),
      ),
    ).toBe(true);
    expect(
      isDuplicateUpn(
        err(400, 'Request_BadRequest', 'The domain portion of the userPrincipalName property is invalid.'),
      ),
    ).toBe(false);
    expect(
      isDuplicateUpn(
        err(
          400,
          'Request_BadRequest',
          'Another object with the same value for property proxyAddresses already exists.',
          {},
          [{ code: 'ObjectConflict', target: 'proxyAddresses' }],
        ),
      ),
    ).toBe(false);
  });
});

describe('failures without an answer', () => {
  it('are transient: timeouts and refused connections', () => {
    expect(
      transportError(Object.assign(new Error('timeout of 50ms exceeded'), { code: 'ECONNABORTED' }), 50),
    ).toMatchObject({ name: 'TransientError', code: 'graph-timeout' });
    expect(transportError(Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' }), 50)).toMatchObject({
      code: 'graph-timeout',
    });
    expect(
      transportError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 50),
    ).toMatchObject({ name: 'TransientError', code: 'graph-unreachable' });
  });

  it('token failures are transient, with the AADSTS reason but not the rest of the description', () => {
    const e = tokenError({
      errorCode: 'invalid_client',
      errorMessage: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x',
    });
    expect(e).toMatchObject({ name: 'TransientError', code: 'graph-auth' });
    expect(e.message).toBe('no Graph token: invalid_client: AADSTS7000215: Invalid client secret provided.');
  });
});

describe('Retry-After', () => {
  it('reads seconds, fractional seconds and HTTP dates', () => {
    const now = Date.parse('2027-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Fri, 01 Jan 2027 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('what a Graph failure says about Graph (the guard’s classifier)', () => {
  it('takes 429 as throttling, with its Retry-After', () => {
    expect(graphClassifier(err(429, 'TooManyRequests', 'slow down', { 'retry-after': '2.5' }))).toEqual({
      kind: 'throttled',
      retryAfterMs: 2500,
    });
  });

  it('counts 5xx, 408 and no answer against the breaker', () => {
    for (const s of [500, 503, 504, 408]) expect(graphClassifier(err(s))).toEqual({ kind: 'transient' });
    expect(
      graphClassifier(transportError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 1000)),
    ).toEqual({ kind: 'transient' });
  });

  it('never lets a refused request open the breaker, replication lag included (Graph answered)', () => {
    for (const [s, code] of [
      [400, 'Request_BadRequest'],
      [401, 'InvalidAuthenticationToken'],
      [403, 'Authorization_RequestDenied'],
      [404, 'Request_ResourceNotFound'],
    ] as const) {
      expect(graphClassifier(err(s, code))).toEqual({ kind: 'permanent' });
    }
    // ...while the adapter still retries the lag for an object it just wrote.
    expect(classifyGraphError(err(404, 'Request_ResourceNotFound'), { justWritten: true })).toBeInstanceOf(
      TransientError,
    );
  });
});

describe('a delta link Graph no longer knows', () => {
  it('is 400 syncStateNotFound (either spelling), 400 resyncRequired or any 410 Gone', () => {
    expect(isDeltaResyncRequired(err(400, 'syncStateNotFound'))).toBe(true);
    expect(isDeltaResyncRequired(err(400, 'SyncStateNotFound'))).toBe(true);
    expect(isDeltaResyncRequired(err(400, 'resyncRequired'))).toBe(true);
    expect(isDeltaResyncRequired(err(410, 'resyncRequired'))).toBe(true);
    expect(isDeltaResyncRequired(err(410, 'HTTP410'))).toBe(true);
  });

  it('is not any other refusal', () => {
    expect(isDeltaResyncRequired(err(400, 'Request_BadRequest', 'Invalid or expired delta token.'))).toBe(false);
    expect(isDeltaResyncRequired(err(404, 'Request_ResourceNotFound'))).toBe(false);
    expect(isDeltaResyncRequired(err(429, 'TooManyRequests'))).toBe(false);
    expect(isDeltaResyncRequired(new Error('syncStateNotFound'))).toBe(false);
  });
});
