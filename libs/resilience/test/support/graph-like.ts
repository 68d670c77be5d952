// A minimal Graph client, shaped like teams-service's adapter: a client-credentials token, then
// requests whose failures carry status and headers (what the guard's default classifier reads).
// Every request goes through `guard.call` — the one place the limiter and the breaker wrap.
import type { DependencyGuard } from '../../src/index.js';
import type { Sandbox } from './sandbox.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    message: string,
  ) {
    super(message);
  }
}

export interface SentRequest {
  sentAt: number;
  answeredAt: number;
  status: number;
}

export class GraphLike {
  readonly sent: SentRequest[] = [];
  private n = 0;

  private constructor(
    private readonly sandbox: Sandbox,
    private readonly bearer: string,
    private readonly guard: DependencyGuard,
  ) {}

  static async connect(sandbox: Sandbox, guard: DependencyGuard): Promise<GraphLike> {
    const { tenantId, clientId, clientSecret } = sandbox.graph.store.config;
    const r = await fetch(`${sandbox.urls.identity}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        client_secret: clientSecret,
        scope: 'https://graph.microsoft.com/.default',
        grant_type: 'client_credentials',
      }),
    });
    if (r.status !== 200) throw new Error(`token: ${r.status}`);
    return new GraphLike(sandbox, ((await r.json()) as { access_token: string }).access_token, guard);
  }

  /** POST /users (one write). */
  createUser(over: Record<string, unknown> = {}): Promise<unknown> {
    const nick = `alumno${++this.n}x${Math.random().toString(36).slice(2, 8)}`;
    return this.request('write', 'POST', '/users', {
      accountEnabled: true,
      displayName: `Alumno ${this.n}`,
      mailNickname: nick,
      userPrincipalName: `${nick}@estudiantes.unrc.edu.ar`,
      passwordProfile: { password: 'Temporal-2024!', forceChangePasswordNextSignIn: true },
      ...over,
    });
  }

  request(kind: 'read' | 'write', method: string, path: string, body?: unknown): Promise<unknown> {
    return this.guard.call(kind, (signal) => this.send(signal, method, path, body));
  }

  /** Without the guard: what a breaker's probe calls. */
  async send(signal: AbortSignal, method: string, path: string, body?: unknown): Promise<unknown> {
    const sentAt = Date.now();
    let status = 0;
    try {
      const r = await fetch(`${this.sandbox.urls.graph}${path}`, {
        method,
        signal,
        headers: {
          Authorization: `Bearer ${this.bearer}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = r.status;
      const text = await r.text();
      if (r.status >= 400)
        throw new HttpError(
          r.status,
          Object.fromEntries(r.headers.entries()),
          `Graph ${r.status}: ${text.slice(0, 200)}`,
        );
      return text ? JSON.parse(text) : undefined;
    } finally {
      this.sent.push({ sentAt, answeredAt: Date.now(), status });
    }
  }
}
