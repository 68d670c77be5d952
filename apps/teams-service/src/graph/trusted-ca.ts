// The HTTPS agent every Graph and identity call uses: the system's CAs plus, when there is one, the
// sandbox's local CA (GRAPH_CA_FILE; unset, the sandbox's default file if it exists). The file is read
// lazily and looked for again while it is missing, so the service may start before the sandbox has
// written it. Never an "insecure" flag.
import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createSecureContext, getCACertificates } from 'node:tls';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectConfig } from '@lucy/platform';
import { SANDBOX_CA_FILE, type TeamsConfig } from '../config.js';

@Injectable()
export class TrustedCa implements OnModuleDestroy {
  private agent?: Agent;
  private withExtraCa = false;

  constructor(@InjectConfig() private readonly config: Pick<TeamsConfig, 'GRAPH_CA_FILE'>) {}

  httpsAgent(): Agent {
    if (this.agent && (this.withExtraCa || !existsSync(this.file()))) return this.agent;
    this.agent?.destroy();
    const file = this.file();
    this.withExtraCa = existsSync(file);
    // One TLS context for every connection, given as `secureContext`, not `ca`: the agent names its socket
    // pools after the connection options, and a `ca` of some 150 certificates made that name (built on every
    // request) and a fresh context per connection most of this service's CPU under load (bench:pipeline).
    const ca = this.withExtraCa ? [...getCACertificates('default'), readFileSync(file, 'utf8')] : undefined;
    this.agent = new Agent({ keepAlive: true, ...(ca ? { secureContext: createSecureContext({ ca }) } : {}) });
    return this.agent;
  }

  private file(): string {
    return this.config.GRAPH_CA_FILE ?? SANDBOX_CA_FILE;
  }

  onModuleDestroy(): void {
    this.agent?.destroy();
  }
}
