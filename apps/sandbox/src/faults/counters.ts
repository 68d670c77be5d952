// Request counters per stand-in, endpoint and status, so tests and benchmarks can assert what reached
// the "external" service (e.g. exactly one POST /users per student, zero 429s).
export interface CounterRow {
  target: string;
  endpoint: string;
  status: number;
  count: number;
}

export class Counters {
  private readonly rows = new Map<string, CounterRow>();
  /** Timestamps of every request per target, for rate measurements (bounded ring). */
  private readonly times = new Map<string, number[]>();

  record(target: string, endpoint: string, status: number, at = Date.now()): void {
    const key = `${target} ${endpoint} ${status}`;
    const row = this.rows.get(key) ?? { target, endpoint, status, count: 0 };
    row.count++;
    this.rows.set(key, row);
    const t = this.times.get(target) ?? [];
    t.push(at);
    if (t.length > 200_000) t.splice(0, t.length - 200_000);
    this.times.set(target, t);
  }

  list(target?: string): CounterRow[] {
    return [...this.rows.values()].filter((r) => !target || r.target === target);
  }

  total(target: string, filter: { endpoint?: string; status?: number } = {}): number {
    return this.list(target)
      .filter((r) => (filter.endpoint === undefined || r.endpoint === filter.endpoint) && (filter.status === undefined || r.status === filter.status))
      .reduce((n, r) => n + r.count, 0);
  }

  timestamps(target: string): readonly number[] {
    return this.times.get(target) ?? [];
  }

  reset(target?: string): void {
    for (const key of [...this.rows.keys()]) if (!target || key.startsWith(`${target} `)) this.rows.delete(key);
    if (target) this.times.delete(target);
    else this.times.clear();
  }
}
