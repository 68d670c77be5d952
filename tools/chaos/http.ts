// JSON over HTTP for the harness: the gateway's API (with the admin token) and the stand-ins' admin APIs.
// Every call has a timeout, so a killed process costs a failed call, never a hung run.

export async function json<T>(
  url: string,
  init: { method?: string; body?: unknown; token?: string; timeoutMs?: number } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retries `fn` until it resolves or `deadline` (epoch ms) passes: for calls made while processes restart. */
export async function retrying<T>(fn: () => Promise<T>, deadline: number, everyMs = 1000): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + everyMs > deadline) throw err;
      await sleep(everyMs);
    }
  }
}
