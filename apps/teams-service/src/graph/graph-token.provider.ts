// Application tokens for Graph: MSAL client credentials against GRAPH_AUTHORITY_HOST/GRAPH_TENANT_ID.
// MSAL keeps the token in its in-memory cache and serves it from there until 5 minutes before it
// expires (DEFAULT_TOKEN_RENEWAL_OFFSET_SEC = 300 in msal-common), or from Entra's `refresh_in` hint
// on, when it renews it. Asking MSAL before every call is not free under load (its cache lookup builds
// keys and parses URLs: a few per cent of this service's CPU in bench:pipeline), so the token is kept
// here too, under the same rule, and MSAL is asked only when that rule says renew.
import { Injectable, Logger } from '@nestjs/common';
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { InjectConfig } from '@lucy/platform';
import type { TeamsConfig } from '../config.js';
import { tokenError } from './graph.errors.js';
import { MsalNetworkClient } from './msal-network.client.js';
import { TrustedCa } from './trusted-ca.js';

/** msal-common's DEFAULT_TOKEN_RENEWAL_OFFSET_SEC (300). */
const RENEWAL_OFFSET_MS = 300_000;

@Injectable()
export class GraphTokenProvider {
  private readonly log = new Logger('GraphToken');
  private readonly app: ConfidentialClientApplication;
  private held?: { token: string; renewAt: number };

  constructor(
    @InjectConfig() private readonly config: TeamsConfig,
    ca: TrustedCa,
  ) {
    const authority = new URL(`/${config.GRAPH_TENANT_ID}`, config.GRAPH_AUTHORITY_HOST).toString();
    this.app = new ConfidentialClientApplication({
      auth: {
        clientId: config.GRAPH_CLIENT_ID,
        clientSecret: config.GRAPH_CLIENT_SECRET,
        authority,
        // MSAL only runs instance discovery against Microsoft's own hosts; any other authority (the
        // sandbox, a sovereign-cloud proxy) must be declared known or MSAL refuses it.
        knownAuthorities: [new URL(config.GRAPH_AUTHORITY_HOST).host],
      },
      system: {
        networkClient: new MsalNetworkClient(ca, config.GRAPH_TIMEOUT_MS),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message) => {
            // Client credentials never get client_info (it describes a signed-in user); MSAL 7 warns on every token.
            if (message.includes('No client info in response')) return;
            if (level === LogLevel.Error) this.log.error(message);
            else this.log.warn(message);
          },
        },
      },
    });
  }

  /** A valid access token; `renew` skips the cache (Graph refused the cached one). */
  async token(renew = false): Promise<string> {
    if (!renew && this.held && Date.now() < this.held.renewAt) return this.held.token;
    try {
      const result = await this.app.acquireTokenByClientCredential({
        scopes: [this.config.GRAPH_SCOPE],
        skipCache: renew,
      });
      if (!result?.accessToken) throw new Error('MSAL returned no access token');
      // MSAL's own rule: renew RENEWAL_OFFSET_MS before expiry, or from Entra's refresh_in hint on.
      const expires = result.expiresOn?.getTime() ?? 0;
      const renewAt = Math.min(expires - RENEWAL_OFFSET_MS, result.refreshOn?.getTime() ?? Infinity);
      this.held = { token: result.accessToken, renewAt };
      return result.accessToken;
    } catch (err) {
      throw tokenError(err);
    }
  }
}
