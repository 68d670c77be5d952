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
import { InjectConfig } from '@lucy/platform';
import { InjectGuard, type DependencyGuard } from '@lucy/resilience';
import type { TeamsConfig } from '../config.js';
import {
  classifyGraphError,
  conflictingUserId,
  graphHttpError,
  GraphHttpError,
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
  'id,userPrincipalName,accountEnabled,usageLocation,createdDateTime,assignedLicenses,displayName,givenName,surname,department,employeeId';

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  query?: Record<string, string>;
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
        headers: { Authorization: `Bearer ${token}`, 'client-request-id': randomUUID() },
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
