// CPU time and memory of processes, from /proc (Linux): on a shared machine, the CPU a request costs is
// a steadier figure than requests per second, which move with whatever else the cores run.
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';

const TICK = 100; // USER_HZ: /proc's clock ticks per second on Linux

/** CPU milliseconds (user + system) a process has used; 0 when /proc does not say (gone, not Linux). */
export function cpuMs(pid: number): number {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return 0;
  try {
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK; // utime, stime (fields 14 and 15)
  } catch {
    return 0;
  }
}

/** A process's resident memory in MB (VmRSS); 0 when /proc does not say. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/**
 * The PostgreSQL backends serving one application's connections (pg_stat_activity), read when they run
 * on this machine: their CPU is the database's side of that application's queries.
 */
export async function backendsOf(databaseUrl: string, applicationName: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [applicationName],
    );
    return rows.map((r) => r.pid);
  } finally {
    await c.end();
  }
}
