// The sandbox (apps/sandbox) as a child process on ephemeral ports: its SMTP stand-in, the inbox API
// (Mailpit-shaped) and the admin API. A child process rather than startSandbox() in-process because
// an app never imports another app (tools/check-boundaries.ts); the HTTP APIs are how a test steers
// and inspects it anyway.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface MailboxMessage {
  ID: string;
  MessageID: string;
  To: { Address: string }[];
  Subject: string;
  Text: string;
  HTML: string;
  Headers: Record<string, string[]>;
}

export interface SandboxProcess {
  smtp: { host: string; port: number };
  /** Full messages addressed to `to`, newest first. */
  inbox(to: string): Promise<MailboxMessage[]>;
  admin<T = unknown>(path: string, method?: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../../../..');
const PORTS = ['ADMIN', 'IDENTITY', 'GRAPH', 'MOODLE', 'SIAL', 'SMTP', 'MAILBOX'];

export async function startSandboxProcess(timeoutMs = 30_000): Promise<SandboxProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lucy-mail-sandbox-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_STATE_DIR: stateDir, SANDBOX_HOST: '127.0.0.1' };
  for (const p of PORTS) env[`SANDBOX_${p}_PORT`] = '0';
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/sandbox/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));

  const started = await new Promise<{ admin: string; mailbox: string; smtp: string }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`sandbox did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.once('exit', (code) => fail(new Error(`sandbox exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; admin?: string; mailbox?: string; smtp?: string };
        if (entry.msg === 'sandbox started' && entry.admin && entry.mailbox && entry.smtp) {
          clearTimeout(timer);
          ok({ admin: entry.admin, mailbox: entry.mailbox, smtp: entry.smtp });
        }
      } catch {
        /* not a log line */
      }
    });
  });
  const [host, port] = started.smtp.split(':');

  const json = async <T>(url: string, method = 'GET', body?: unknown): Promise<T> => {
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`sandbox ${method} ${url}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  };

  return {
    smtp: { host, port: Number(port) },
    async inbox(to) {
      const list = await json<{ messages: { ID: string }[] }>(`${started.mailbox}/api/v1/messages?to=${encodeURIComponent(to)}&limit=1000`);
      return Promise.all(list.messages.map((m) => json<MailboxMessage>(`${started.mailbox}/api/v1/message/${m.ID}`)));
    },
    admin: (path, method, body) => json(`${started.admin}/_admin${path}`, method, body),
    close: () => stop(child, stateDir),
  };
}

async function stop(child: ChildProcess, stateDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  rmSync(stateDir, { recursive: true, force: true });
}
