// A small SIAL cohort onboarded end to end, as the suites that prove a way of running the stack (compiled,
// least privilege) check it: the lote finishes, nobody failed, everyone has an account and one email.
import { getJson, waitFor } from '@lucy/testing';
import type { Stack } from '../../tools/stack.js';
import { gatewayApi } from './gateway-api.js';

export async function onboardsSmallCohort(stack: () => Stack): Promise<void> {
  const gw = gatewayApi(stack);
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
  const urls = stack().urls;
  const users = await getJson<{ count: number }>(`${urls.sandboxAdmin}/_admin/graph/users`);
  expect(users.count).toBe(p.total);
  const inbox = await getJson<{ messages_count: number }>(`${urls.mailbox}/api/v1/messages`);
  expect(inbox.messages_count).toBe(p.completados);
}
