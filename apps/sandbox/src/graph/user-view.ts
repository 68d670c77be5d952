// How a stored user is shown: Graph's default projection, or the $select'ed properties, with the
// @odata.context Graph would send. The password is never part of any view (passwordProfile reads back
// with password null, as Graph returns it).
import type { UserRecord } from './store.js';
import { DEFAULT_USER_SELECT } from './user-rules.js';

export function userProperties(u: UserRecord): Record<string, unknown> {
  return {
    ...u.props,
    id: u.id,
    createdDateTime: u.createdDateTime,
    deletedDateTime: u.deletedDateTime,
    assignedLicenses: u.assignedLicenses.map((l) => ({ disabledPlans: l.disabledPlans, skuId: l.skuId })),
    passwordProfile: { password: null, ...(u.props.passwordProfile as object) },
  };
}

export function projectUser(u: UserRecord, select?: string[]): Record<string, unknown> {
  const all = userProperties(u);
  const out: Record<string, unknown> = {};
  for (const p of select ?? DEFAULT_USER_SELECT) out[p] = all[p] ?? (p === 'businessPhones' ? [] : null);
  return out;
}

export const selectSuffix = (select?: string[]) => (select ? `(${select.join(',')})` : '');
