// Every POST the page makes carries an Idempotency-Key (a UUID, as the draft's sf-string), drawn once
// per submission and kept for its retries: when the network drops the answer, or the gateway says the
// same submission is still running (409 with Retry-After), it is sent again with the same key, and the
// gateway replays the first answer instead of creating a second lote or tarea.

/** A random UUID: crypto.randomUUID where the page is a secure context (https, localhost), else from getRandomValues. */
export function newKey(c = globalThis.crypto) {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The header's value: an sf-string. */
export const keyHeader = (key) => `"${key}"`;

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends one submission: `attempt(key)` is a fetch with the key; retried with the same key after a
 * network failure or an "in progress" 409, waiting `delays` between attempts. The last failure or
 * answer is the result.
 */
export async function postIdempotent(attempt, { key = newKey(), delays = [1000, 2000, 4000], sleep = pause } = {}) {
  for (let i = 0; ; i++) {
    let res;
    try {
      res = await attempt(key);
    } catch (err) {
      if (i >= delays.length) throw err;
      await sleep(delays[i]);
      continue;
    }
    const inProgress = res.status === 409 && res.headers.get('retry-after') !== null;
    if (!inProgress || i >= delays.length) return res;
    await sleep(Math.max(delays[i], Number(res.headers.get('retry-after')) * 1000 || 0));
  }
}
