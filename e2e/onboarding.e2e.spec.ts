// The onboarding pipeline end to end: every service as its own process, with the sandbox, on the real
// RabbitMQ and PostgreSQL (a vhost and a database of this suite's own).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BrokerTap, getJson, onCommands, onEvents, postJson, putJson, waitFor } from '@lucy/testing';
import { startStack, ROOT, type Stack } from '../tools/stack.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { gatewayApi } from './support/gateway-api.js';

const COHORT = Number(process.env.E2E_COHORT ?? 200);
const VAR_DIR = join(ROOT, 'var', 'e2e');
let env: E2eEnvironment;
let stack: Stack;
let tap: BrokerTap;
// How this suite polls: a process of the stack may answer with an error while it starts or restarts.
const POLL = { everyMs: 250, retryErrors: true };
/** The gateway's API, with the stack's admin token. */
const gw = gatewayApi(() => stack);
const admin = (path: string) => `${stack.urls.sandboxAdmin}/_admin${path}`;

interface Progreso {
  estado: string;
  total: number;
  completados: number;
  conAvisos: number;
  fallidos: number;
  enCurso: number;
  pendientes: number;
  porcentaje: number;
  desglose: Record<string, number>;
}

async function pull(): Promise<string> {
  const { loteId } = await gw.post<{ loteId: string }>('/sync/sial');
  return loteId;
}

async function settled(loteId: string, timeoutMs: number): Promise<Progreso> {
  return waitFor(
    async () => {
      const p = await gw.get<Progreso>(`/lotes/${loteId}`);
      return p.total > 0 && p.enCurso === 0 && p.pendientes === 0 && p;
    },
    `lote ${loteId} to settle`,
    { ...POLL, timeoutMs, everyMs: 1000 },
  );
}

/** The students a lote set in motion, read from the gateway's read model. */
async function alumnosDe(loteId: string): Promise<string[]> {
  const db = new pg.Client({ connectionString: env.databaseUrl });
  await db.connect();
  try {
    return (await db.query('SELECT alumno_id FROM gateway.lote_alumno WHERE lote_id = $1', [loteId])).rows.map(
      (r) => r.alumno_id,
    );
  } finally {
    await db.end();
  }
}

async function primeroCompletado(ids: string[]): Promise<string> {
  for (const id of ids) if ((await gw.get(`/alumnos/${id}`)).workflow.estado === 'completado') return id;
  throw new Error('no completed student');
}

async function newCohort(seed: number, size: number): Promise<void> {
  await putJson(admin('/sial/config'), { seed, size });
}

beforeAll(async () => {
  env = await e2eEnvironment('onboarding');
  stack = await startStack({
    portBase: 5100,
    varDir: VAR_DIR,
    // The rate limiters' state in a Redis database of this suite's own (the limits are protection.e2e's subject).
    env: {
      RABBITMQ_URL: env.rabbitmqUrl,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/9`,
      RETRY_DELAYS_MS: '200,500,1000',
      LOG_LEVEL: 'info',
    },
    serviceEnv: env.serviceEnv({
      sandbox: { SANDBOX_SIAL_COHORT: String(COHORT), SANDBOX_SIAL_SEED: '2027' },
      gateway: { SWEEP_INTERVAL_MS: '500', WORKFLOW_TIMEOUT_FACTOR: '0.02' },
      // Each test pulls a new SIAL cohort: the earlier ones' students are not leavers (a real SIAL keeps
      // them), so absence is not counted — else a later pull would be held by the leavers' safeguard.
      'ingest-service': { BATCH_SIZE: '50', AUSENCIAS_PARA_BAJA: '0' },
      // The Moodle stand-in takes any rate (300/min would make 200 enrolments outlast the step deadline);
      // its retries spaced as in production, so its breaker opens (after a few failures in its 10 s
      // window) before any enrolment runs out of attempts; it probes every 5 s, so recovery is quick.
      'moodle-service': {
        MOODLE_RPM: '6000',
        MOODLE_BREAKER_RESET_TIMEOUT_MS: '5000',
        RETRY_DELAYS_MS: '1000,5000,15000',
      },
    }),
  });
  // Every message that crosses the broker, events and commands.
  tap = await BrokerTap.open([onEvents('#'), onCommands('#')], { url: env.rabbitmqUrl });
}, 180_000);

afterAll(async () => {
  await tap?.close();
  await stack?.stop();
  await env?.dispose();
}, 60_000);

describe('onboarding, end to end', () => {
  let firstLote: string;
  let firstAlumnos: string[];

  it(`onboards a SIAL cohort of ${COHORT}: every valid student completado, one account, one enrolment per course, one email each`, async () => {
    const started = Date.now();
    firstLote = await pull();
    const p = await settled(firstLote, 600_000);
    const seconds = (Date.now() - started) / 1000;
    console.log(`[e2e] ${p.total} students onboarded in ${seconds.toFixed(1)} s (${(p.total / seconds).toFixed(1)}/s)`);
    expect(p.total).toBeGreaterThanOrEqual(Math.floor(COHORT * 0.8)); // the cohort's awkward rows are reported invalid
    firstAlumnos = await alumnosDe(firstLote);
    const fichas = await Promise.all(firstAlumnos.map((id) => gw.get(`/alumnos/${id}`)));
    // SIAL has students with no email at all: they get their account and courses, and the operator is
    // warned that the credentials could not be emailed. Everyone else completes.
    const sinCorreo = fichas.filter((f) => !f.alumno.emailPersonal && !f.alumno.emailInstitucional);
    expect(p).toMatchObject({
      completados: p.total - sinCorreo.length,
      conAvisos: sinCorreo.length,
      fallidos: 0,
      porcentaje: 100,
      estado: 'terminado',
    });
    for (const f of sinCorreo) expect(f.workflow.avisos).toEqual([expect.stringMatching(/^email: .*correo/)]);
    const upns = fichas.map((f) => f.cuentas.upn);
    expect(new Set(upns).size).toBe(p.total);

    const graph = await getJson<{
      users: { userPrincipalName: string; state: string; assignedLicenses: unknown[]; usageLocation: string }[];
    }>(admin('/graph/users'));
    for (const upn of upns) {
      const matches = graph.users.filter((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
      expect(matches).toHaveLength(1);
      expect(matches[0]).toMatchObject({ state: 'active', usageLocation: expect.any(String) });
      expect(matches[0].assignedLicenses).toHaveLength(1);
    }

    const enrolments = await getJson<{ userid: number; courseid: number }[]>(admin('/moodle/enrolments'));
    const pairs = enrolments.map((e) => `${e.userid}:${e.courseid}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const f of fichas) {
      expect(f.cuentas.cursos.length).toBeGreaterThan(0);
      expect(enrolments.filter((e) => e.userid === f.cuentas.moodleUserId)).toHaveLength(f.cuentas.cursos.length);
    }

    const inbox = await getJson<{ messages_count: number; messages: { To: { Address: string }[] }[] }>(
      `${stack.urls.mailbox}/api/v1/messages?limit=100000`,
    );
    expect(inbox.messages_count).toBe(p.completados);
    const recipients = inbox.messages.map((m) => m.To[0].Address.toLowerCase());
    expect(new Set(recipients).size).toBe(p.completados);
  }, 660_000);

  it('changes nothing anywhere when any event is delivered twice', async () => {
    const before = {
      graph: (await getJson(admin('/graph/users'))).count,
      enrolments: (await getJson<unknown[]>(admin('/moodle/enrolments'))).length,
      mails: (await getJson(`${stack.urls.mailbox}/api/v1/messages`)).messages_count,
      tapped: tap.messages.length,
    };
    const someone = await primeroCompletado(firstAlumnos);
    const ficha0 = await gw.get(`/alumnos/${someone}`);
    const mine = tap.messages.filter((m) => m.body.includes(someone) && m.exchange === 'lucy.events');
    expect(mine.map((m) => m.routingKey)).toEqual(
      expect.arrayContaining(['alumno.creado.v1', 'cuenta-teams.creada.v1', 'moodle.enrolado.v1', 'email.enviado.v1']),
    );
    for (const m of mine) await tap.replay(m);
    // Each replayed message reaches the tap once more; then every consumer has had its chance.
    await waitFor(async () => tap.messages.length >= before.tapped + mine.length, 'the replays to cross the broker', {
      ...POLL,
      timeoutMs: 30_000,
    });
    await waitFor(
      async () => {
        const queues = await getJson<{ queue: string; messages: number; inFlight: number }[]>(
          `${stack.urls['teams-service']}/health/ready`,
        ).catch(() => null);
        return queues !== undefined;
      },
      'services',
      { ...POLL, timeoutMs: 5_000 },
    );
    await new Promise((r) => setTimeout(r, 3000)); // a settle window: the absence of an effect cannot be awaited
    expect((await getJson(admin('/graph/users'))).count).toBe(before.graph);
    expect((await getJson<unknown[]>(admin('/moodle/enrolments'))).length).toBe(before.enrolments);
    expect((await getJson(`${stack.urls.mailbox}/api/v1/messages`)).messages_count).toBe(before.mails);
    const ficha1 = await gw.get(`/alumnos/${someone}`);
    expect(ficha1.workflow.estado).toBe('completado');
    expect(ficha1.auditoria).toHaveLength(ficha0.auditoria.length);
  }, 120_000);

  // Moodle down: its breaker opens and the enrolments wait in RabbitMQ; past the step's deadline the
  // students complete with a warning; once Moodle is back (and an operator's retry, which the waiting
  // messages would not even need) every warning is cleared.
  it('completes with warnings while Moodle is down, and a retry after it is back completes them', async () => {
    await newCohort(3001, 12);
    await putJson(admin('/faults/moodle'), { downUntil: Date.now() + 3_600_000 });
    const loteId = await pull();
    const p = await settled(loteId, 180_000);
    expect(p.total).toBeGreaterThan(0);
    expect(p).toMatchObject({ conAvisos: p.total, completados: 0, fallidos: 0 });
    const ficha = await gw.get(`/alumnos/${(await alumnosDe(loteId))[0]}`);
    expect(ficha.workflow.avisos.join(' ')).toMatch(/moodle/i);

    await postJson(admin('/faults/reset'));
    await gw.post(`/lotes/${loteId}/reintentar`);
    const ids = await alumnosDe(loteId);
    await waitFor(
      async () => {
        const fichas = await Promise.all(ids.map((id) => gw.get(`/alumnos/${id}`)));
        return fichas.every(
          (f) =>
            f.workflow.pasos.find((x: { paso: string }) => x.paso === 'moodle').estado === 'completado' &&
            !f.workflow.avisos.some((a: string) => a.startsWith('moodle')),
        );
      },
      'every student enrolled after the retry',
      { ...POLL, timeoutMs: 120_000 },
    );
    // The retry also re-sends what else had failed (the email of a student with no address): wait for
    // every workflow to be back in a terminal state before counting.
    const after = await settled(loteId, 120_000);
    expect(after.fallidos).toBe(0);
    expect(after.completados + after.conAvisos).toBe(after.total); // con avisos now only for students with no email
  }, 360_000);

  it('fails only the student whose account Graph refuses for good; the others are unaffected', async () => {
    await newCohort(3002, 10);
    // Pick a student whose DNI is clean and unique in the cohort, and have the tenant refuse their UPN.
    const lists = await Promise.all(
      ['aspirantes', 'preinscriptos', 'ingresantes'].map((l) =>
        getJson<{ dni: string; email_personal: string | null }[]>(admin(`/sial/records/${l}`)),
      ),
    );
    const all = lists.flat().map((r) => ({ ...r, dni: String(r.dni).replace(/\D/g, '') }));
    const victim = all.find(
      (r) =>
        /^\d{7,8}$/.test(r.dni) && all.filter((o) => o.dni === r.dni).length === 1 && r.email_personal?.includes('@'),
    )!;
    expect(victim).toBeTruthy();
    const upn = `a${victim.dni}@estudiantes.unrc.edu.ar`;
    await postJson(admin('/graph/config'), { rejectedUserPrincipalNames: [upn] });
    try {
      const loteId = await pull();
      const p = await settled(loteId, 180_000);
      expect(p.fallidos).toBe(1);
      expect(p.completados + p.conAvisos).toBe(p.total - 1); // con avisos: only students with no email at all
      const fichas = await Promise.all((await alumnosDe(loteId)).map((id) => gw.get(`/alumnos/${id}`)));
      const failed = fichas.filter((f) => f.workflow.estado === 'fallido');
      expect(failed.map((f) => f.alumno.dni)).toEqual([victim.dni]);
      expect(failed[0].workflow.error).toMatch(/userPrincipalName/);
      expect(failed[0].workflow.pasos.find((x: { paso: string }) => x.paso === 'moodle').estado).toBe('pendiente');
      for (const f of fichas.filter((x) => x.workflow.estado === 'completado_con_avisos'))
        expect(f.workflow.avisos).toEqual([expect.stringMatching(/^email: .*correo/)]);
    } finally {
      await postJson(admin('/graph/config'), { rejectedUserPrincipalNames: [] });
    }
  }, 300_000);

  it('deprovisions a student: enrolments gone, account deleted, workflow compensado with every undo recorded', async () => {
    const someone = (
      await Promise.all(
        firstAlumnos
          .slice(0, 20)
          .map(async (id) => ((await gw.get(`/alumnos/${id}`)).workflow.estado === 'completado' ? id : null)),
      )
    ).filter(Boolean)[1]!;
    const ficha = await gw.get(`/alumnos/${someone}`);
    const answer = await gw.post(`/alumnos/${someone}/desaprovisionar`);
    expect(answer.comandos).toEqual(['moodle.desenrolar']);
    const done = await waitFor(
      async () => {
        const f = await gw.get(`/alumnos/${someone}`);
        return f.workflow.estado === 'compensado' && f;
      },
      'compensado',
      { ...POLL, timeoutMs: 60_000 },
    );
    const pasos = Object.fromEntries(
      done.workflow.pasos.map((p: { paso: string; estado: string }) => [p.paso, p.estado]),
    );
    expect(pasos).toMatchObject({ desenrolar_moodle: 'completado', eliminar_cuenta: 'completado' });
    const eventos = done.auditoria.map((a: { evento: string }) => a.evento);
    expect(eventos.indexOf('moodle.desenrolado')).toBeGreaterThan(eventos.indexOf('accion.desaprovisionar'));
    expect(eventos.indexOf('cuenta-teams.eliminada')).toBeGreaterThan(eventos.indexOf('moodle.desenrolado'));

    const users = await getJson(admin(`/graph/users?userPrincipalName=${encodeURIComponent(ficha.cuentas.upn)}`));
    expect(users.users[0].state).toBe('deleted');
    const left = (await getJson<{ userid: number }[]>(admin('/moodle/enrolments'))).filter(
      (e) => e.userid === ficha.cuentas.moodleUserId,
    );
    expect(left).toHaveLength(0);
  }, 120_000);

  it('applies a configuration change in every running service, no restart: the next students get the new UPN, licence, courses, Moodle auth and email', async () => {
    const SKU_DOCENTES = '94763226-9b3c-4e75-a931-5c89701abe66'; // the sandbox tenant's second SKU (apps/sandbox/src/graph/skus.ts)
    const cambio = await gw.patch<{ version: number }>('/config', {
      motivo: 'e2e: la configuración llega a los servicios en marcha',
      valores: {
        loteTamano: 2,
        upn: { patron: '{inicial}{apellido}.{dni}@{domain}', dominio: 'lucy.onmicrosoft.com' },
        licenciaSku: SKU_DOCENTES,
        cursos: { ingresante: { '*': ['CP-101', 'LA-101'] } },
        moodleAuth: 'manual',
        plantillaEmail: {
          asunto: 'Configuración {{nombre}}: tu cuenta',
          html: '<p>Hola {nombre}: {upn} / {password} en {moodleUrl}</p>',
          texto: 'Hola {nombre}.\nUsuario: {upn}\nContraseña temporal: {password}',
        },
      },
    });
    // Every service that owns a key reports the new version applied (within CONFIG_POLL_MS), no restart.
    for (const s of ['ingest-service', 'teams-service', 'moodle-service', 'mail-service'] as const) {
      await waitFor(
        async () => {
          const h = await getJson<{
            details: { configuracion?: { version: number; rechazadas: Record<string, string> } };
          }>(`${stack.urls[s]}/health/ready`).catch(() => undefined);
          return h?.details.configuracion?.version === cambio.version && h.details.configuracion;
        },
        `${s} to apply configuration version ${cambio.version}`,
        { ...POLL, timeoutMs: 15_000 },
      ).then((c) => expect(c.rechazadas).toEqual({}));
    }

    const base = 41_000_000 + Math.floor(Math.random() * 1_000_000);
    const filas = [0, 1, 2, 3, 4].map((i) => ({
      dni: String(base + i),
      nombre: `Zoe${i}`,
      apellido: 'Núñez',
      emailPersonal: `zoe${i}.${base}@correo.example`,
      carrera: 'Contador Público',
      estado: 'ingresante',
      periodo: '2027',
    }));
    const { loteId } = await gw.post<{ loteId: string }>('/lotes', { nombreArchivo: 'configuracion.json', filas });
    const p = await settled(loteId, 180_000);
    expect(p).toMatchObject({ total: 5, completados: 5, fallidos: 0 });

    const graph = await getJson<{ users: { userPrincipalName: string; assignedLicenses: { skuId: string }[] }[] }>(
      admin('/graph/users'),
    );
    const moodleUsers = await getJson<{ id: number; username: string; auth: string }[]>(admin('/moodle/users'));
    const enrolments = await getJson<{ userid: number; courseid: number; shortname?: string }[]>(
      admin('/moodle/enrolments'),
    );
    const inbox = await getJson<{ messages: { Subject: string; To: { Address: string }[] }[] }>(
      `${stack.urls.mailbox}/api/v1/messages?limit=100000`,
    );
    for (const f of filas) {
      const upn = `znunez.${f.dni}@lucy.onmicrosoft.com`;
      const user = graph.users.find((u) => u.userPrincipalName === upn);
      expect(user?.assignedLicenses.map((l) => l.skuId)).toEqual([SKU_DOCENTES]);
      const mu = moodleUsers.find((u) => u.username === upn);
      expect(mu?.auth).toBe('manual');
      expect(enrolments.filter((e) => e.userid === mu!.id)).toHaveLength(2);
      const mails = inbox.messages.filter((m) => m.To[0].Address === f.emailPersonal);
      expect(mails.map((m) => m.Subject)).toEqual([`Configuración ${f.nombre}: tu cuenta`]);
    }
    const ficha = await gw.get(`/alumnos/${(await alumnosDe(loteId))[0]}`);
    expect(ficha.cuentas.cursos.sort()).toEqual(['CP-101', 'LA-101']);
  }, 240_000);

  it('leaves no temporary password in clear in any log line, database row or broker message', async () => {
    const inbox = await getJson<{ messages: { ID: string }[] }>(`${stack.urls.mailbox}/api/v1/messages?limit=100000`);
    const passwords: string[] = [];
    for (const m of inbox.messages) {
      const full = await getJson<{ Text: string }>(`${stack.urls.mailbox}/api/v1/messages/${m.ID}`);
      const found = /contraseña[^:\n]*:\s*(\S{8,})/i.exec(full.Text);
      if (found) passwords.push(found[1]);
    }
    expect(passwords.length).toBe(inbox.messages.length);

    const logs = readdirSync(join(VAR_DIR, 'log'))
      .map((f) => readFileSync(join(VAR_DIR, 'log', f), 'utf8'))
      .join('\n');
    const db = new pg.Client({ connectionString: env.databaseUrl });
    await db.connect();
    const tables = (
      await db.query(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('gateway','ingest','teams','moodle','mail')`,
      )
    ).rows;
    let rows = '';
    for (const t of tables)
      rows += JSON.stringify((await db.query(`SELECT * FROM "${t.table_schema}"."${t.table_name}"`)).rows);
    await db.end();
    const broker = tap.messages.map((m) => m.body).join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    expect(rows.length).toBeGreaterThan(1000);
    for (const pw of passwords) {
      expect(logs.includes(pw)).toBe(false);
      expect(rows.includes(pw)).toBe(false);
      expect(broker.includes(pw)).toBe(false);
    }
  }, 120_000);
});
