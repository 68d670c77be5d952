// An OAuth 2 client-credentials token for a OneRoster server that offers it (as 1.2 servers do; RFC
// 6749 §4.4, client authenticated with HTTP Basic §2.3.1): asked once, kept until shortly before its
// expires_in, asked again when the server refuses it (revoked, or its clock is ahead of ours).
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { PermanentError } from '@lucy/messaging';
import { oneRosterError } from './oneroster-rest.errors.js';

export interface OAuth2Credentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes; omitted when empty (the server's default). */
  scope?: string;
}

const Token = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive().optional() });
/** Renew this long before the server says the token expires. */
const MARGIN_MS = 60_000;

export class OAuth2Token {
  private current?: { token: string; until: number };
  private readonly http: AxiosInstance;

  constructor(
    private readonly cred: OAuth2Credentials,
    timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.http = axios.create({ timeout: timeoutMs, maxRedirects: 0 });
  }

  async get(signal?: AbortSignal): Promise<string> {
    if (this.current && this.current.until > this.now()) return this.current.token;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.cred.scope) form.set('scope', this.cred.scope);
    let data: unknown;
    try {
      data = (
        await this.http.post(this.cred.tokenUrl, form.toString(), {
          auth: {
            username: encodeURIComponent(this.cred.clientId),
            password: encodeURIComponent(this.cred.clientSecret),
          },
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          signal,
        })
      ).data;
    } catch (err) {
      const e = oneRosterError(err, 'token');
      // RFC 6749 §5.2 says why in {error, error_description}: keep it, never the credentials.
      const body = (err as { response?: { data?: { error?: unknown; error_description?: unknown } } }).response?.data;
      if (typeof body?.error === 'string')
        e.message += ` (${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''})`;
      throw e;
    }
    const t = Token.safeParse(data);
    if (!t.success)
      throw new PermanentError(
        'OneRoster token: respuesta inesperada (¿URL del token correcta?)',
        'oneroster-respuesta',
      );
    const ttl = (t.data.expires_in ?? 3600) * 1000;
    this.current = { token: t.data.access_token, until: this.now() + Math.max(ttl - MARGIN_MS, ttl / 2) };
    return this.current.token;
  }

  forget(): void {
    this.current = undefined;
  }
}
