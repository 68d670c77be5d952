// The store's lookups by userPrincipalName and employeeId (what `$filter=… eq …` is answered from) must give
// the same users a scan of every user gives, through renames and deletions.
import { defaultGraphConfig } from './config.js';
import { parseFilter } from './odata.js';
import { GraphStore } from './store.js';
import { userProperties } from './user-view.js';

let store: GraphStore;
let n = 0;

beforeEach(() => {
  store = new GraphStore(defaultGraphConfig({}));
});

function addUser(over: Record<string, unknown> = {}) {
  n++;
  return store.createUser({
    accountEnabled: true,
    displayName: `Alumno ${n}`,
    mailNickname: `alumno${n}`,
    userPrincipalName: `alumno${n}@estudiantes.unrc.edu.ar`,
    passwordProfile: { password: 'Temporal-2024!' },
    ...over,
  });
}

/** The ids a filter selects, from the index, and from testing every active user. */
function both(filter: string): { indexed: string[] | undefined; scanned: string[] } {
  const pred = parseFilter(filter, { eventual: false });
  const indexed = pred.equals && store.activeUsersWith(pred.equals.property, pred.equals.values);
  return {
    indexed: indexed?.filter((u) => pred(userProperties(u))).map((u) => u.id),
    scanned: store
      .listUsers()
      .filter((u) => pred(userProperties(u)))
      .map((u) => u.id),
  };
}

describe('users by an indexed property', () => {
  it('finds a user by employeeId case-insensitively, oldest first when several share it', () => {
    const a = addUser({ employeeId: 'LU-1' });
    addUser({ employeeId: 'LU-2' });
    const c = addUser({ employeeId: 'lu-1' });
    const r = both("employeeId eq 'Lu-1'");
    expect(r.indexed).toEqual([a.id, c.id]);
    expect(r.indexed).toEqual(r.scanned);
  });

  it('follows an employeeId changed by an update, and leaves deleted users out', () => {
    const a = addUser({ employeeId: 'LU-1' });
    const b = addUser({ employeeId: 'LU-2' });
    store.updateUser(a.id, { employeeId: 'LU-3' });
    store.deleteUser(b.id);
    expect(both("employeeId eq 'LU-1'")).toEqual({ indexed: [], scanned: [] });
    expect(both("employeeId eq 'LU-2'")).toEqual({ indexed: [], scanned: [] });
    expect(both("employeeId eq 'LU-3'").indexed).toEqual([a.id]);
  });

  it('answers userPrincipalName, id and `in` lists from the index, and an and-ed filter through it', () => {
    const a = addUser({ employeeId: 'LU-1', department: 'Abogacía' });
    const b = addUser({ employeeId: 'LU-2' });
    for (const f of [
      `userPrincipalName eq '${String(a.props.userPrincipalName).toUpperCase()}'`,
      `id in ('${a.id}', '${b.id}')`,
      `employeeId eq 'LU-1' and department eq 'Contabilidad'`,
      `employeeId eq 'LU-1' and department eq 'Abogacía'`,
    ]) {
      const r = both(f);
      expect(r.indexed).toBeDefined();
      expect(r.indexed).toEqual(r.scanned);
    }
  });

  it('leaves to a scan what no index answers (eq null, or, ne)', () => {
    addUser({ employeeId: 'LU-1' });
    addUser();
    for (const f of ['employeeId eq null', "employeeId eq 'LU-1' or employeeId eq 'LU-2'", "employeeId ne 'LU-1'"]) {
      const pred = parseFilter(f, { eventual: true });
      expect(pred.equals && store.activeUsersWith(pred.equals.property, pred.equals.values)).toBeUndefined();
    }
  });
});

describe('counts kept as users come and go', () => {
  it('licence units in use and active users follow assignments, deletions and restores', () => {
    const sku = store.skus()[0];
    const units = () => store.skus()[0].consumedUnits;
    const a = addUser({ usageLocation: 'AR' });
    const b = addUser({ usageLocation: 'AR' });
    store.assignLicense(a.id, [{ skuId: sku.skuId, disabledPlans: [] }], []);
    store.assignLicense(b.id, [{ skuId: sku.skuId.toUpperCase(), disabledPlans: [] }], []);
    store.assignLicense(b.id, [{ skuId: sku.skuId, disabledPlans: [] }], []); // already held: still one unit
    expect([units(), store.activeUserCount()]).toEqual([2, 2]);
    store.deleteUser(a.id);
    expect([units(), store.activeUserCount()]).toEqual([1, 1]);
    store.restore(a.id);
    store.assignLicense(b.id, [], [sku.skuId]);
    expect([units(), store.activeUserCount()]).toEqual([1, 2]);
    expect(store.activeUserCount()).toBe(store.listUsers().length);
  });
});
