// The simulated tenant: users, the deleted-items container and the subscriptions, in memory. Also the
// inspection side used by tests and benchmarks (every user ever created, with its fate; counts).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type GraphSandboxConfig, mergeGraphConfig } from './config.js';
import { ChangeJournal } from './delta-journal.js';
import { graphErrors } from './errors.js';
import type { Sku } from './skus.js';

export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

export interface UserRecord {
  id: string;
  /** Graph property values (never the password). */
  props: Record<string, unknown>;
  assignedLicenses: AssignedLicense[];
  createdDateTime: string;
  deletedDateTime: string | null;
  /** When it was deleted, to the millisecond (deletedDateTime is to the second, as Graph writes it). */
  deletedAt: number | null;
  state: 'active' | 'deleted' | 'purged';
  /** Salted SHA-256 of the current password: `salt:hash`, both base64. */
  passwordHash: string;
  passwordChanges: number;
}

export interface SkuView extends Sku {
  id: string;
  consumedUnits: number;
}

export interface GraphStats {
  users: { active: number; deleted: number; purged: number; everCreated: number };
  createsRejected: { duplicate: number; invalid: number };
  throttled: number;
  skus: { skuPartNumber: string; skuId: string; enabled: number; consumed: number }[];
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

// A salted SHA-256: the point is that the clear password is not kept in the stand-in's memory, not to
// resist cracking (Moodle's stand-in keeps a SHA-256 too). scrypt, even at a small cost, took milliseconds
// of CPU per user created, and benchmarks create thousands.
const digest = (pw: string, salt: Buffer) => createHash('sha256').update(salt).update(pw, 'utf8').digest();
function hashPassword(pw: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('base64')}:${digest(pw, salt).toString('base64')}`;
}

export class GraphStore {
  private cfg: GraphSandboxConfig;
  private readonly users = new Map<string, UserRecord>();
  /** Lower-cased UPN → id, active users only (a deleted user's UPN may be taken by a new user). */
  private readonly byUpn = new Map<string, string>();
  /** Ids by lowercased employeeId: Lucy looks a student up by it before every create. */
  private readonly byEmployeeId = new Map<string, Set<string>>();
  /**
   * Active users, and licence units held by active users per lowercased skuId: asked on every request
   * (the tenant's size sets its throttling) and every licence assignment, too often to count each time.
   */
  private activeUsers = 0;
  private readonly unitsInUse = new Map<string, number>();
  private readonly stat = { duplicate: 0, invalid: 0, throttled: 0 };
  private readonly resetHooks: Array<() => void> = [];
  /** Every change to a user, in order, for users/delta. */
  readonly journal = new ChangeJournal();

  constructor(config: GraphSandboxConfig) {
    this.cfg = config;
  }

  get config(): GraphSandboxConfig {
    return this.cfg;
  }

  /** Merges a partial config change; throws a ZodError on a bad value. */
  configure(change: unknown): GraphSandboxConfig {
    this.cfg = mergeGraphConfig(this.cfg, change);
    return this.cfg;
  }

  get verifiedDomains(): string[] {
    const d = new Set(this.cfg.verifiedDomains.map((x) => x.toLowerCase()));
    d.add(this.cfg.tenantDomain.toLowerCase());
    return [...d];
  }

  // ---- users -------------------------------------------------------------------------------------

  createUser(props: Record<string, unknown>): UserRecord {
    const upn = String(props.userPrincipalName);
    const clash = this.byUpn.get(upn.toLowerCase());
    if (clash) {
      this.stat.duplicate++;
      throw graphErrors.duplicate('userPrincipalName', clash);
    }
    const { passwordProfile, ...rest } = props as {
      passwordProfile: { password: string; forceChangePasswordNextSignIn?: boolean };
    } & Record<string, unknown>;
    const id = randomUUID();
    const record: UserRecord = {
      id,
      props: {
        businessPhones: [],
        givenName: null,
        surname: null,
        jobTitle: null,
        mail: null,
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: null,
        usageLocation: null,
        userType: 'Member',
        creationType: null,
        ...rest,
        userPrincipalName: upn,
        passwordProfile: { forceChangePasswordNextSignIn: passwordProfile.forceChangePasswordNextSignIn ?? true },
      },
      assignedLicenses: [],
      createdDateTime: now(),
      deletedDateTime: null,
      deletedAt: null,
      state: 'active',
      passwordHash: hashPassword(passwordProfile.password),
      passwordChanges: 0,
    };
    this.users.set(id, record);
    this.byUpn.set(upn.toLowerCase(), id);
    this.indexEmployeeId(record, undefined);
    this.activeUsers++;
    this.journal.record(id, 'created', Object.keys(record.props));
    return record;
  }

  noteInvalidCreate(): void {
    this.stat.invalid++;
  }

  noteThrottled(): void {
    this.stat.throttled++;
  }

  /** An active user by object id or userPrincipalName (case-insensitive), as /users/{id | upn} resolves. */
  getUser(idOrUpn: string): UserRecord | undefined {
    const direct = this.users.get(idOrUpn.toLowerCase()) ?? this.users.get(idOrUpn);
    if (direct) return direct.state === 'active' ? direct : undefined;
    const id = this.byUpn.get(idOrUpn.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  /** Any user ever created, whatever its state, by object id (users/delta reports each as it is now). */
  userById(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  listUsers(): UserRecord[] {
    return [...this.users.values()].filter((u) => u.state === 'active');
  }

  /**
   * The active users whose property is one of these values (strings compared case-insensitively, as
   * $filter's eq does), oldest first; undefined when the property has no index (the caller scans).
   */
  activeUsersWith(property: string, values: unknown[]): UserRecord[] | undefined {
    if (!values.every((v) => typeof v === 'string')) return undefined; // `eq null` matches users without it
    const strings = (values as string[]).map((v) => v.toLowerCase());
    let ids: string[];
    if (property === 'id') ids = strings;
    else if (property === 'userPrincipalName') ids = strings.flatMap((v) => this.byUpn.get(v) ?? []);
    else if (property === 'employeeId') ids = strings.flatMap((v) => [...(this.byEmployeeId.get(v) ?? [])]);
    else return undefined;
    const found = [...new Set(ids)]
      .map((id) => this.users.get(id))
      .filter((u): u is UserRecord => u?.state === 'active');
    return found.length > 1 ? this.listUsers().filter((u) => found.includes(u)) : found;
  }

  private indexEmployeeId(u: UserRecord, before: unknown): void {
    if (typeof before === 'string') this.byEmployeeId.get(before.toLowerCase())?.delete(u.id);
    const now = u.props.employeeId;
    if (typeof now !== 'string') return;
    const ids = this.byEmployeeId.get(now.toLowerCase()) ?? new Set<string>();
    this.byEmployeeId.set(now.toLowerCase(), ids.add(u.id));
  }

  updateUser(id: string, changes: Record<string, unknown>): void {
    const u = this.mustGetActive(id);
    if (changes.userPrincipalName !== undefined) {
      const upn = String(changes.userPrincipalName);
      const clash = this.byUpn.get(upn.toLowerCase());
      if (clash && clash !== u.id) throw graphErrors.duplicate('userPrincipalName', clash);
      this.byUpn.delete(String(u.props.userPrincipalName).toLowerCase());
      this.byUpn.set(upn.toLowerCase(), u.id);
    }
    const { passwordProfile, ...rest } = changes as {
      passwordProfile?: { password?: string; forceChangePasswordNextSignIn?: boolean };
    };
    const employeeIdBefore = u.props.employeeId;
    Object.assign(u.props, rest);
    this.indexEmployeeId(u, employeeIdBefore);
    if (passwordProfile) {
      if (passwordProfile.password) {
        u.passwordHash = hashPassword(passwordProfile.password);
        u.passwordChanges++;
      }
      u.props.passwordProfile = {
        forceChangePasswordNextSignIn: passwordProfile.forceChangePasswordNextSignIn ?? true,
      };
    }
    this.journal.record(u.id, 'updated', Object.keys(changes));
  }

  /** Soft delete: the user moves to deleted items (restorable for 30 days in Entra). */
  deleteUser(id: string): void {
    const u = this.mustGetActive(id);
    u.state = 'deleted';
    this.activeUsers--;
    this.countUnits(u.assignedLicenses, -1);
    u.deletedDateTime = now();
    u.deletedAt = Date.now();
    this.byUpn.delete(String(u.props.userPrincipalName).toLowerCase());
    this.journal.record(u.id, 'deleted');
  }

  getDeleted(id: string): UserRecord | undefined {
    this.purgeExpired();
    const u = this.users.get(id.toLowerCase()) ?? this.users.get(id);
    return u?.state === 'deleted' ? u : undefined;
  }

  listDeleted(): UserRecord[] {
    this.purgeExpired();
    return [...this.users.values()].filter((u) => u.state === 'deleted');
  }

  restore(id: string): UserRecord {
    const u = this.getDeleted(id);
    if (!u) throw graphErrors.notFound(id);
    const upn = String(u.props.userPrincipalName).toLowerCase();
    const clash = this.byUpn.get(upn);
    if (clash) throw graphErrors.duplicate('userPrincipalName', clash);
    u.state = 'active';
    this.activeUsers++;
    this.countUnits(u.assignedLicenses, +1);
    u.deletedDateTime = null;
    u.deletedAt = null;
    this.byUpn.set(upn, u.id);
    this.journal.record(u.id, 'restored');
    return u;
  }

  purge(id: string): void {
    const u = this.getDeleted(id);
    if (!u) throw graphErrors.notFound(id);
    u.state = 'purged';
    this.journal.record(u.id, 'purged');
  }

  /** Deleted users past the retention window are gone for good, as Entra purges them after 30 days. */
  purgeExpired(at = Date.now()): void {
    const window = this.cfg.deletedItemsRetentionSeconds * 1000;
    for (const u of this.users.values())
      if (u.state === 'deleted' && u.deletedAt !== null && at - u.deletedAt >= window) {
        u.state = 'purged';
        this.journal.record(u.id, 'purged');
      }
  }

  verifyPassword(idOrUpn: string, password: string): boolean {
    const u = this.getUser(idOrUpn);
    if (!u) return false;
    const [salt, hash] = u.passwordHash.split(':');
    const got = digest(password, Buffer.from(salt, 'base64'));
    return timingSafeEqual(got, Buffer.from(hash, 'base64'));
  }

  // ---- licences ----------------------------------------------------------------------------------

  skus(): SkuView[] {
    return this.cfg.skus.map((s) => ({
      ...s,
      id: `${this.cfg.tenantId}_${s.skuId}`,
      consumedUnits: this.consumed(s.skuId),
    }));
  }

  /** Units held by active users: deleting a user frees its licences (they come back on restore). */
  private consumed(skuId: string): number {
    return this.unitsInUse.get(skuId.toLowerCase()) ?? 0;
  }

  private countUnits(licenses: AssignedLicense[], by: 1 | -1): void {
    for (const l of licenses) {
      const key = l.skuId.toLowerCase();
      this.unitsInUse.set(key, (this.unitsInUse.get(key) ?? 0) + by);
    }
  }

  activeUserCount(): number {
    return this.activeUsers;
  }

  /** assignLicense semantics: validate everything first, then apply all or nothing. */
  assignLicense(id: string, add: AssignedLicense[], remove: string[]): UserRecord {
    const u = this.mustGetActive(id);
    const skus = new Map(this.cfg.skus.map((s) => [s.skuId.toLowerCase(), s]));
    for (const l of add) if (!skus.has(l.skuId.toLowerCase())) throw graphErrors.unknownSku(l.skuId);
    for (const r of remove) {
      if (!skus.has(r.toLowerCase())) throw graphErrors.unknownSku(r);
      if (!u.assignedLicenses.some((l) => l.skuId.toLowerCase() === r.toLowerCase())) throw graphErrors.notAssigned();
    }
    if (add.length && !u.props.usageLocation) throw graphErrors.usageLocation();
    for (const l of add) {
      const sku = skus.get(l.skuId.toLowerCase())!;
      const already = u.assignedLicenses.some((a) => a.skuId.toLowerCase() === l.skuId.toLowerCase());
      if (!already && this.consumed(sku.skuId) >= sku.prepaidUnits.enabled) throw graphErrors.noUnits(sku.skuId);
    }
    const removed = new Set(remove.map((r) => r.toLowerCase()));
    const kept = u.assignedLicenses.filter((l) => !removed.has(l.skuId.toLowerCase()));
    for (const l of add) {
      const sku = skus.get(l.skuId.toLowerCase())!;
      const i = kept.findIndex((k) => k.skuId === sku.skuId);
      const entry = { skuId: sku.skuId, disabledPlans: [...(l.disabledPlans ?? [])] };
      if (i >= 0) kept[i] = entry;
      else kept.push(entry);
    }
    this.countUnits(u.assignedLicenses, -1);
    this.countUnits(kept, +1);
    u.assignedLicenses = kept;
    this.journal.record(u.id, 'updated', ['assignedLicenses']);
    return u;
  }

  // ---- inspection (admin API) --------------------------------------------------------------------

  /** Every user ever created, deleted and purged ones included, oldest first. */
  allUsers(): Array<{
    id: string;
    userPrincipalName: string;
    displayName: unknown;
    givenName: unknown;
    surname: unknown;
    department: unknown;
    employeeId: unknown;
    state: UserRecord['state'];
    createdDateTime: string;
    deletedDateTime: string | null;
    accountEnabled: unknown;
    usageLocation: unknown;
    assignedLicenses: AssignedLicense[];
    passwordChanges: number;
  }> {
    this.purgeExpired();
    return [...this.users.values()].map((u) => ({
      id: u.id,
      userPrincipalName: String(u.props.userPrincipalName),
      displayName: u.props.displayName,
      givenName: u.props.givenName ?? null,
      surname: u.props.surname ?? null,
      department: u.props.department ?? null,
      employeeId: u.props.employeeId ?? null,
      state: u.state,
      createdDateTime: u.createdDateTime,
      deletedDateTime: u.deletedDateTime,
      accountEnabled: u.props.accountEnabled,
      usageLocation: u.props.usageLocation,
      assignedLicenses: u.assignedLicenses,
      passwordChanges: u.passwordChanges,
    }));
  }

  stats(): GraphStats {
    this.purgeExpired();
    const all = [...this.users.values()];
    const count = (s: UserRecord['state']) => all.filter((u) => u.state === s).length;
    return {
      users: { active: count('active'), deleted: count('deleted'), purged: count('purged'), everCreated: all.length },
      createsRejected: { duplicate: this.stat.duplicate, invalid: this.stat.invalid },
      throttled: this.stat.throttled,
      skus: this.skus().map((s) => ({
        skuPartNumber: s.skuPartNumber,
        skuId: s.skuId,
        enabled: s.prepaidUnits.enabled,
        consumed: s.consumedUnits,
      })),
    };
  }

  /** Runs `hook` after every reset (the service refills its throttling buckets). */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  /** Empties the tenant (users, deleted items, counts); the configuration is kept. */
  reset(): void {
    for (const hook of this.resetHooks) hook();
    this.users.clear();
    this.byUpn.clear();
    this.byEmployeeId.clear();
    this.activeUsers = 0;
    this.unitsInUse.clear();
    this.journal.reset();
    this.stat.duplicate = this.stat.invalid = this.stat.throttled = 0;
  }

  private mustGetActive(id: string): UserRecord {
    const u = this.getUser(id);
    if (!u) throw graphErrors.notFound(id);
    return u;
  }
}
