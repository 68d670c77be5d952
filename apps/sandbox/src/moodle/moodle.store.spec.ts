// The store's lookups by username, email and idnumber (what create_users and get_users_by_field use) must
// follow users changed in place, rolled-back transactions and resets.
import { MoodleStore } from './moodle.store.js';

const add = (store: MoodleStore, username: string, email = `${username}@unrc.test`) =>
  store.insertUser({ username, firstname: 'Ana', lastname: 'Pérez', email, idnumber: `ID-${username}` });

describe('MoodleStore lookups', () => {
  it('finds users by username, email (any case) and idnumber, deleted ones too', () => {
    const store = new MoodleStore();
    const a = add(store, 'ana', 'Ana.Perez@UNRC.test');
    store.user(a.id)!.deleted = true;
    expect(store.usersWith('username', 'ana')).toEqual([a]);
    expect(store.usersWith('email', 'ana.perez@unrc.test')).toEqual([a]);
    expect(store.usersWith('idnumber', 'ID-ana')).toEqual([a]);
    expect(store.usersWith('username', 'otro')).toEqual([]);
  });

  it('follows a user changed in place, and one created after the first lookup', () => {
    const store = new MoodleStore();
    const a = add(store, 'ana');
    expect(store.usersWith('username', 'ana')).toEqual([a]);
    store.user(a.id)!.username = 'ana2';
    const b = add(store, 'beto');
    expect(store.usersWith('username', 'ana')).toEqual([]);
    expect(store.usersWith('username', 'ana2')).toEqual([a]);
    expect(store.usersWith('username', 'beto')).toEqual([b]);
  });

  it('forgets what a rolled-back transaction did, and everything on reset', () => {
    const store = new MoodleStore();
    const a = add(store, 'ana');
    expect(() =>
      store.transaction(() => {
        store.user(a.id)!.username = 'cambiado';
        add(store, 'nuevo');
        expect(store.usersWith('username', 'nuevo')).toHaveLength(1);
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    expect(store.usersWith('username', 'nuevo')).toEqual([]);
    expect(store.usersWith('username', 'ana')).toEqual([a]);
    store.reset();
    expect(store.usersWith('username', 'ana')).toEqual([]);
  });
});
