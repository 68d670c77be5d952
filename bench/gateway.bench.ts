// npm run bench:gateway — the gateway's API under load (autocannon, BENCH_GATEWAY_CONNECTIONS 50 connections,
// BENCH_GATEWAY_SECONDS 10 s each) on the compiled stack, after a small cohort is onboarded:
//   alumno     GET /api/v1/alumnos/{id}
//   reenviar   POST /api/v1/alumnos/{id}/acciones/reenviar-credenciales with one Idempotency-Key (a client
//              retrying: the first request acts, every other one is answered from the stored answer)
//   live       GET /health/live (the framework alone, for scale)
// Goals: alumno ≥ 3,000 req/s; reenviar ≥ 1,000 req/s with p95 < 50 ms (autocannon reports p97.5: stricter).
// Beside each figure, the CPU one request cost the gateway and its PostgreSQL backends (from /proc, when
// they run on this machine): steadier than req/s on shared cores, so compare those between runs.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { build } from '../tools/build.js';
import { amqpUrlFor, databaseUrlFor, deleteVhost, dropDatabase, freshVhost } from '../tools/isolation.js';
import { ROOT, startStack } from '../tools/stack.js';
import { backendsOf, cpuMs, rssMb } from './support/cpu.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const CONNECTIONS = num('BENCH_GATEWAY_CONNECTIONS', 50);
const SECONDS = num('BENCH_GATEWAY_SECONDS', 10);
const VHOST = 'lucy-bench-gateway';
const databaseUrl = databaseUrlFor('lucy_bench_gateway');

interface Figure {
  scenario: string;
  reqPerSec: number;
  p50: number;
  p97_5: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU milliseconds per request: the gateway's process, and the PostgreSQL backends of its pool. */
  gatewayCpuMs: number;
  postgresCpuMs: number;
}

async function load(scenario: string, gatewayPid: number, opts: autocannon.Options): Promise<Figure> {
  const backends = async () => backendsOf(databaseUrl, 'gateway').catch(() => [] as number[]);
  const pg0 = new Map((await backends()).map((pid) => [pid, cpuMs(pid)]));
  const gw0 = cpuMs(gatewayPid);
  const r = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
  const gatewayMs = cpuMs(gatewayPid) - gw0;
  // A backend the pool opened meanwhile counts from 0; one it closed meanwhile is lost (it keeps them busy).
  const pgMs = (await backends()).reduce((sum, pid) => sum + cpuMs(pid) - (pg0.get(pid) ?? 0), 0);
  const per = (ms: number) => +(ms / Math.max(1, r.requests.total)).toFixed(3);
  return {
    scenario,
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p97_5: r.latency.p97_5,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    gatewayCpuMs: per(gatewayMs),
    postgresCpuMs: per(pgMs),
  };
}

async function main() {
  await build();
  await freshVhost(VHOST);
  await dropDatabase(databaseUrl);
  const stack = await startStack({
    portBase: 5900,
    compiled: true,
    varDir: join(ROOT, 'var', 'bench-gateway'),
    env: {
      RABBITMQ_URL: amqpUrlFor(VHOST),
      DATABASE_URL: databaseUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/15`,
      LOG_LEVEL: 'warn',
    },
  });
  const gw = stack.urls.gateway;
  const gatewayPid = stack.processes.get('gateway')!.child.pid!;
  const headers = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
  try {
    const filas = [0, 1, 2, 3, 4].map((i) => ({
      dni: String(44_000_000 + i),
      nombre: 'Ana',
      apellido: `Carga${i}`,
      emailPersonal: `ana.carga${i}@correo.example`,
      carrera: 'Contador Público',
      estado: 'ingresante',
      periodo: '2027',
    }));
    const res = await fetch(`${gw}/api/v1/lotes`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ nombreArchivo: 'carga.json', filas }),
    });
    const { loteId } = (await res.json()) as { loteId: string };
    let alumnoId: string | undefined;
    while (!alumnoId) {
      await new Promise((r) => setTimeout(r, 500));
      const lote = (await (await fetch(`${gw}/api/v1/lotes/${loteId}`, { headers })).json()) as { estado: string };
      if (lote.estado !== 'terminado') continue;
      const lista = (await (await fetch(`${gw}/api/v1/alumnos?limit=1`, { headers })).json()) as {
        items: { alumnoId: string }[];
      };
      alumnoId = lista.items[0]?.alumnoId;
    }
    const rssIdle = rssMb(gatewayPid);
    const figures = [
      await load('alumno', gatewayPid, { url: `${gw}/api/v1/alumnos/${alumnoId}`, headers }),
      await load('reenviar', gatewayPid, {
        url: `${gw}/api/v1/alumnos/${alumnoId}/acciones/reenviar-credenciales`,
        method: 'POST',
        headers: { ...headers, 'idempotency-key': randomUUID() },
        body: '{}',
      }),
      await load('live', gatewayPid, { url: `${gw}/health/live` }),
    ];
    const rss = { idle: rssIdle, afterLoad: rssMb(gatewayPid) };
    console.log(`\ngateway resident memory (MB): ${rss.idle} idle, ${rss.afterLoad} after the load`);
    console.log(`${CONNECTIONS} connections, ${SECONDS} s each (latency in ms; CPU in ms per request):`);
    console.table(figures);
    const [alumno, reenviar] = figures;
    console.table([
      {
        figure: 'GET /alumnos/{id}',
        value: `${alumno.reqPerSec} req/s`,
        goal: '≥ 3,000',
        met: alumno.reqPerSec >= 3000,
      },
      {
        figure: 'POST reenviar-credenciales (Idempotency-Key)',
        value: `${reenviar.reqPerSec} req/s, p97.5 ${reenviar.p97_5} ms`,
        goal: '≥ 1,000 req/s, p95 < 50 ms',
        met: reenviar.reqPerSec >= 1000 && reenviar.p97_5 < 50,
      },
    ]);
    console.log(
      JSON.stringify({ bench: 'gateway', connections: CONNECTIONS, seconds: SECONDS, figures, gatewayRssMb: rss }),
    );
  } finally {
    await stack.stop();
    await deleteVhost(VHOST).catch(() => undefined);
  }
}

await main();
