// Moodle's failures → our transient/permanent errors, decided here and nowhere else.
//
// Moodle answers every error of its own with HTTP 200 and a body {"exception", "errorcode", "message"
// [, "debuginfo"]} (webservice/rest/locallib.php); the status says nothing. `exception` is the PHP
// class (namespaced since 4.5: "core\exception\moodle_exception"), `errorcode` the language-string key.
// Only the web server in front (nginx, PHP-FPM down, a proxy's rate limit) answers with 4xx/5xx and an
// HTML page, and a site with web services or the REST protocol disabled answers 403 with no body.
import { PermanentError, TransientError } from '@lucy/messaging';
import { defaultClassifier, type ErrorClassifier } from '@lucy/resilience';

export interface MoodleExceptionBody {
  exception: string;
  errorcode: string;
  message: string;
  debuginfo?: string;
}

export const isMoodleException = (body: unknown): body is MoodleExceptionBody =>
  typeof body === 'object' &&
  body !== null &&
  !Array.isArray(body) &&
  typeof (body as { exception?: unknown }).exception === 'string' &&
  typeof (body as { errorcode?: unknown }).errorcode === 'string';

/**
 * Errors that are about the site's state at this moment, not about the request: the database
 * (dml_read_exception → dmlreadexception, dml_write_exception → dmlwriteexception — also what a
 * concurrent duplicate insert gets from a unique index —, dml_transaction_exception, a lost database
 * connection dbconnectionfailed, a session lock wait sessionwaiterr), a lock not obtained in time,
 * and maintenance mode. Everything else — invalidtoken, accessexception (the token's service lacks the
 * function), invalidparameter, invalidrecord (dml_missing_record_exception: e.g. no such course),
 * codingerror, wsusercannotassign, wsnoinstance, the password policy's "<div>…</div>" code — is a
 * property of the request or of the site's configuration: retrying the same call cannot help.
 */
const TRANSIENT_CODES = new Set([
  'dbconnectionfailed',
  'sessionwaiterr',
  'sitemaintenance',
  'locktimeout',
  'cannotgetlock',
  'dmltransactionexception',
]);

export function isTransientErrorcode(errorcode: string, exception = ''): boolean {
  if (TRANSIENT_CODES.has(errorcode) || /^dml(read|write)exception$/.test(errorcode)) return true;
  // A database failure whose errorcode is generic: the class says it (dml_read_exception and kin),
  // except the two that report a missing or duplicated record, which are about the data.
  const cls = exception.split('\\').at(-1) ?? '';
  return (
    /^dml_.*exception$/.test(cls) && cls !== 'dml_missing_record_exception' && cls !== 'dml_multiple_records_exception'
  );
}

/** Text without HTML, on one line: the password policy's errorcode and message are '<div>…</div>'. */
const plain = (s: string) =>
  s
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
/** The code our failure events carry: `moodle:<errorcode>`, readable and bounded. */
const codigo = (errorcode: string) => `moodle:${plain(errorcode).slice(0, 150)}`;

/**
 * A Moodle exception as our error. The message keeps Moodle's own (the language string, plus
 * debuginfo when the site runs with developer debugging), never the request's parameters.
 */
export function fromMoodleException(wsfunction: string, body: MoodleExceptionBody): PermanentError | TransientError {
  const text = `Moodle ${wsfunction}: ${plain(body.errorcode).slice(0, 150)}: ${plain(body.message)}`.slice(0, 1000);
  return isTransientErrorcode(body.errorcode, body.exception)
    ? new TransientError(text, codigo(body.errorcode))
    : new PermanentError(text, codigo(body.errorcode));
}

/** A non-200 answer (from the web server in front of Moodle, not Moodle itself). */
export function fromHttpStatus(
  wsfunction: string,
  status: number,
  retryAfter?: string | null,
): PermanentError | TransientError {
  const text = `Moodle ${wsfunction}: HTTP ${status}`;
  if (status === 429)
    return new TransientError(`${text} (rate limited)`, 'moodle:http-429', { retryAfterMs: retryAfterMs(retryAfter) });
  if (status >= 500 || status === 408) return new TransientError(text, `moodle:http-${status}`);
  // 403: web services or the REST protocol disabled on the site; 404: MOODLE_URL is not the site's root.
  const hint =
    status === 403
      ? ' (web services or the REST protocol disabled on the site?)'
      : status === 404
        ? ' (is MOODLE_URL the site root?)'
        : '';
  return new PermanentError(`${text}${hint}`, `moodle:http-${status}`);
}

/** No answer at all: timeout, refused or reset connection, DNS. All worth another try later. */
export function fromNetworkFailure(wsfunction: string, code: string | undefined, timeoutMs: number): TransientError {
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED';
  return timedOut
    ? new TransientError(`Moodle ${wsfunction}: no answer within ${timeoutMs} ms`, 'moodle:timeout')
    : new TransientError(
        `Moodle ${wsfunction}: connection failed (${code ?? 'network error'})`,
        `moodle:${(code ?? 'network').toLowerCase()}`,
      );
}

/** A 200 whose body is not JSON: a PHP fatal error or a proxy's page. Most likely a passing fault. */
export const fromUnreadableBody = (wsfunction: string) =>
  new TransientError(`Moodle ${wsfunction}: the answer is not JSON`, 'moodle:not-json');

function retryAfterMs(header?: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * What a failed call says about Moodle itself, for the guard (libs/resilience). Moodle's own errors come
 * as HTTP 200 and were already sorted above: its transient codes (database, locks, maintenance) and the
 * web server's 5xx / no answer mean the site is in trouble and count against the breaker; a permanent
 * one (invalidparameter, invalidtoken, a password policy, ...) is about this request and never opens it;
 * a 429 from a proxy in front is throttling, its Retry-After honoured by every caller.
 */
export const moodleClassifier: ErrorClassifier = (err) => {
  if (err instanceof TransientError && err.code === 'moodle:http-429')
    return { kind: 'throttled', retryAfterMs: err.retryAfterMs };
  if (err instanceof TransientError) return { kind: 'transient' };
  if (err instanceof PermanentError) return { kind: 'permanent' };
  return defaultClassifier(err);
};
