// The Microsoft Graph adapter: users and licences over axios with an MSAL token. It knows Graph, not
// our domain. Every HTTP request goes through the guard (libs/resilience) in send(): the shared rate
// limit (reads and writes budgeted apart, as Entra counts them), 429 / Retry-After for every caller, and
// the breaker that pauses the queue while Graph is down. Failures leave as TransientError /
// PermanentError (graph.errors.ts), or as the guard's DeferError (not now: the message waits, its
// attempt not counted); the request body (which may hold a password) never reaches an error, a log
// line or a cause.
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { PermanentError } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import { InjectGuard, type DependencyGuard } from '@lucy/resilience';
import type { TeamsConfig } from '../config.js';
import {
  classifyGraphError,
  conflictingUserId,
  graphHttpError,
  GraphHttpError,
  isDeltaResyncRequired,
  isDuplicateUpn,
  transportError,
  type ClassifyOptions,
} from './graph.errors.js';
import { GraphTokenProvider } from './graph-token.provider.js';
import { TrustedCa } from './trusted-ca.js';

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  accountEnabled?: boolean | null;
  usageLocation?: string | null;
  createdDateTime?: string | null;
  assignedLicenses?: { skuId: string; disabledPlans?: string[] }[];
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  department?: string | null;
  employeeId?: string | null;
  /** The mailbox's address (Exchange sets it); never written by Lucy. */
  mail?: string | null;
}

export interface PasswordProfile {
  password: string;
  forceChangePasswordNextSignIn: boolean;
}

export interface NewGraphUser {
  accountEnabled: boolean;
  displayName: string;
  givenName?: string;
  surname?: string;
  department?: string;
  mailNickname: string;
  userPrincipalName: string;
  usageLocation?: string;
  /** The organization's own key for the person (Entra: at most 16 characters, filterable). */
  employeeId?: string;
  passwordProfile: PasswordProfile;
}

export interface GraphUserChanges {
  accountEnabled?: boolean;
  displayName?: string;
  givenName?: string;
  surname?: string;
  department?: string;
  employeeId?: string;
  usageLocation?: string;
  passwordProfile?: PasswordProfile;
}

/** What we read of a user: enough to decide, without Graph's default projection. */
const USER_SELECT =
  'id,userPrincipalName,accountEnabled,usageLocation,createdDateTime,assignedLicenses,displayName,givenName,surname,department,employeeId,mail';

/** One round of users/delta: what changed since the link it started from (everything, when `full`). */
export interface UsersDeltaRound {
  /** Users created or changed since the link (every user, when `full`), each once, as last seen. */
  users: GraphUser[];
  /** Users gone since the link: 'changed' is in deleted items (restorable), 'deleted' is gone for good. */
  removed: { id: string; reason: 'changed' | 'deleted' }[];
  /** Where the next round starts: keep it (Graph honours it for seven days). */
  deltaLink: string;
  /** The round listed every user (no link given, or Graph no longer knew it): a user absent from it does not exist. */
  full: boolean;
}

interface DeltaPage {
  value: (GraphUser & { '@removed'?: { reason?: string } })[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

@Injectable()
export class GraphClient {
  private readonly log = new Logger('GraphClient');
  private readonly http: AxiosInstance;

  constructor(
    @InjectConfig() private readonly config: TeamsConfig,
    private readonly tokens: GraphTokenProvider,
    private readonly ca: TrustedCa,
    @InjectGuard('graph') private readonly guard: DependencyGuard,
  ) {
    this.http = axios.create({
      baseURL: config.GRAPH_BASE_URL.replace(/\/$/, ''),
      timeout: config.GRAPH_TIMEOUT_MS,
      // Statuses are ours to read: an AxiosError would carry the request (and its password) around.
      validateStatus: () => true,
      maxRedirects: 0,
    });
    // Half-open: one cheap read (1 resource unit) tells whether Graph is back before the queue resumes.
    guard.setProbe(async (signal) =>
      this.answered(
        await this.request(
          { method: 'GET', path: '/users', query: { $top: '1', $select: 'id' } },
          await this.tokens.token(),
          signal,
        ),
      ),
    );
  }

  /** The user by id or userPrincipalName, or null when there is none. */
  async findUser(idOrUpn: string, opts: ClassifyOptions = {}): Promise<GraphUser | null> {
    try {
      return await this.call<GraphUser>({ method: 'GET', path: userPath(idOrUpn), query: { $select: USER_SELECT } });
    } catch (e) {
      if (e instanceof GraphHttpError && e.status === 404 && !opts.justWritten) return null;
      throw this.classified(e, opts);
    }
  }

  /** The users whose employeeId is this one (a list query: Graph has no key lookup by employeeId), oldest first. */
  async findUsersByEmployeeId(employeeId: string): Promise<GraphUser[]> {
    try {
      const page = await this.call<{ value: GraphUser[] }>({
        method: 'GET',
        path: '/users',
        query: { $filter: `employeeId eq '${employeeId.replaceAll("'", "''")}'`, $select: USER_SELECT },
      });
      return [...page.value].sort((a, b) => Date.parse(a.createdDateTime ?? '') - Date.parse(b.createdDateTime ?? ''));
    } catch (e) {
      throw this.classified(e);
    }
  }

  /**
   * Creates a user. A UPN already taken is not an error here: Graph answers 400 ObjectConflict and we
   * return `{ conflict }` with the other object's id when Graph names it, so the caller can go on with it.
   */
  async createUser(user: NewGraphUser): Promise<{ created: GraphUser } | { conflict: { id?: string } }> {
    try {
      return { created: await this.call<GraphUser>({ method: 'POST', path: '/users', body: user }) };
    } catch (e) {
      if (isDuplicateUpn(e)) return { conflict: { id: conflictingUserId(e) } };
      throw this.classified(e);
    }
  }

  async updateUser(id: string, changes: GraphUserChanges, opts: ClassifyOptions = {}): Promise<void> {
    try {
      await this.call({ method: 'PATCH', path: userPath(id), body: changes });
    } catch (e) {
      throw this.classified(e, opts);
    }
  }

  /** Adds one licence (assignLicense is idempotent for a SKU already assigned). */
  async assignLicense(id: string, skuId: string, opts: ClassifyOptions = {}): Promise<void> {
    try {
      await this.call({
        method: 'POST',
        path: `${userPath(id)}/assignLicense`,
        body: { addLicenses: [{ skuId, disabledPlans: [] }], removeLicenses: [] },
      });
    } catch (e) {
      throw this.classified(e, opts);
    }
  }

  /** Soft delete (the user stays restorable in deleted items for 30 days). False when there was no such user. */
  async deleteUser(id: string, opts: ClassifyOptions = {}): Promise<boolean> {
    try {
      await this.call({ method: 'DELETE', path: userPath(id) });
      return true;
    } catch (e) {
      if (e instanceof GraphHttpError && e.status === 404 && !opts.justWritten) return false;
      throw this.classified(e, opts);
    }
  }

  /**
   * Brings a deleted user back: the same object (id, UPN, properties), its licences counted again. False
   * when it is no longer in deleted items. A UPN a live user took meanwhile is refused (400, permanent).
   */
  async restoreDeletedUser(id: string): Promise<boolean> {
    try {
      await this.call({ method: 'POST', path: `/directory/deletedItems/${encodeURIComponent(id)}/restore` });
      return true;
    } catch (e) {
      if (e instanceof GraphHttpError && e.status === 404) return false;
      throw this.classified(e);
    }
  }

  /**
   * One round of users/delta (learn.microsoft.com/graph/delta-query-users): from `deltaLink`, or from
   * scratch without one, following @odata.nextLink page by page until the @odata.deltaLink that starts
   * the next round. Every page is a read through the guard, like any other call. A link Graph no longer
   * knows (expired after seven days, or a synchronization reset) starts the round over from scratch,
   * once; the answer then says `full`. A user that shows up on several pages (Graph may replay) counts once, as last seen.
   */
  async readUsersDelta(deltaLink?: string | null, opts: { pageSize?: number } = {}): Promise<UsersDeltaRound> {
    try {
      return await this.deltaRound(deltaLink ?? null, opts.pageSize);
    } catch (e) {
      // Also a round from scratch whose nextLink Graph stopped honouring half-way.
      if (!isDeltaResyncRequired(e)) throw this.classified(e);
      this.log.warn({ msg: 'Graph no longer knows the delta link: reading every user again', code: e.code });
    }
    try {
      return await this.deltaRound(null, opts.pageSize);
    } catch (e) {
      throw this.classified(e);
    }
  }

  private async deltaRound(deltaLink: string | null, pageSize: number | undefined): Promise<UsersDeltaRound> {
    // Prefer is a request header, not part of the links: every page asks for the same size.
    const headers: Record<string, string> = pageSize ? { Prefer: `odata.maxpagesize=${pageSize}` } : {};
    let call: Call = deltaLink
      ? { method: 'GET', path: this.ownLink(deltaLink), headers }
      : // $select goes on the first request only: the links carry it from then on.
        { method: 'GET', path: '/users/delta', query: { $select: USER_SELECT }, headers };
    const seen = new Map<string, DeltaPage['value'][number]>();
    for (;;) {
      const page = await this.call<DeltaPage>(call);
      for (const item of page.value ?? []) {
        seen.delete(item.id);
        seen.set(item.id, item);
      }
      const next = page['@odata.nextLink'];
      const end = page['@odata.deltaLink'];
      if (next) call = { method: 'GET', path: this.ownLink(next), headers };
      else if (end) {
        const users: GraphUser[] = [];
        const removed: UsersDeltaRound['removed'] = [];
        for (const item of seen.values()) {
          const gone = item['@removed'];
          if (gone) removed.push({ id: item.id, reason: gone.reason === 'deleted' ? 'deleted' : 'changed' });
          else users.push(item);
        }
        return { users, removed, deltaLink: end, full: deltaLink === null };
      } else
        throw new PermanentError(
          'Graph answered a users/delta page with neither nextLink nor deltaLink',
          'graph-delta',
        );
    }
  }

  /**
   * A link Graph handed out, as a path below GRAPH_BASE_URL. One that leads anywhere else is refused
   * before the bearer token goes with it.
   */
  private ownLink(link: string): string {
    const base = this.config.GRAPH_BASE_URL.replace(/\/$/, '');
    if (!link.startsWith(`${base}/`)) throw new PermanentError(`a Graph link outside ${base}`, 'graph-delta');
    return link.slice(base.length);
  }

  private classified(e: unknown, opts: ClassifyOptions = {}): Error {
    return e instanceof GraphHttpError ? classifyGraphError(e, opts) : (e as Error);
  }

  /** One Graph request with a token; a 401 on a cached token is retried once with a renewed one. */
  private async call<T>(c: Call): Promise<T> {
    try {
      try {
        return (await this.send(c, await this.tokens.token())) as T;
      } catch (e) {
        if (!(e instanceof GraphHttpError && e.status === 401)) throw e;
        return (await this.send(c, await this.tokens.token(true))) as T;
      }
    } catch (e) {
      if (e instanceof GraphHttpError) {
        const entry = {
          msg: 'Graph refused a request',
          method: c.method,
          path: c.path,
          status: e.status,
          code: e.code,
          requestId: e.requestId,
        };
        if (e.status === 404) this.log.debug(entry);
        else this.log.warn(entry);
      }
      throw e;
    }
  }

  /** One HTTP request through the guard: a refusal throws GraphHttpError inside it, so the guard sees 429s and 5xx. */
  private send(c: Call, token: string): Promise<unknown> {
    return this.guard.call(c.method === 'GET' ? 'read' : 'write', async (signal) =>
      this.answered(await this.request(c, token, signal)),
    );
  }

  private answered(res: AxiosResponse): unknown {
    if (res.status >= 200 && res.status < 300) return res.data;
    throw graphHttpError(res.status, res.headers as Record<string, unknown>, res.data);
  }

  private async request(c: Call, token: string, signal: AbortSignal): Promise<AxiosResponse> {
    try {
      return await this.http.request({
        method: c.method,
        url: c.path,
        params: c.query,
        data: c.body,
        headers: { ...c.headers, Authorization: `Bearer ${token}`, 'client-request-id': randomUUID() },
        httpsAgent: this.ca.httpsAgent(),
        // axios's timeout watches the socket; GRAPH_TIMEOUT_MS bounds the whole exchange, the guard's signal its breaker's deadline.
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.config.GRAPH_TIMEOUT_MS)]),
      });
    } catch (err) {
      throw transportError(err, this.config.GRAPH_TIMEOUT_MS);
    }
  }
}

/** /users/{id | upn}; a UPN is a valid key segment once percent-encoded. */
const userPath = (idOrUpn: string) => `/users/${encodeURIComponent(idOrUpn)}`;
