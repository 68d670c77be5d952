import { countersOf, parseMetrics, perMinute, type Counters } from './scraped-metrics.js';

const TEXT = `# HELP lucy_messages_consumed_total Messages taken from a queue
# TYPE lucy_messages_consumed_total counter
lucy_messages_consumed_total{queue="teams-service",type="alumno.creado",outcome="applied",service="teams-service"} 40
lucy_messages_consumed_total{queue="teams-service",type="alumno.creado",outcome="duplicate",service="teams-service"} 7
lucy_messages_consumed_total{queue="teams-service",type="alumno.creado",outcome="retried",service="teams-service"} 2
lucy_external_calls_total{dependency="graph",kind="write",outcome="success",service="teams-service"} 30
lucy_external_calls_total{dependency="graph",kind="read",outcome="transient",service="teams-service"} 5
lucy_external_calls_total{dependency="graph",kind="read",outcome="short_circuited",service="teams-service"} 9
lucy_odd{msg="a \\"quoted\\" value"} 1
process_cpu_seconds_total 12.5
`;

const sample = (at: number, consumed: number, graph = 0): Counters => ({ at, consumed, calls: { graph } });

describe('dashboard metrics', () => {
  it("reads Lucy's series with their labels, escaped quotes included, and skips the rest", () => {
    const series = parseMetrics(TEXT);
    expect(series).toHaveLength(7);
    expect(series.find((s) => s.name === 'lucy_odd')?.labels.msg).toBe('a "quoted" value');
  });

  it('counts consumed messages without duplicates, and calls that reached the dependency', () => {
    expect(countersOf(parseMetrics(TEXT), 5)).toEqual({ at: 5, consumed: 42, calls: { graph: 35 } });
  });

  it('gives a per-minute rate over the last minute, and none from a single sample', () => {
    expect(perMinute([sample(0, 10)], (c) => c.consumed)).toBeNull();
    expect(perMinute([sample(0, 10), sample(30_000, 40)], (c) => c.consumed)).toBe(60);
    // A sample older than the window is left out.
    expect(perMinute([sample(0, 0), sample(70_000, 100), sample(100_000, 130)], (c) => c.consumed)).toBe(60);
  });

  it('counts from zero again after a service restart (the counter went down)', () => {
    expect(perMinute([sample(0, 500), sample(60_000, 20)], (c) => c.consumed)).toBe(20);
  });
});
