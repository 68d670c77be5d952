// SIAL's failures (a Django REST framework API behind a web server) → our two kinds of error.
//   401/403: our credentials are wrong or were revoked — no retry fixes that (permanent).
//   429: DRF throttling; honour its Retry-After (transient).
//   5xx, and the nginx pages a proxy sends when SIAL is down: transient.
//   timeouts, refused or reset connections: transient.
//   404 "Invalid page." past page 1: the list shrank while we paged it (transient); on page 1 the URL
//   itself is wrong, and so is any other 4xx (permanent).
// The axios error is not kept as `cause`: its config carries the Basic credentials.
import { isAxiosError } from 'axios';
import { PermanentError, TransientError } from '@lucy/messaging';
import type { ErrorClassifier } from '@lucy/resilience';

const NETWORK = new Set([
  'ECONNABORTED',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function sialError(err: unknown, donde: { lista: string; pagina: number }): PermanentError | TransientError {
  if (err instanceof PermanentError || err instanceof TransientError) return err;
  const lugar = `SIAL ${donde.lista} (página ${donde.pagina})`;
  if (!isAxiosError(err)) return new TransientError(`${lugar}: ${String(err)}`, 'sial-error');
  const status = err.response?.status;
  if (status === undefined) {
    const code = err.code ?? 'network';
    const msg = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'no respondió a tiempo' : `sin conexión (${code})`;
    return NETWORK.has(code) || !err.code
      ? new TransientError(`${lugar}: ${msg}`, 'sial-no-disponible')
      : new TransientError(`${lugar}: ${err.message}`, code);
  }
  const detalle = detail(err.response?.data);
  if (status === 401 || status === 403)
    return new PermanentError(`${lugar}: credenciales rechazadas (HTTP ${status}${detalle})`, 'sial-credenciales');
  if (status === 429) {
    const retryAfter = Number(err.response?.headers?.['retry-after']);
    return new TransientError(`${lugar}: demasiadas solicitudes (HTTP 429${detalle})`, 'sial-429', {
      retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
    });
  }
  if (status >= 500) return new TransientError(`${lugar}: SIAL falló (HTTP ${status}${detalle})`, 'sial-5xx');
  if (status === 404 && donde.pagina > 1)
    return new TransientError(`${lugar}: la lista cambió mientras se leía (HTTP 404${detalle})`, 'sial-pagina');
  return new PermanentError(`${lugar}: SIAL rechazó la solicitud (HTTP ${status}${detalle})`, `sial-${status}`);
}

/** DRF's {"detail": "..."}; an HTML page (the proxy's) says nothing useful. */
function detail(data: unknown): string {
  const d = (data as { detail?: unknown } | undefined)?.detail;
  return typeof d === 'string' ? `: ${d.slice(0, 200)}` : '';
}

/**
 * What a failed request says about SIAL itself, for the guard (libs/resilience): no answer or a 5xx means
 * SIAL is down and counts against the breaker; a 429 is throttling; anything else (credentials, a list
 * that changed while we paged it, an unexpected answer) came from a SIAL that answered.
 */
export const sialClassifier: ErrorClassifier = (err) => {
  if (err instanceof TransientError && err.code === 'sial-429')
    return { kind: 'throttled', retryAfterMs: err.retryAfterMs };
  if (err instanceof TransientError && err.code !== 'sial-pagina') return { kind: 'transient' };
  return { kind: 'permanent' };
};
