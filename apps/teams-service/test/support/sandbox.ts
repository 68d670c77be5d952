// The sandbox (apps/sandbox) started in-process: identity + Graph on ephemeral HTTPS ports with their own
// CA in a temporary folder. tools/check-boundaries forbids a static import of another app, test code
// included; until the sandbox is published as a library alias it is loaded by path at run time (as
// ingest-service's tests do). Only what these tests use is typed here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SandboxUser {
  id: string;
  userPrincipalName: string;
  state: 'active' | 'deleted' | 'purged';
  accountEnabled: unknown;
  usageLocation: unknown;
  assignedLicenses: { skuId: string }[];
  passwordChanges: number;
}

export interface GraphStore {
  allUsers(): SandboxUser[];
  verifyPassword(idOrUpn: string, password: string): boolean;
  configure(change: Record<string, unknown>): { verifiedDomains: string[]; skus: { skuId: string; skuPartNumber: string; prepaidUnits: { enabled: number } }[] };
  readonly config: { verifiedDomains: string[]; skus: { skuId: string; skuPartNumber: string; prepaidUnits: { enabled: number } }[]; tokenLifetimeSeconds: number };
  stats(): { skus: { skuId: string; consumed: number }[] };
}

export interface Sandbox {
  urls: { identity: string; graph: string };
  caFile: string;
  graph: { store: GraphStore };
  ctx: {
    faults: { set(target: 'graph' | 'identity', change: Record<string, unknown>): unknown; reset(target?: 'graph' | 'identity'): void };
    counters: { total(target: 'graph' | 'identity', filter?: { endpoint?: string; status?: number }): number };
  };
  close(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lucy-teams-sandbox-'));
  const file = resolve(process.cwd(), 'apps', 'sandbox', 'src', 'sandbox.ts');
  const mod = (await import(pathToFileURL(file).href)) as { startSandbox(o: unknown): Promise<Sandbox> };
  const sandbox = await mod.startSandbox({ ephemeral: true, stateDir, log: () => undefined, env: {} });
  const close = sandbox.close;
  return Object.assign(sandbox, { close: async () => (await close(), rmSync(stateDir, { recursive: true, force: true })) });
}

/** Users the tenant holds (or held) under a UPN. */
export const usersOf = (sandbox: Sandbox, upn: string) => sandbox.graph.store.allUsers().filter((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
