import { PermanentError, TransientError } from '@lucy/messaging';
import {
  fromHttpStatus,
  fromMoodleException,
  fromNetworkFailure,
  isMoodleException,
  moodleClassifier,
} from './moodle.errors.js';

const ex = (errorcode: string, exception = 'core\\exception\\moodle_exception', message = 'x') => ({
  exception,
  errorcode,
  message,
});

describe('Moodle error classification', () => {
  it.each([
    ['invalidtoken', 'core\\exception\\moodle_exception'],
    ['accessexception', 'webservice_access_exception'],
    ['invalidparameter', 'core\\exception\\invalid_parameter_exception'],
    ['invalidrecord', 'dml_missing_record_exception'],
    ['codingerror', 'core\\exception\\coding_exception'],
    ['wsusercannotassign', 'core\\exception\\moodle_exception'],
    ['wsnoinstance', 'core\\exception\\moodle_exception'],
    ['<div>Passwords must have at least 1 digit(s).</div>', 'core\\exception\\moodle_exception'],
  ])('treats %s as permanent', (errorcode, exception) => {
    const err = fromMoodleException('f', ex(errorcode, exception));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.code).toMatch(/^moodle:/);
  });

  it.each([
    ['dmlreadexception', 'dml_read_exception'],
    ['dmlwriteexception', 'dml_write_exception'],
    ['dbconnectionfailed', 'dml_connection_exception'],
    ['sessionwaiterr', 'dml_sessionwait_exception'],
    ['sitemaintenance', 'core\\exception\\moodle_exception'],
    ['somethingnew', 'dml_exception'],
  ])('treats %s as transient', (errorcode, exception) => {
    expect(fromMoodleException('f', ex(errorcode, exception))).toBeInstanceOf(TransientError);
  });

  it('names the function and Moodle’s errorcode and message, with the HTML of a password-policy code stripped', () => {
    const err = fromMoodleException(
      'core_user_create_users',
      ex(
        '<div>Passwords must be at least 8 characters long.</div>',
        'moodle_exception',
        'error/<div>Passwords must be at least 8 characters long.</div>',
      ),
    );
    expect(err.message).toBe(
      'Moodle core_user_create_users: Passwords must be at least 8 characters long.: error/ Passwords must be at least 8 characters long.',
    );
    expect(err.code).toBe('moodle:Passwords must be at least 8 characters long.');
    expect(
      fromMoodleException('core_user_create_users', ex('invalidparameter', 'x', 'Invalid parameter value detected'))
        .message,
    ).toBe('Moodle core_user_create_users: invalidparameter: Invalid parameter value detected');
  });

  it('recognises Moodle’s error body and nothing else', () => {
    expect(isMoodleException(ex('invalidtoken'))).toBe(true);
    expect(isMoodleException(null)).toBe(false);
    expect(isMoodleException([{ id: 1 }])).toBe(false);
    expect(isMoodleException({ courses: [], warnings: [] })).toBe(false);
  });

  it('treats 5xx, 408 and 429 from the web server as transient, honouring Retry-After', () => {
    expect(fromHttpStatus('f', 503)).toBeInstanceOf(TransientError);
    expect(fromHttpStatus('f', 502)).toBeInstanceOf(TransientError);
    expect(fromHttpStatus('f', 408)).toBeInstanceOf(TransientError);
    const throttled = fromHttpStatus('f', 429, '7') as TransientError;
    expect(throttled).toBeInstanceOf(TransientError);
    expect(throttled.retryAfterMs).toBe(7000);
  });

  it('treats 403 (REST disabled) and 404 (wrong MOODLE_URL) as permanent', () => {
    expect(fromHttpStatus('f', 403)).toBeInstanceOf(PermanentError);
    expect(fromHttpStatus('f', 404).message).toContain('MOODLE_URL');
  });

  it('treats timeouts and connection failures as transient', () => {
    expect(fromNetworkFailure('f', 'ECONNABORTED', 1500).message).toContain('no answer within 1500 ms');
    expect(fromNetworkFailure('f', 'ERR_CANCELED', 1500).code).toBe('moodle:timeout');
    expect(fromNetworkFailure('f', 'ECONNREFUSED', 1500)).toBeInstanceOf(TransientError);
    expect(fromNetworkFailure('f', 'ECONNRESET', 1500).code).toBe('moodle:econnreset');
  });
});

describe('what a Moodle failure says about Moodle (the guard’s classifier)', () => {
  it('counts its transient exception codes (HTTP 200 bodies), 5xx and no answer against the breaker', () => {
    for (const [code, cls] of [
      ['dbconnectionfailed', 'dml_connection_exception'],
      ['sitemaintenance', 'moodle_exception'],
      ['dmlreadexception', 'dml_read_exception'],
    ]) {
      expect(moodleClassifier(fromMoodleException('f', ex(code, cls)))).toEqual({ kind: 'transient' });
    }
    expect(moodleClassifier(fromHttpStatus('f', 503))).toEqual({ kind: 'transient' });
    expect(moodleClassifier(fromNetworkFailure('f', 'ECONNREFUSED', 1000))).toEqual({ kind: 'transient' });
  });

  it('never lets a request Moodle refused open the breaker', () => {
    for (const code of [
      'invalidparameter',
      'invalidtoken',
      'accessexception',
      '<div>Passwords must have at least 1 digit(s).</div>',
    ]) {
      expect(moodleClassifier(fromMoodleException('f', ex(code)))).toEqual({ kind: 'permanent' });
    }
    expect(moodleClassifier(fromHttpStatus('f', 404))).toEqual({ kind: 'permanent' });
  });

  it('takes a 429 from the web server in front as throttling, with its Retry-After', () => {
    expect(moodleClassifier(fromHttpStatus('f', 429, '3'))).toEqual({ kind: 'throttled', retryAfterMs: 3000 });
  });
});
