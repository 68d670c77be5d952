// npm run bench:latency — one student at a time on an idle compiled stack: from the upload's 202 (a one-row
// JSON lote) to EmailEnviado applied in the gateway (the email step's finished_at in its read model, written
// in the transaction that applied it; same machine, same clock). BENCH_LATENCY_STUDENTS (100) students, each
// sent once the previous one is done, after BENCH_LATENCY_WARMUP (5). Prints p50/p90/p99/max of the whole
// path and of its legs, as the gateway's read model dates them:
//   ingest   202 → the student's workflow created (ingest registered the row, released it, AlumnoCreado applied)
//   cuenta   → the account step finished (teams-service: Graph create + licence; CuentaTeamsCreada applied)
//   resto    → the email step finished (mail-service sent it over SMTP; EmailEnviado applied; Moodle in parallel)
// Goal: p50 ≤ 50 ms, p99 ≤ 150 ms.
import { join } from 'node:path';
import pg from 'pg';
import { build } from '../tools/build.js';
import { amqpUrlFor, databaseUrlFor, deleteVhost, dropDatabase, freshVhost } from '../tools/isolation.js';
import { ROOT, startStack } from '../tools/stack.js';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const STUDENTS = num('BENCH_LATENCY_STUDENTS', 100);
const WARMUP = num('BENCH_LATENCY_WARMUP', 5);
const VHOST = 'lucy-bench-latency';
const databaseUrl = databaseUrlFor('lucy_bench_latency');

interface Tiempos {
  total: number;
  ingest: number;
  cuenta: number;
  resto: number;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main() {
  await build();
  await freshVhost(VHOST);
  await dropDatabase(databaseUrl);
  const stack = await startStack({
    portBase: 5850,
    compiled: true,
    varDir: join(ROOT, 'var', 'bench-latency'),
    env: {
      RABBITMQ_URL: amqpUrlFor(VHOST),
      DATABASE_URL: databaseUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/14`,
      LOG_LEVEL: 'warn',
    },
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const headers = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
  const base = 43_000_000 + Math.floor(Math.random() * 900_000);

  /** One student through the whole path; the legs as the gateway's read model dates them. */
  async function uno(i: number): Promise<Tiempos> {
    const dni = String(base + i);
    const fila = {
      dni,
      nombre: 'Lía',
      apellido: `Prueba${i}`,
      emailPersonal: `lia.${dni}@correo.example`,
      carrera: 'Contador Público',
      estado: 'ingresante',
      periodo: '2027',
    };
    const res = await fetch(`${stack.urls.gateway}/api/v1/lotes`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ nombreArchivo: 'uno.json', filas: [fila] }),
    });
    const t0 = Date.now();
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    const { loteId } = (await res.json()) as { loteId: string };
    for (;;) {
      const { rows } = await db.query(
        `SELECT w.created_at, c.finished_at AS cuenta, e.finished_at AS email, e.estado
           FROM gateway.lote_alumno la
           JOIN gateway.workflow w ON w.alumno_id = la.alumno_id AND w.tipo = 'onboarding'
           JOIN gateway.workflow_paso c ON c.workflow_id = w.id AND c.paso = 'cuenta'
           JOIN gateway.workflow_paso e ON e.workflow_id = w.id AND e.paso = 'email'
          WHERE la.lote_id = $1`,
        [loteId],
      );
      const r = rows[0];
      if (r?.email) {
        if (r.estado !== 'completado') throw new Error(`student ${dni}: email ${r.estado}`);
        const [creado, cuenta, email] = [r.created_at, r.cuenta, r.email].map((d: Date) => d.getTime());
        return { total: email - t0, ingest: creado - t0, cuenta: cuenta - creado, resto: email - cuenta };
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  try {
    for (let i = 0; i < WARMUP; i++) await uno(i);
    const medidas: Tiempos[] = [];
    for (let i = 0; i < STUDENTS; i++) medidas.push(await uno(WARMUP + i));
    const fila = (k: keyof Tiempos) => ({
      leg: k,
      p50: percentile(
        medidas.map((m) => m[k]),
        50,
      ),
      p90: percentile(
        medidas.map((m) => m[k]),
        90,
      ),
      p99: percentile(
        medidas.map((m) => m[k]),
        99,
      ),
      max: Math.max(...medidas.map((m) => m[k])),
    });
    console.log(`\n${STUDENTS} students one at a time, after ${WARMUP} to warm up (ms):`);
    const tabla = (['total', 'ingest', 'cuenta', 'resto'] as const).map(fila);
    console.table(tabla);
    const t = tabla[0];
    console.table([
      { figure: 'upload 202 → EmailEnviado applied, p50', value: `${t.p50} ms`, goal: '≤ 50 ms', met: t.p50 <= 50 },
      { figure: 'the same, p99', value: `${t.p99} ms`, goal: '≤ 150 ms', met: t.p99 <= 150 },
    ]);
    console.log(JSON.stringify({ bench: 'latency', students: STUDENTS, legs: tabla }));
  } finally {
    await db.end();
    await stack.stop();
    await deleteVhost(VHOST).catch(() => undefined);
  }
}

await main();
