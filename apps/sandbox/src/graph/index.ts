// The Microsoft identity platform + Microsoft Graph v1.0 stand-in: two HTTPS servers (identity on 4010,
// Graph on 4011) sharing one simulated tenant. See README.md beside this file.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SandboxContext } from '../context.js';
import { identityApp } from '../identity/identity.app.js';
import { loadSigningKey } from '../identity/signing-key.js';
import { ensureTls } from '../tls/ca.js';
import { type GraphSandboxConfig, defaultGraphConfig, mergeGraphConfig } from './config.js';
import { graphApp } from './graph.app.js';
import { GraphService } from './graph.service.js';
import { graphRoutes } from './routes.js';
import { GraphStore } from './store.js';

export interface GraphStandInOptions {
  host?: string;
  /** Default 4010; 0 for an ephemeral port. */
  identityPort?: number;
  /** Default 4011; 0 for an ephemeral port. */
  graphPort?: number;
  config?: Partial<GraphSandboxConfig> & { skuUnits?: Record<string, number> };
  /** Host names the certificate names besides the loopback ones (SANDBOX_TLS_NAMES). */
  tlsNames?: readonly string[];
}

export interface GraphStandIn {
  /** e.g. https://127.0.0.1:4010 — authority is `${identityUrl}/${tenantId}`. */
  identityUrl: string;
  /** e.g. https://127.0.0.1:4011/v1.0 */
  graphUrl: string;
  /** PEM file of the local CA that signed both servers' certificate. */
  caFile: string;
  store: GraphStore;
  service: GraphService;
  close(): Promise<void>;
}

export async function startGraphStandIn(ctx: SandboxContext, opts: GraphStandInOptions = {}): Promise<GraphStandIn> {
  const host = opts.host ?? '127.0.0.1';
  const tls = await ensureTls(ctx.stateDir, opts.tlsNames);
  const key = loadSigningKey(ctx.stateDir);
  const store = new GraphStore(mergeGraphConfig(defaultGraphConfig(), opts.config ?? {}));
  const service = new GraphService(store, ctx, graphRoutes);

  const urls = { identity: '', graph: '' };
  const identity = createServer(
    { cert: tls.cert, key: tls.key },
    identityApp({
      ctx,
      config: () => store.config,
      verifiedDomains: () => store.verifiedDomains,
      key,
      graphUrl: () => urls.graph.replace(/\/v1\.0$/, ''),
    }),
  );
  const graph = createServer(
    { cert: tls.cert, key: tls.key },
    graphApp({ ctx, service, publicKey: key.publicKey, identityUrl: () => urls.identity }),
  );

  const identityPort = await listen(identity, host, opts.identityPort ?? 4010);
  const graphPort = await listen(graph, host, opts.graphPort ?? 4011);
  const shown = host.includes(':') ? `[${host}]` : host;
  urls.identity = `https://${shown}:${identityPort}`;
  urls.graph = `https://${shown}:${graphPort}/v1.0`;

  return {
    identityUrl: urls.identity,
    graphUrl: urls.graph,
    caFile: tls.caFile,
    store,
    service,
    close: async () => {
      await Promise.all(
        [identity, graph].map((s) => new Promise<void>((r) => (s.close(() => r()), s.closeAllConnections()))),
      );
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export { graphAdminRouter } from './admin.router.js';
export { GraphStore } from './store.js';
export { GraphService } from './graph.service.js';
export { defaultGraphConfig, mergeGraphConfig, GraphSandboxConfigSchema, type GraphSandboxConfig } from './config.js';
export { Throttler, requestCost, tenantSizeFor } from './throttle.js';
export { passwordIsComplex, validateUserBody } from './user-rules.js';
export { parseFilter, parseSelect } from './odata.js';
export { issueGraphToken } from '../identity/access-token.js';
export { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_TENANT_ID } from '../identity/identity.config.js';
