import { PermanentError, TransientError } from '@lucy/messaging';
import { defaultClassifier, parseRetryAfter } from './classify.js';

describe('defaultClassifier', () => {
  it('reads 429 with its Retry-After (fractional seconds accepted) as throttled', () => {
    expect(defaultClassifier({ status: 429, headers: { 'Retry-After': '2.128' } })).toEqual({
      kind: 'throttled',
      retryAfterMs: 2128,
    });
    expect(defaultClassifier({ response: { status: 429, headers: {} } })).toEqual({
      kind: 'throttled',
      retryAfterMs: undefined,
    });
    expect(defaultClassifier({ status: 429, retryAfterMs: 700 })).toEqual({ kind: 'throttled', retryAfterMs: 700 });
  });

  it('counts 5xx, 408, timeouts and connection errors as transient; other 4xx as permanent', () => {
    expect(defaultClassifier({ status: 503 }).kind).toBe('transient');
    expect(defaultClassifier({ statusCode: 408 }).kind).toBe('transient');
    expect(defaultClassifier(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })).kind).toBe('transient');
    expect(defaultClassifier(new TransientError('x')).kind).toBe('transient');
    expect(defaultClassifier({ status: 400 }).kind).toBe('permanent');
    expect(defaultClassifier({ response: { status: 404 } }).kind).toBe('permanent');
    expect(defaultClassifier(new PermanentError('bad student')).kind).toBe('permanent');
  });
});

describe('parseRetryAfter', () => {
  it('takes delta-seconds or an HTTP date', () => {
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
