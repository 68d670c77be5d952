// A SIAL pull onboarded end to end, as the compiled, compose and least-privilege suites check it: the lote ends
// `terminado` with nobody failed, the tenant holds one account per student and the inbox one email per
// student with an address.
import { getJson, waitFor } from '@lucy/testing';
import type { gatewayApi } from './gateway-api.js';

export async function expectSialCohortOnboarded(
  gw: ReturnType<typeof gatewayApi>,
  sandbox: { admin: string; mailbox: string },
): Promise<void> {
  const { loteId } = await gw.post<{ loteId: string }>('/sync/sial');
  const p = await waitFor(
    async () => {
      const l = await gw.get(`/lotes/${loteId}`);
      return l.estado === 'terminado' && l;
    },
    'the lote to finish',
    { timeoutMs: 120_000, everyMs: 500, retryErrors: true },
  );
  expect(p.total).toBeGreaterThan(0);
  expect(p.fallidos).toBe(0);
  expect(p.completados + p.conAvisos).toBe(p.total);
  const users = await getJson<{ count: number }>(`${sandbox.admin}/_admin/graph/users`);
  expect(users.count).toBe(p.total);
  const inbox = await getJson<{ messages_count: number }>(`${sandbox.mailbox}/api/v1/messages`);
  expect(inbox.messages_count).toBe(p.completados);
}
