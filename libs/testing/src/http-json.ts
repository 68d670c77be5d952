// JSON over HTTP for tests: a non-2xx answer is an error that names the request and shows the body.

export async function getJson<T = any>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status} ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** `body` undefined sends no body at all. */
export const sendJson = <T = any>(method: string, url: string, body?: unknown) =>
  getJson<T>(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

export const postJson = <T = any>(url: string, body: unknown = {}) => sendJson<T>('POST', url, body);
export const putJson = <T = any>(url: string, body: unknown = {}) => sendJson<T>('PUT', url, body);
