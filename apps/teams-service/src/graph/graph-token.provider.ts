// Application tokens for Graph: MSAL client credentials against GRAPH_AUTHORITY_HOST/GRAPH_TENANT_ID.
// MSAL keeps the token in its in-memory cache and serves it from there until 5 minutes before it
// expires (DEFAULT_TOKEN_RENEWAL_OFFSET_SEC = 300 in msal-common), or from Entra's `refresh_in` hint
// on, when it renews it; so asking for a token before every call costs nothing.
import { Injectable, Logger } from '@nestjs/common';
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { InjectConfig } from '@lucy/platform';
import type { TeamsConfig } from '../config.js';
import { tokenError } from './graph.errors.js';
import { MsalNetworkClient } from './msal-network.client.js';
import { TrustedCa } from './trusted-ca.js';

@Injectable()
export class GraphTokenProvider {
  private readonly log = new Logger('GraphToken');
  private readonly app: ConfidentialClientApplication;

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
    try {
      const result = await this.app.acquireTokenByClientCredential({
        scopes: [this.config.GRAPH_SCOPE],
        skipCache: renew,
      });
      if (!result?.accessToken) throw new Error('MSAL returned no access token');
      return result.accessToken;
    } catch (err) {
      throw tokenError(err);
    }
  }
}
