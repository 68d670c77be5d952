// The sandbox (apps/sandbox) started in-process for a test: every stand-in on an ephemeral port, its CA
// and signing key in a temporary folder removed on close, silent, and blind to this process's SANDBOX_*
// variables. Tests steer it directly (sandbox.sial, sandbox.graph.store, sandbox.ctx.faults) or through
// the admin API, as the e2e suite and operators do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '@lucy/sandbox';
import { getJson, sendJson } from './http-json.js';

export type TestSandboxOptions = Omit<SandboxOptions, 'ephemeral' | 'stateDir'>;

/** One message of the sandbox's inbox API (Mailpit-shaped). */
export interface MailboxMessage {
  ID: string;
  MessageID: string;
  To: { Address: string }[];
  Subject: string;
  Text: string;
  HTML: string;
  Headers: Record<string, string[]>;
}

export interface TestSandbox extends RunningSandbox {
  /** A call to the admin API: `admin('/faults/moodle', 'PUT', { downForMs: 1000 })`. */
  admin<T = any>(path: string, method?: string, body?: unknown): Promise<T>;
  /** Full messages addressed to `to`, newest first, read through the inbox API. */
  inbox(to: string): Promise<MailboxMessage[]>;
}

/** With the identity + Graph stand-in (the default). */
export interface TestSandboxWithGraph extends TestSandbox {
  urls: TestSandbox['urls'] & { identity: string; graph: string };
  caFile: string;
  graph: NonNullable<RunningSandbox['graph']>;
}

export function startTestSandbox(options: TestSandboxOptions & { graph: false }): Promise<TestSandbox>;
export function startTestSandbox(options?: TestSandboxOptions): Promise<TestSandboxWithGraph>;
export async function startTestSandbox(options: TestSandboxOptions = {}): Promise<TestSandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lucy-test-sandbox-'));
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({ log: () => undefined, env: {}, ...options, ephemeral: true, stateDir });
  } catch (e) {
    rmSync(stateDir, { recursive: true, force: true });
    throw e;
  }
  const { urls, close } = sandbox;
  return Object.assign(sandbox, {
    admin: <T>(path: string, method = 'GET', body?: unknown) =>
      sendJson<T>(method, `${urls.admin}/_admin${path}`, body),
    async inbox(to: string): Promise<MailboxMessage[]> {
      const list = await getJson<{ messages: { ID: string }[] }>(
        `${urls.mailbox}/api/v1/messages?to=${encodeURIComponent(to)}&limit=1000`,
      );
      return Promise.all(list.messages.map((m) => getJson<MailboxMessage>(`${urls.mailbox}/api/v1/message/${m.ID}`)));
    },
    close: async () => {
      await close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  });
}
