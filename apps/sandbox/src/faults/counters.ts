// Request counters per stand-in, endpoint and status, so tests and benchmarks can assert what reached
// the "external" service (e.g. exactly one POST /users per student, zero 429s).
export interface CounterRow {
  target: string;
  endpoint: string;
  status: number;
  count: number;
}

/** One request as it was answered: when, where, with what status. */
export interface RequestRecord {
  at: number;
  endpoint: string;
  status: number;
}

const MAX_RECORDS = 200_000;

export class Counters {
  private readonly rows = new Map<string, CounterRow>();
  /** Every request per target, in arrival order, for rate and Retry-After measurements (bounded ring). */
  private readonly log = new Map<string, RequestRecord[]>();

  record(target: string, endpoint: string, status: number, at = Date.now()): void {
    const key = `${target} ${endpoint} ${status}`;
    const row = this.rows.get(key) ?? { target, endpoint, status, count: 0 };
    row.count++;
    this.rows.set(key, row);
    const t = this.log.get(target) ?? [];
    t.push({ at, endpoint, status });
    if (t.length > MAX_RECORDS) t.splice(0, t.length - MAX_RECORDS);
    this.log.set(target, t);
  }

  /** The requests a target answered (the last 200,000), oldest first; `since` (epoch ms) keeps the later ones. */
  requests(target: string, since = 0): RequestRecord[] {
    return (this.log.get(target) ?? []).filter((r) => r.at >= since);
  }

  list(target?: string): CounterRow[] {
    return [...this.rows.values()].filter((r) => !target || r.target === target);
  }

  total(target: string, filter: { endpoint?: string; status?: number } = {}): number {
    return this.list(target)
      .filter(
        (r) =>
          (filter.endpoint === undefined || r.endpoint === filter.endpoint) &&
          (filter.status === undefined || r.status === filter.status),
      )
      .reduce((n, r) => n + r.count, 0);
  }

  timestamps(target: string): readonly number[] {
    return (this.log.get(target) ?? []).map((r) => r.at);
  }

  reset(target?: string): void {
    for (const key of [...this.rows.keys()]) if (!target || key.startsWith(`${target} `)) this.rows.delete(key);
    if (target) this.log.delete(target);
    else this.log.clear();
  }
}
