// The gateway's API as the suite calls it: `/api/v1<path>` with the stack's admin token.
import { getJson } from '@lucy/testing';
import type { Stack } from '../../tools/stack.js';

/** A stack started by tools/stack.ts, or anything else with a gateway and its admin token. */
type WithGateway = { urls: Pick<Stack['urls'], 'gateway'>; adminToken: string };

export function gatewayApi(stack: () => WithGateway) {
  const url = (path: string) => `${stack().urls.gateway}/api/v1${path}`;
  const headers = (json: boolean): Record<string, string> => ({
    authorization: `Bearer ${stack().adminToken}`,
    ...(json ? { 'content-type': 'application/json' } : {}),
  });
  return {
    get: <T = any>(path: string) => getJson<T>(url(path), { headers: headers(false) }),
    post: <T = any>(path: string, body: unknown = {}) =>
      getJson<T>(url(path), { method: 'POST', headers: headers(true), body: JSON.stringify(body) }),
    patch: <T = any>(path: string, body: unknown = {}) =>
      getJson<T>(url(path), { method: 'PATCH', headers: headers(true), body: JSON.stringify(body) }),
  };
}
