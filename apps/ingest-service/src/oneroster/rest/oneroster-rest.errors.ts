// A OneRoster server's failures → our two kinds of error, with the server's own words (the
// imsx_description and code minor of its statusInfoSet, IMS OneRoster 1.1 REST binding) in the message:
//   401/403: our credentials or signature were refused — no retry fixes that (permanent);
//   429: honour its Retry-After (transient, the guard pauses every caller);
//   5xx, no answer, timeouts: transient;
//   400 (a filter or field the server does not support), 404 and any other 4xx: permanent; a 400 whose
//     code minor is invalid_filter_field has its own code (oneroster-filtro): a caller may ask another way.
// The axios error is not kept as `cause`: its config carries the Authorization header.
import { isAxiosError } from 'axios';
import { PermanentError, TransientError } from '@lucy/messaging';
import type { ErrorClassifier } from '@lucy/resilience';

/** The first imsx_StatusInfo's code minor and description (empty when there are none). */
function primerStatusInfo(data: unknown): { minor: string; desc: string } {
  const d = data as { statusInfoSet?: unknown[]; imsx_description?: unknown } | undefined;
  const info = (Array.isArray(d?.statusInfoSet) ? d.statusInfoSet[0] : d) as
    | {
        imsx_description?: unknown;
        imsx_CodeMinor?: { imsx_codeMinorField?: { imsx_codeMinorFieldValue?: unknown }[] } | string;
      }
    | undefined;
  if (!info || typeof info !== 'object') return { minor: '', desc: '' };
  const minor =
    typeof info.imsx_CodeMinor === 'string'
      ? info.imsx_CodeMinor
      : info.imsx_CodeMinor?.imsx_codeMinorField?.[0]?.imsx_codeMinorFieldValue;
  const desc = typeof info.imsx_description === 'string' ? info.imsx_description.slice(0, 300) : '';
  return { minor: typeof minor === 'string' ? minor : '', desc };
}

/** "invalid_filter_field: filter: no field 'x'" from a statusInfoSet (or a bare imsx_StatusInfo). */
export function statusInfo(data: unknown): string {
  const { minor, desc } = primerStatusInfo(data);
  return [minor, desc].filter(Boolean).join(': ');
}

/** The server refused the request's filter (a field it does not filter on), not the request itself. */
export const esFiltroRechazado = (err: unknown): boolean =>
  err instanceof PermanentError && err.code === 'oneroster-filtro';

/** RFC 9110 Retry-After: delay-seconds or an HTTP-date. */
function retryAfterMs(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function oneRosterError(err: unknown, donde: string): PermanentError | TransientError {
  if (err instanceof PermanentError || err instanceof TransientError) return err;
  const lugar = `OneRoster ${donde}`;
  if (!isAxiosError(err)) return new TransientError(`${lugar}: ${String(err)}`, 'oneroster-error');
  const status = err.response?.status;
  if (status === undefined) {
    const code = err.code ?? 'network';
    const msg = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'no respondió a tiempo' : `sin conexión (${code})`;
    return new TransientError(`${lugar}: ${msg}`, 'oneroster-no-disponible');
  }
  const info = statusInfo(err.response?.data);
  const detalle = `HTTP ${status}${info ? ` ${info}` : ''}`;
  if (status === 401 || status === 403)
    return new PermanentError(`${lugar}: credenciales rechazadas (${detalle})`, 'oneroster-credenciales');
  if (status === 429)
    return new TransientError(`${lugar}: demasiadas solicitudes (${detalle})`, 'oneroster-429', {
      retryAfterMs: retryAfterMs(err.response?.headers?.['retry-after']),
    });
  if (status >= 500) return new TransientError(`${lugar}: el servidor falló (${detalle})`, 'oneroster-5xx');
  const filtro = status === 400 && primerStatusInfo(err.response?.data).minor === 'invalid_filter_field';
  return new PermanentError(
    `${lugar}: el servidor rechazó la consulta (${detalle})`,
    filtro ? 'oneroster-filtro' : `oneroster-${status}`,
  );
}

/**
 * For the guard (libs/resilience): a 429 is throttling; no answer or a 5xx means the server is in
 * trouble and counts against the breaker; anything else came from a server that answered.
 */
export const oneRosterClassifier: ErrorClassifier = (err) => {
  if (err instanceof TransientError && err.code === 'oneroster-429')
    return { kind: 'throttled', retryAfterMs: err.retryAfterMs };
  if (err instanceof TransientError) return { kind: 'transient' };
  return { kind: 'permanent' };
};
