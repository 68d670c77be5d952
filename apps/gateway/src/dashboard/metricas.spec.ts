import { contadoresDe, leerMetricas, porMinuto, type Contadores } from './metricas.js';

const TEXTO = `# HELP lucy_messages_consumed_total Messages taken from a queue
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

const muestra = (at: number, consumidos: number, graph = 0): Contadores => ({ at, consumidos, llamadas: { graph } });

describe('dashboard metrics', () => {
  it("reads Lucy's series with their labels, escaped quotes included, and skips the rest", () => {
    const series = leerMetricas(TEXTO);
    expect(series).toHaveLength(7);
    expect(series.find((s) => s.nombre === 'lucy_odd')?.etiquetas.msg).toBe('a "quoted" value');
  });

  it('counts consumed messages without duplicates, and calls that reached the dependency', () => {
    expect(contadoresDe(leerMetricas(TEXTO), 5)).toEqual({ at: 5, consumidos: 42, llamadas: { graph: 35 } });
  });

  it('gives a per-minute rate over the last minute, and none from a single sample', () => {
    expect(porMinuto([muestra(0, 10)], (c) => c.consumidos)).toBeNull();
    expect(porMinuto([muestra(0, 10), muestra(30_000, 40)], (c) => c.consumidos)).toBe(60);
    // A sample older than the window is left out.
    expect(porMinuto([muestra(0, 0), muestra(70_000, 100), muestra(100_000, 130)], (c) => c.consumidos)).toBe(60);
  });

  it('counts from zero again after a service restart (the counter went down)', () => {
    expect(porMinuto([muestra(0, 500), muestra(60_000, 20)], (c) => c.consumidos)).toBe(20);
  });
});
