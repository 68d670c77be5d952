// The sandbox (apps/sandbox) as a child process on ephemeral ports, steered through its admin API.
// A child process rather than startSandbox() in-process: an app never imports another app
// (tools/check-boundaries.ts), and the admin API is how tests steer the sandbox anyway.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface SandboxUrls {
  admin: string;
  moodle: string;
}

export interface SandboxProcess {
  urls: SandboxUrls;
  admin<T = unknown>(path: string, method?: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../../../..');
const PORTS = ['ADMIN', 'IDENTITY', 'GRAPH', 'MOODLE', 'SIAL', 'SMTP', 'MAILBOX'];

export async function startSandboxProcess(timeoutMs = 30_000): Promise<SandboxProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), 'lucy-moodle-sandbox-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_STATE_DIR: stateDir, SANDBOX_HOST: '127.0.0.1' };
  for (const p of PORTS) env[`SANDBOX_${p}_PORT`] = '0';
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/sandbox/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));

  const urls = await new Promise<SandboxUrls>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`sandbox did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.once('exit', (code) => fail(new Error(`sandbox exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; admin?: string; moodle?: string };
        if (entry.msg === 'sandbox started' && entry.admin && entry.moodle) {
          clearTimeout(timer);
          ok({ admin: entry.admin, moodle: entry.moodle });
        }
      } catch {
        /* not a log line */
      }
    });
  });

  return {
    urls,
    async admin<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
      const res = await fetch(`${urls.admin}/_admin${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`sandbox admin ${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    close: () => stop(child, stateDir),
  };
}

async function stop(child: ChildProcess, stateDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  rmSync(stateDir, { recursive: true, force: true });
}
