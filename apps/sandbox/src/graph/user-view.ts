// How a stored user is shown: Graph's default projection, or the $select'ed properties, with the
// @odata.context Graph would send. The password is never part of any view (passwordProfile reads back
// with password null, as Graph returns it).
import type { UserRecord } from './store.js';
import { DEFAULT_USER_SELECT } from './user-rules.js';

/** The properties kept outside `props`, each computed as it is shown. */
const COMPUTED: Record<string, (u: UserRecord) => unknown> = {
  id: (u) => u.id,
  createdDateTime: (u) => u.createdDateTime,
  deletedDateTime: (u) => u.deletedDateTime,
  assignedLicenses: (u) => u.assignedLicenses.map((l) => ({ disabledPlans: l.disabledPlans, skuId: l.skuId })),
  passwordProfile: (u) => ({ password: null, ...(u.props.passwordProfile as object) }),
};

export function userProperties(u: UserRecord): Record<string, unknown> {
  const all: Record<string, unknown> = { ...u.props };
  for (const [name, compute] of Object.entries(COMPUTED)) all[name] = compute(u);
  return all;
}

/**
 * The same properties, each computed when read. `$filter` and `$orderby` read one or two properties of
 * every user in the tenant: building each user's whole view for that made a lookup by UPN cost the
 * stand-in milliseconds per request once it held tens of thousands of users.
 */
export function lazyUserProperties(u: UserRecord): Record<string, unknown> {
  return new Proxy({} as Record<string, unknown>, {
    get: (_target, name) =>
      typeof name !== 'string' ? undefined : Object.hasOwn(COMPUTED, name) ? COMPUTED[name](u) : u.props[name],
  });
}

export function projectUser(u: UserRecord, select?: string[]): Record<string, unknown> {
  const all = userProperties(u);
  const out: Record<string, unknown> = {};
  for (const p of select ?? DEFAULT_USER_SELECT) out[p] = all[p] ?? (p === 'businessPhones' ? [] : null);
  return out;
}

export const selectSuffix = (select?: string[]) => (select ? `(${select.join(',')})` : '');
