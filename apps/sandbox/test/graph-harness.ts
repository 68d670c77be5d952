// Starts the identity + Graph stand-in on ephemeral ports with its own state folder, trusts its CA in
// this process (tls.setDefaultCACertificates: what NODE_EXTRA_CA_CERTS does at start-up), and offers
// small HTTP helpers. Shared by graph*.int.spec.ts and identity*.int.spec.ts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { Counters, FaultRegistry } from '../src/faults/index.js';
import {
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  DEV_TENANT_ID,
  startGraphStandIn,
  type GraphSandboxConfig,
} from '../src/graph/index.js';

export { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_TENANT_ID };

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export async function startHarness(config: Partial<GraphSandboxConfig> = {}) {
  const ctx = {
    faults: new FaultRegistry({}),
    counters: new Counters(),
    stateDir: mkdtempSync(join(tmpdir(), 'lucy-graph-')),
  };
  const standIn = await startGraphStandIn(ctx, { identityPort: 0, graphPort: 0, config });
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), readFileSync(standIn.caFile, 'utf8')]);

  const tokenUrl = `${standIn.identityUrl}/${DEV_TENANT_ID}/oauth2/v2.0/token`;
  const form = async (url: string, fields: Record<string, string>): Promise<Answer> => {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    return { status: r.status, headers: r.headers, body: await r.json() };
  };
  const token = async () => {
    const a = await form(tokenUrl, {
      client_id: DEV_CLIENT_ID,
      client_secret: DEV_CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    });
    if (a.status !== 200) throw new Error(`token: ${a.status} ${JSON.stringify(a.body)}`);
    return a.body.access_token as string;
  };
  let bearer = await token();

  /** One Graph call; `path` is relative to /v1.0. */
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const r = await fetch(`${standIn.graphUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: r.status, headers: r.headers, body: parsed };
  };

  let n = 0;
  const newUser = (over: Record<string, unknown> = {}) => {
    n++;
    const nick = `alumno${n}x${Math.random().toString(36).slice(2, 7)}`;
    return {
      accountEnabled: true,
      displayName: `Alumno ${n}`,
      mailNickname: nick,
      userPrincipalName: `${nick}@estudiantes.unrc.edu.ar`,
      passwordProfile: { password: 'Temporal-2024!', forceChangePasswordNextSignIn: true },
      ...over,
    };
  };

  return {
    ctx,
    standIn,
    store: standIn.store,
    tokenUrl,
    form,
    token,
    api,
    newUser,
    setBearer: (t: string) => (bearer = t),
    refreshBearer: async () => (bearer = await token()),
    close: () => standIn.close(),
  };
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Polls until `check` returns a value, or fails at the deadline. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  deadlineMs = 10_000,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
