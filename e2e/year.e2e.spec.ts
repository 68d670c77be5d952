// An academic year end to end: a cohort onboarded from SIAL, then what a registry office does to it over
// the year (names corrected, students admitted or moved to another period, students leaving, some of
// them coming back), each change pulled from the SIAL stand-in and checked where it lands: the Entra
// tenant, Moodle and the inbox (the sandbox's admin APIs), and the gateway's API. Every service runs as
// its own process on the real RabbitMQ and PostgreSQL (a vhost and a database of this suite's own).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BrokerTap, getJson, onCommands, onEvents, postJson, sendJson, waitFor } from '@lucy/testing';
import { startStack, ROOT, type Stack } from '../tools/stack.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { gatewayApi } from './support/gateway-api.js';

const COHORT = Number(process.env.E2E_YEAR_COHORT ?? 40);
/** A leaver's grace, in seconds: long enough for one pull to bring a student back within it. */
const GRACIA_S = 20;
const VAR_DIR = join(ROOT, 'var', 'e2e-year');
const LISTAS = ['aspirantes', 'preinscriptos', 'ingresantes'] as const;
const DOMINIO = 'estudiantes.unrc.edu.ar';
// How this suite polls: a process of the stack may answer with an error while it starts.
const POLL = { everyMs: 250, retryErrors: true };
let env: E2eEnvironment;
let stack: Stack;
let tap: BrokerTap;
const startedAt = Date.now();
let yearStartedAt = 0;
const gw = gatewayApi(() => stack);
const admin = (path: string) => `${stack.urls.sandboxAdmin}/_admin${path}`;

interface Lote {
  estado: string;
  total: number;
  completados: number;
  conAvisos: number;
  fallidos: number;
  ingesta: { nuevos: number; actualizados: number; bajas: number; retornos: number; bajasDesconocidas: unknown[] };
}
interface Alumno {
  alumnoId: string;
  dni: string;
  nombre: string;
  apellido: string;
  emailPersonal: string | null;
  emailInstitucional: string | null;
  estado: string;
  periodo: string;
  upn: string;
  workflow: { estado: string };
}
interface Ciclo {
  id: string;
  tipo: string;
  estado: string;
  motivo: string | null;
  avisos: string[];
  venceAt: string | null;
  pasos: { paso: string; estado: string; ultimoError: string | null; detalle: Record<string, unknown> | null }[];
}
interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  department: string | null;
  employeeId: string | null;
  state: 'active' | 'deleted' | 'purged';
  accountEnabled: boolean;
  assignedLicenses: { skuId: string }[];
}
interface MoodleUser {
  id: number;
  username: string;
  firstname: string;
  lastname: string;
  suspended: boolean;
}

// ---- the stack, SIAL and the gateway ----------------------------------------------------------------

/** Changes runtime keys through the gateway and waits for every service to apply the new version. */
async function configurar(valores: Record<string, unknown>): Promise<void> {
  const { version } = await gw.patch<{ version: number }>('/config', { motivo: 'e2e: el año académico', valores });
  for (const s of ['ingest-service', 'teams-service', 'moodle-service', 'mail-service'] as const) {
    const aplicada = await waitFor(
      async () => {
        const h = await getJson<{ details: { configuracion?: { version: number; rechazadas: object } } }>(
          `${stack.urls[s]}/health/ready`,
        ).catch(() => undefined);
        return h?.details.configuracion?.version === version && h.details.configuracion;
      },
      `${s} to apply configuration version ${version}`,
      { ...POLL, timeoutMs: 15_000 },
    );
    expect(aplicada.rechazadas).toEqual({});
  }
}

/**
 * A SIAL pull through the gateway, waited for until ingested and every student it set in motion settled. One
 * the safeguard holds (more leavers than umbralBajas allows) is approved when `aprobar` says how many leavers
 * its plan must show; held otherwise, it fails the test.
 */
async function pull({ aprobar }: { aprobar?: number } = {}): Promise<Lote> {
  const { loteId } = await gw.post<{ loteId: string }>('/sync/sial');
  return terminado(loteId, { aprobar });
}

/** Waits for a lote to be terminado (see pull: `aprobar` approves one the safeguard holds). */
function terminado(loteId: string, { aprobar }: { aprobar?: number } = {}): Promise<Lote> {
  return waitFor(
    async () => {
      const l = await gw.get<Lote & { error: string | null; plan: { acciones: { suspender: number } } | null }>(
        `/lotes/${loteId}`,
      );
      if (l.estado === 'fallido') throw new Error(`the pull failed: ${l.error}`);
      if (l.estado === 'esperando_aprobacion') {
        if (aprobar === undefined) throw new Error(`the pull was held for approval: ${JSON.stringify(l.plan)}`);
        expect(l.plan!.acciones.suspender).toBe(aprobar);
        await gw.post(`/lotes/${loteId}/aprobar`, { motivo: 'las bajas del año' });
      }
      return l.estado === 'terminado' && l;
    },
    `lote ${loteId} to be terminado`,
    { ...POLL, timeoutMs: 120_000, everyMs: 500 },
  );
}

const sial = {
  cambiar: (dni: string, cambios: Record<string, unknown>) => sendJson('PATCH', admin(`/sial/records/${dni}`), cambios),
  quitar: (dni: string) => sendJson('DELETE', admin(`/sial/records/${dni}`)),
  /** How many records each DNI (digits only, as ingest reads it) has across the three lists. */
  async registrosPorDni(): Promise<Map<string, number>> {
    const listas = await Promise.all(LISTAS.map((l) => getJson<{ dni: string }[]>(admin(`/sial/records/${l}`))));
    const n = new Map<string, number>();
    for (const r of listas.flat()) n.set(r.dni.replace(/\D/g, ''), (n.get(r.dni.replace(/\D/g, '')) ?? 0) + 1);
    return n;
  },
};

const ficha = (id: string) =>
  gw.get<{ alumno: Alumno; cuentas: { graphUserId: string }; ciclo: Ciclo[] }>(`/alumnos/${id}`);

/** The student's latest lifecycle workflow of a kind, once it is in one of `estados`. */
function cicloEn(a: Alumno, tipo: string, estados: string[], timeoutMs = 60_000): Promise<Ciclo> {
  return waitFor(
    async () => {
      const w = (await ficha(a.alumnoId)).ciclo.filter((c) => c.tipo === tipo).at(-1);
      return w && estados.includes(w.estado) && w;
    },
    `${a.dni}'s ${tipo} to be ${estados.join(' or ')}`,
    { ...POLL, timeoutMs },
  );
}

const paso = (w: Ciclo, nombre: string) => w.pasos.find((p) => p.paso === nombre)!;

/** A name as teams-service writes it into a UPN: no accents, lower case, letters and digits only. */
const comoEnUpn = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

// ---- the stand-ins ------------------------------------------------------------------------------------

const graphUsers = async () => (await getJson<{ users: GraphUser[] }>(admin('/graph/users'))).users;
/** The student's Entra users, by employeeId (the DNI), purged ones left out. */
const cuentasDe = async (a: Alumno) =>
  (await graphUsers()).filter((u) => u.employeeId === a.dni && u.state !== 'purged');
const cuentaDe = async (a: Alumno) => {
  const [u, ...otra] = await cuentasDe(a);
  expect(otra).toEqual([]);
  return u!;
};
/** Licence units held (Entra counts only live users' licences). */
const licencias = async () =>
  (await getJson<{ skus: { consumed: number }[] }>(admin('/graph/stats'))).skus.reduce((n, s) => n + s.consumed, 0);
const moodleDe = async (a: Alumno) => (await getJson<MoodleUser[]>(admin(`/moodle/users?username=${a.upn}`)))[0]!;
async function cursosDe(a: Alumno): Promise<string[]> {
  const [user, courses] = await Promise.all([
    moodleDe(a),
    getJson<{ id: number; shortname: string }[]>(admin('/moodle/courses')),
  ]);
  const enrolments = await getJson<{ courseid: number }[]>(admin(`/moodle/enrolments?userid=${user.id}`));
  return enrolments.map((e) => courses.find((c) => c.id === e.courseid)!.shortname).sort();
}
async function correosA(a: Alumno): Promise<number> {
  const inbox = await getJson<{ messages: { To: { Address: string }[] }[] }>(
    `${stack.urls.mailbox}/api/v1/messages?limit=100000`,
  );
  const mias = [a.emailPersonal, a.emailInstitucional].filter(Boolean).map((e) => e!.toLowerCase());
  return inbox.messages.filter((m) => mias.includes(m.To[0]!.Address.toLowerCase())).length;
}

/** The emails sent to the student, each as the inbox has it (subject and both bodies). */
async function mensajesA(a: Alumno): Promise<{ Subject: string; Text: string; HTML: string }[]> {
  const inbox = await getJson<{ messages: { ID: string; To: { Address: string }[] }[] }>(
    `${stack.urls.mailbox}/api/v1/messages?limit=100000`,
  );
  const mias = [a.emailPersonal, a.emailInstitucional].filter(Boolean).map((e) => e!.toLowerCase());
  const ids = inbox.messages.filter((m) => mias.includes(m.To[0]!.Address.toLowerCase())).map((m) => m.ID);
  return Promise.all(
    ids.map((id) =>
      getJson<{ Subject: string; Text: string; HTML: string }>(`${stack.urls.mailbox}/api/v1/messages/${id}`),
    ),
  );
}
const esAvisoDeRetorno = (m: { Subject: string }) => /activa de nuevo/.test(m.Subject);

async function sql<T = Record<string, unknown>>(text: string): Promise<T[]> {
  const db = new pg.Client({ connectionString: env.databaseUrl });
  await db.connect();
  try {
    return (await db.query(text)).rows as T[];
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  env = await e2eEnvironment('year');
  stack = await startStack({
    portBase: 5400,
    varDir: VAR_DIR,
    readyTimeoutMs: 150_000, // a service compiles its TypeScript as it starts: slow on a busy 2-core machine
    env: {
      RABBITMQ_URL: env.rabbitmqUrl,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/8`,
      RETRY_DELAYS_MS: '200,500,1000',
      LOG_LEVEL: 'info',
    },
    serviceEnv: env.serviceEnv({
      sandbox: { SANDBOX_SIAL_COHORT: String(COHORT), SANDBOX_SIAL_SEED: '2031' },
      // A leaver's grace in seconds, written in days as operators set it; the sweeper ends it within 0.5 s.
      gateway: { SWEEP_INTERVAL_MS: '500', GRACIA_BAJA_DIAS: String(GRACIA_S / 86_400) },
      'ingest-service': { BATCH_SIZE: '20' },
      'moodle-service': { MOODLE_RPM: '6000' },
    }),
  });
  tap = await BrokerTap.open([onEvents('#'), onCommands('#')], { url: env.rabbitmqUrl });
}, 240_000);

afterAll(async () => {
  await tap?.close();
  await stack?.stop();
  await env?.dispose();
}, 60_000);

describe('an academic year, end to end', () => {
  let alumnos: Alumno[];
  let licenciasAlEmpezar: number;
  /** Who does what over the year (chosen once the cohort is in). */
  let nombre: Alumno, apellido: Alumno, admitido: Alumno, otroPeriodo: Alumno;
  let vuelveEnGracia: Alumno, vuelveRestaurado: Alumno, vuelveTarde: Alumno, ausente: Alumno;
  /** Each student's Entra user as onboarding left it. */
  const cuentaInicial = new Map<string, GraphUser>();
  /** A leaver's Moodle courses when they left (kept while suspended). */
  const cursosAlIrse = new Map<string, string[]>();

  /**
   * What must hold after every step of the year: one Entra account per student (employeeId) and per UPN
   * among those not purged, with the UPN onboarding gave them (never changed); each Moodle enrolment once.
   */
  async function sinDuplicados() {
    const users = (await graphUsers()).filter((u) => u.state !== 'purged');
    const porDni = new Map<string, number>();
    for (const u of users) porDni.set(u.employeeId!, (porDni.get(u.employeeId!) ?? 0) + 1);
    expect([...porDni].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(users.length);
    for (const a of alumnos ?? [])
      for (const u of users.filter((x) => x.employeeId === a.dni)) expect(u.userPrincipalName).toBe(a.upn);
    const enrolments = await getJson<{ userid: number; courseid: number }[]>(admin('/moodle/enrolments'));
    const pares = enrolments.map((e) => `${e.userid}:${e.courseid}`);
    expect(new Set(pares).size).toBe(pares.length);
  }
  afterEach(sinDuplicados, 30_000);

  it(`onboards a SIAL cohort of ${COHORT}: one account, its courses and one credentials email each`, async () => {
    yearStartedAt = Date.now();
    // A UPN pattern with the surname, so a corrected surname would change it (and must not); courses per
    // estado and periodo; a student missing from two complete pulls in a row is taken as leaving.
    await configurar({
      upn: { patron: '{inicial}{apellido}.{dni}@{domain}', dominio: DOMINIO },
      cursos: {
        aspirante: { '*': ['ING-2027-INTRO'] },
        preinscripto: { '*': ['ING-2027-INTRO'] },
        ingresante: { '2027': ['ING-2027-MATE', 'ING-2027-ECO'], '2028': ['LE-101', 'LA-101'] },
      },
      cursosAnteriores: 'conservar',
      ausenciasParaBaja: 2,
    });
    const lote = await pull();
    expect(lote).toMatchObject({ fallidos: 0, ingesta: { bajas: 0, retornos: 0 } });
    expect(lote.total).toBeGreaterThanOrEqual(Math.floor(COHORT * 0.8)); // the cohort's awkward rows are refused
    alumnos = (await gw.get<{ items: Alumno[] }>('/alumnos?limit=200')).items;
    expect(alumnos).toHaveLength(lote.total);
    expect(lote.completados + lote.conAvisos).toBe(lote.total); // con avisos: a student with no email at all

    const users = await graphUsers();
    for (const a of alumnos) {
      const mine = users.filter((u) => u.employeeId === a.dni);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ userPrincipalName: a.upn, state: 'active', accountEnabled: true });
      expect(a.upn).toMatch(new RegExp(`\\.${a.dni}@${DOMINIO}$`));
      cuentaInicial.set(a.dni, mine[0]!);
    }
    licenciasAlEmpezar = await licencias();
    expect(licenciasAlEmpezar).toBe(alumnos.length);

    // The courses of each one's estado and periodo, each once; the credentials emailed once to each who has an address.
    const [moodleUsers, courses, enrolments] = await Promise.all([
      getJson<MoodleUser[]>(admin('/moodle/users')),
      getJson<{ id: number; shortname: string }[]>(admin('/moodle/courses')),
      getJson<{ userid: number; courseid: number }[]>(admin('/moodle/enrolments')),
    ]);
    for (const a of alumnos) {
      const user = moodleUsers.find((u) => u.username === a.upn)!;
      const cursos = enrolments
        .filter((e) => e.userid === user.id)
        .map((e) => courses.find((c) => c.id === e.courseid)!);
      expect(cursos.map((c) => c.shortname).sort()).toEqual(
        a.estado === 'ingresante' ? ['ING-2027-ECO', 'ING-2027-MATE'] : ['ING-2027-INTRO'],
      );
    }
    const inbox = await getJson<{ messages: { To: { Address: string }[] }[] }>(
      `${stack.urls.mailbox}/api/v1/messages?limit=100000`,
    );
    expect(inbox.messages).toHaveLength(lote.completados);
    expect(new Set(inbox.messages.map((m) => m.To[0]!.Address.toLowerCase())).size).toBe(lote.completados);

    // The cast: students with a credentials email, listed once in SIAL, with plain names.
    const registros = await sial.registrosPorDni();
    const elegibles = alumnos.filter(
      (a) =>
        a.workflow.estado === 'completado' &&
        registros.get(a.dni) === 1 &&
        /^[A-Za-zÁÉÍÓÚáéíóúÑñ]+$/.test(a.nombre) &&
        a.apellido.length < 30,
    );
    const tomar = (pred: (a: Alumno) => boolean) => {
      const i = elegibles.findIndex(pred);
      if (i < 0) throw new Error('the cohort has no student left for a part of the year: change the seed');
      return elegibles.splice(i, 1)[0]!;
    };
    const noIngresante = (a: Alumno) => a.estado !== 'ingresante';
    admitido = tomar(noIngresante);
    otroPeriodo = tomar((a) => a.estado === 'ingresante');
    nombre = tomar(() => true);
    apellido = tomar(() => true);
    [vuelveEnGracia, vuelveRestaurado, vuelveTarde, ausente] = [1, 2, 3, 4].map(() => tomar(() => true));
    expect(await cursosDe(admitido)).toEqual(['ING-2027-INTRO']);
    expect(await cursosDe(otroPeriodo)).toEqual(['ING-2027-ECO', 'ING-2027-MATE']);
    for (const a of [vuelveTarde, nombre]) expect(await correosA(a)).toBe(1);
  }, 240_000);

  it('propagates changes: names to the Entra and Moodle users, a new estado or periodo to its courses; no UPN changes', async () => {
    const nuevoNombre = `${nombre.nombre} Belén`; // same initial: the UPN the pattern gives is the same
    const nuevoApellido = `${apellido.apellido} Rivas`; // the pattern would give another UPN: an aviso
    await sial.cambiar(nombre.dni, { nombre: nuevoNombre });
    await sial.cambiar(apellido.dni, { apellido: nuevoApellido });
    await sial.cambiar(admitido.dni, { lista: 'ingresantes' }); // admitted: an ingresante of 2027
    await sial.cambiar(otroPeriodo.dni, { periodo: '2028' });

    // First a dry run: the plan says what the pull would do to whom, and nothing is done.
    const desde = (await sql<{ t: Date }>(`SELECT now() AS t`))[0]!.t.toISOString();
    const { loteId } = await gw.post<{ loteId: string }>('/sync/sial?simular=true');
    const simulado = await waitFor(
      async () => {
        const l = await gw.get<Lote & { error: string | null; plan: { completo: boolean; acciones: object } | null }>(
          `/lotes/${loteId}`,
        );
        if (l.estado === 'fallido') throw new Error(`the dry run failed: ${l.error}`);
        return l.estado === 'simulado' && l.plan?.completo && l;
      },
      `lote ${loteId} to be simulado`,
      { ...POLL, timeoutMs: 60_000 },
    );
    expect(simulado.plan!.acciones).toMatchObject({ crear: 0, actualizar: 4, suspender: 0, retornar: 0 });
    const plan = await gw.get<{
      total: number;
      items: { accion: string; alumnoId: string | null; cambios: { campo: string }[] }[];
    }>(`/lotes/${loteId}/plan?limit=200`);
    expect(plan.items).toHaveLength(plan.total);
    const TIPO_DE: Record<string, string> = { actualizar: 'actualizacion', suspender: 'baja', retornar: 'retorno' };
    const planeado = plan.items
      .filter((i) => TIPO_DE[i.accion])
      .map((i) => `${i.alumnoId} ${TIPO_DE[i.accion]}`)
      .sort();
    expect(planeado).toEqual(
      [nombre, apellido, admitido, otroPeriodo].map((a) => `${a.alumnoId} actualizacion`).sort(),
    );
    const campos = (a: Alumno) =>
      plan.items
        .find((i) => i.alumnoId === a.alumnoId)!
        .cambios.map((c) => c.campo)
        .sort();
    expect(campos(nombre)).toEqual(['nombre']);
    expect(campos(apellido)).toEqual(['apellido']);
    expect(campos(otroPeriodo)).toEqual(['periodo']);
    expect(campos(admitido)).toEqual(expect.arrayContaining(['estado']));
    expect(plan.items.filter((i) => i.accion === 'crear')).toEqual([]);
    // Nothing done: no workflow started, the accounts and Moodle users as they were.
    expect(await sql(`SELECT id FROM gateway.workflow WHERE created_at >= '${desde}'`)).toEqual([]);
    expect((await cuentaDe(nombre)).givenName).toBe(cuentaInicial.get(nombre.dni)!.givenName);
    expect((await moodleDe(apellido)).lastname).toBe(apellido.apellido);
    expect(await cursosDe(otroPeriodo)).toEqual(['ING-2027-ECO', 'ING-2027-MATE']);

    // Confirmed: the run does what the plan said, to whom it said — one workflow of each planned kind per student.
    await gw.post(`/lotes/${loteId}/confirmar`, { motivo: 'e2e: el plan simulado' });
    const lote = await terminado(loteId);
    expect(lote.ingesta).toMatchObject({ nuevos: 0, actualizados: 4, bajas: 0, retornos: 0 });
    const hecho = await waitFor(
      async () => {
        const filas = await sql<{ alumno_id: string; tipo: string }>(
          `SELECT alumno_id, tipo FROM gateway.workflow WHERE created_at >= '${desde}'`,
        );
        return filas.length >= planeado.length && filas.map((w) => `${w.alumno_id} ${w.tipo}`).sort();
      },
      'the confirmed run’s workflows',
      POLL,
    );
    expect(hecho).toEqual(planeado);

    const sinAviso = await cicloEn(nombre, 'actualizacion', ['completado', 'completado_con_avisos']);
    expect(sinAviso).toMatchObject({ estado: 'completado', avisos: [] });
    expect(paso(sinAviso, 'actualizar_inscripciones').estado).toBe('omitido');
    expect(await cuentaDe(nombre)).toMatchObject({
      id: cuentaInicial.get(nombre.dni)!.id,
      userPrincipalName: nombre.upn,
      givenName: nuevoNombre,
      displayName: `${nuevoNombre} ${nombre.apellido}`,
    });
    expect((await moodleDe(nombre)).firstname).toBe(nuevoNombre);

    const conAviso = await cicloEn(apellido, 'actualizacion', ['completado', 'completado_con_avisos']);
    const sugerido = `${apellido.upn[0]}${comoEnUpn(nuevoApellido)}.${apellido.dni}@${DOMINIO}`;
    expect(conAviso.estado).toBe('completado_con_avisos');
    expect(conAviso.avisos).toEqual([expect.stringContaining(sugerido)]);
    expect(await cuentaDe(apellido)).toMatchObject({
      id: cuentaInicial.get(apellido.dni)!.id,
      userPrincipalName: apellido.upn, // suggested, never changed
      surname: nuevoApellido,
      displayName: `${apellido.nombre} ${nuevoApellido}`,
    });
    expect((await moodleDe(apellido)).lastname).toBe(nuevoApellido);

    // A new estado enrols its courses, a new periodo its own; the previous ones are kept (cursosAnteriores).
    for (const [a, cursos] of [
      [admitido, ['ING-2027-ECO', 'ING-2027-INTRO', 'ING-2027-MATE']],
      [otroPeriodo, ['ING-2027-ECO', 'ING-2027-MATE', 'LA-101', 'LE-101']],
    ] as const) {
      const w = await cicloEn(a, 'actualizacion', ['completado', 'completado_con_avisos']);
      expect(w).toMatchObject({ estado: 'completado', avisos: [] });
      expect(paso(w, 'actualizar_inscripciones').estado).toBe('completado');
      expect(await cursosDe(a)).toEqual(cursos);
      expect((await cuentaDe(a)).userPrincipalName).toBe(a.upn);
    }
    const ahora = await gw.get<{ items: Alumno[] }>('/alumnos?limit=200');
    expect(ahora.items.find((a) => a.dni === admitido.dni)).toMatchObject({ estado: 'ingresante', upn: admitido.upn });
    expect(ahora.items.find((a) => a.dni === otroPeriodo.dni)).toMatchObject({ periodo: '2028' });
  }, 120_000);

  it("enrols a student in an operator's courses: the new one added, one they had not enrolled twice", async () => {
    const r = await gw.post(`/alumnos/${admitido.alumnoId}/inscripciones`, { cursos: ['ING-2027-INTRO', 'CP-101'] });
    expect(r).toMatchObject({ accion: 'inscribir', iniciado: true });
    const w = await cicloEn(admitido, 'inscripcion', ['completado', 'completado_con_avisos', 'fallido']);
    expect(w.estado).toBe('completado');
    expect(await cursosDe(admitido)).toEqual(['CP-101', 'ING-2027-ECO', 'ING-2027-INTRO', 'ING-2027-MATE']);
  }, 60_000);

  it('suspends the leavers (marked baja or egresado, or absent from two complete pulls): account disabled, Moodle user suspended, licence kept', async () => {
    await sial.quitar(ausente.dni);
    const primeraAusencia = await pull();
    expect(primeraAusencia.ingesta.bajas).toBe(0); // one absence is not a leave
    expect((await ficha(ausente.alumnoId)).ciclo).toEqual([]);

    await sial.cambiar(vuelveEnGracia.dni, { estado: 'baja' });
    await sial.cambiar(vuelveRestaurado.dni, { estado: 'egresado' });
    await sial.cambiar(vuelveTarde.dni, { estado: 'baja' });
    // Four leavers of 37 active students is more than the safeguard's 5 %: the pull waits with its plan
    // until an operator approves it, and then does what the plan said.
    const lote = await pull({ aprobar: 4 });
    expect(lote.ingesta).toMatchObject({ bajas: 4, retornos: 0, actualizados: 0 });
    expect((lote as Lote & { plan: unknown }).plan).toMatchObject({
      simulado: false,
      retencion: { bajas: 4, activos: 37 },
      resolucion: { accion: 'aprobado', por: 'admin' },
    });

    const motivos = new Map([
      [vuelveEnGracia, 'baja'],
      [vuelveRestaurado, 'egresado'],
      [vuelveTarde, 'baja'],
      [ausente, 'ausente'],
    ]);
    for (const [a, motivo] of motivos) {
      const baja = await cicloEn(a, 'baja', ['suspendido']);
      expect(baja.motivo).toBe(motivo);
      expect(Date.parse(baja.venceAt!) - Date.now()).toBeLessThanOrEqual(GRACIA_S * 1000);
      const u = await cuentaDe(a);
      expect(u).toMatchObject({ id: cuentaInicial.get(a.dni)!.id, state: 'active', accountEnabled: false });
      expect(u.assignedLicenses).toHaveLength(1);
      expect((await moodleDe(a)).suspended).toBe(true);
      cursosAlIrse.set(a.dni, await cursosDe(a));
    }
    expect(await licencias()).toBe(licenciasAlEmpezar);
  }, 120_000);

  it('takes back a leaver who returns within the grace: the leave closed, the same account enabled, the return email', async () => {
    const a = vuelveEnGracia;
    const baja = await cicloEn(a, 'baja', ['suspendido']);
    const margen = Date.parse(baja.venceAt!) - Date.now();
    expect(margen).toBeGreaterThan(2000); // else this machine is too slow for GRACIA_S
    // Back with a new first name (same initial: the same UPN): applied to the account they keep.
    const vuelveComo = `${a.nombre} Inés`;
    await sial.cambiar(a.dni, { estado: a.estado, nombre: vuelveComo });
    const lote = await pull();
    expect(lote.ingesta).toMatchObject({ retornos: 1, bajas: 0 });
    const cerrada = await cicloEn(a, 'baja', ['cancelado', 'completado', 'completado_con_avisos', 'fallido']);
    expect(cerrada.estado).toBe('cancelado');
    expect(paso(cerrada, 'eliminar_cuenta').estado).toBe('pendiente');
    const retorno = await cicloEn(a, 'retorno', ['completado', 'completado_con_avisos', 'fallido']);
    expect(retorno.estado).toBe('completado');
    expect(paso(retorno, 'habilitar_cuenta').detalle).toMatchObject({ restaurada: false });
    expect(await cuentaDe(a)).toMatchObject({
      id: cuentaInicial.get(a.dni)!.id,
      state: 'active',
      accountEnabled: true,
      givenName: vuelveComo,
      userPrincipalName: a.upn,
    });
    expect(await moodleDe(a)).toMatchObject({ suspended: false, firstname: vuelveComo });
    expect((await ficha(a.alumnoId)).ciclo.map((c) => c.tipo)).toEqual(['baja', 'retorno']);
    expect((await ficha(a.alumnoId)).alumno).toMatchObject({ nombre: vuelveComo });
    // Told that their account is active again: their UPN, no password (the account kept its own).
    expect(paso(retorno, 'avisar_retorno').estado).toBe('completado');
    const avisos = (await mensajesA(a)).filter(esAvisoDeRetorno);
    expect(avisos).toHaveLength(1);
    expect(avisos[0]!.Text).toContain(a.upn);
    expect(avisos[0]!.Text).not.toMatch(/contraseña temporal/i);
  }, 60_000);

  it('deletes the other leavers once the grace is over: Entra soft delete, licence freed', async () => {
    const idos = [vuelveRestaurado, vuelveTarde, ausente];
    for (const a of idos) {
      const baja = await cicloEn(a, 'baja', ['completado', 'completado_con_avisos', 'fallido', 'cancelado'], 60_000);
      expect(baja.estado).toBe('completado');
      expect(paso(baja, 'eliminar_cuenta').estado).toBe('completado');
      const u = await cuentaDe(a);
      expect(u).toMatchObject({ id: cuentaInicial.get(a.dni)!.id, userPrincipalName: a.upn, state: 'deleted' });
    }
    expect(await licencias()).toBe(licenciasAlEmpezar - idos.length);
    // Moodle keeps the suspended user and their courses (their work) for a possible return.
    for (const a of idos) {
      expect((await moodleDe(a)).suspended).toBe(true);
      expect(await cursosDe(a)).toEqual(cursosAlIrse.get(a.dni));
    }
  }, 90_000);

  it("restores a leaver who returns within Entra's 30 days: the same object id and UPN, its licence back", async () => {
    const a = vuelveRestaurado;
    // Back in another periodo, with a new first name (same initial): applied once the account is restored.
    const vuelveComo = `${a.nombre} Sol`;
    await sial.cambiar(a.dni, { estado: a.estado, nombre: vuelveComo, periodo: '2028' });
    const lote = await pull();
    expect(lote.ingesta).toMatchObject({ retornos: 1 });
    const retorno = await cicloEn(a, 'retorno', ['completado', 'completado_con_avisos', 'fallido']);
    expect(retorno.estado).toBe('completado');
    for (const p of ['actualizar_cuenta', 'actualizar_moodle', 'actualizar_inscripciones'])
      expect(paso(retorno, p).estado).toBe('completado');
    expect(await cuentaDe(a)).toMatchObject({ givenName: vuelveComo });
    expect((await moodleDe(a)).firstname).toBe(vuelveComo);
    expect((await ficha(a.alumnoId)).alumno).toMatchObject({ nombre: vuelveComo, periodo: '2028' });
    expect(paso(retorno, 'habilitar_cuenta').detalle).toMatchObject({
      restaurada: true,
      graphUserId: cuentaInicial.get(a.dni)!.id,
    });
    expect(await cuentaDe(a)).toMatchObject({
      id: cuentaInicial.get(a.dni)!.id,
      userPrincipalName: a.upn,
      state: 'active',
      accountEnabled: true,
    });
    expect(await licencias()).toBe(licenciasAlEmpezar - 2); // the two other leavers' accounts are still deleted
    expect((await moodleDe(a)).suspended).toBe(false);
    // The courses they had are kept; those of the new periodo added.
    expect(await cursosDe(a)).toEqual(expect.arrayContaining(cursosAlIrse.get(a.dni)!));
    // The same account: the student's password still works. Besides their credentials email, one more:
    // their account is active again, with their UPN and no password.
    expect(paso(retorno, 'avisar_retorno').estado).toBe('completado');
    const mensajes = await mensajesA(a);
    expect(mensajes).toHaveLength(2);
    const avisos = mensajes.filter(esAvisoDeRetorno);
    expect(avisos).toHaveLength(1);
    expect(avisos[0]!.Text).toContain(a.upn);
    expect(avisos[0]!.HTML).toContain(a.upn);
    expect(avisos[0]!.Text).not.toMatch(/contraseña temporal/i);
  }, 60_000);

  it('onboards again a leaver who returns after the window: a new account and a new credentials email', async () => {
    const a = vuelveTarde;
    // Entra's 30 days, over at once: the deleted users are purged.
    await postJson(admin('/graph/config'), { deletedItemsRetentionSeconds: 0 });
    expect(await cuentasDe(a)).toEqual([]);
    await sial.cambiar(a.dni, { estado: a.estado });
    const lote = await pull();
    expect(lote.ingesta).toMatchObject({ retornos: 1 });
    const retorno = await cicloEn(a, 'retorno', ['completado', 'completado_con_avisos', 'fallido']);
    expect(retorno.estado).toBe('completado');
    expect(paso(retorno, 'habilitar_cuenta')).toMatchObject({ estado: 'fallido' });
    expect(paso(retorno, 'avisar_retorno').estado).toBe('pendiente'); // the new credentials email says it all
    const onboarding = await waitFor(
      async () => {
        const f = await gw.get(`/alumnos/${a.alumnoId}`);
        return f.workflow.estado === 'completado' && (await correosA(a)) === 2 && f;
      },
      `${a.dni} onboarded again`,
      { ...POLL, timeoutMs: 60_000 },
    );
    const nueva = await cuentaDe(a);
    expect(nueva).toMatchObject({ userPrincipalName: a.upn, state: 'active', accountEnabled: true });
    expect(nueva.id).not.toBe(cuentaInicial.get(a.dni)!.id);
    expect(nueva.assignedLicenses).toHaveLength(1);
    expect(onboarding.cuentas.graphUserId).toBe(nueva.id);
    expect(await licencias()).toBe(licenciasAlEmpezar - 1); // the absent student's account stays deleted
    expect((await moodleDe(a)).suspended).toBe(false);
    expect(await cursosDe(a)).toEqual(cursosAlIrse.get(a.dni)); // the same Moodle user, each course once
    expect((await mensajesA(a)).filter(esAvisoDeRetorno)).toEqual([]);
  }, 90_000);

  it('never gave anyone two accounts or an enrolment twice, left no password in clear, and settled every workflow', async () => {
    await sinDuplicados(); // also after every step (afterEach)
    expect((await gw.get<{ aparcados: number }[]>('/dlq')).filter((s) => s.aparcados > 0)).toEqual([]);

    const workflows = await sql<{ tipo: string; estado: string; n: string }>(
      `SELECT tipo, estado, count(*) AS n FROM gateway.workflow GROUP BY tipo, estado ORDER BY tipo, estado`,
    );
    const terminales = ['completado', 'completado_con_avisos', 'fallido', 'compensado', 'cancelado'];
    expect(workflows.filter((w) => !terminales.includes(w.estado))).toEqual([]);
    expect(workflows.filter((w) => w.estado === 'fallido')).toEqual([]);

    // Every temporary password, read from the emails that carried it, is nowhere else.
    const inbox = await getJson<{ messages: { ID: string }[] }>(`${stack.urls.mailbox}/api/v1/messages?limit=100000`);
    const passwords: string[] = [];
    let avisosDeRetorno = 0;
    for (const m of inbox.messages) {
      const full = await getJson<{ Subject: string; Text: string }>(`${stack.urls.mailbox}/api/v1/messages/${m.ID}`);
      if (esAvisoDeRetorno(full)) avisosDeRetorno++;
      const found = /contraseña temporal[^:\n]*:\s*(\S{8,})/i.exec(full.Text);
      if (found) passwords.push(found[1]!);
    }
    // Two return emails (the student back within the grace, the restored one); every other email carries a
    // temporary password.
    expect(avisosDeRetorno).toBe(2);
    expect(passwords.length).toBe(inbox.messages.length - avisosDeRetorno);
    const logs = readdirSync(join(VAR_DIR, 'log'))
      .map((f) => readFileSync(join(VAR_DIR, 'log', f), 'utf8'))
      .join('\n');
    const tablas = await sql<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('gateway','ingest','teams','moodle','mail')`,
    );
    let filas = '';
    for (const t of tablas) filas += JSON.stringify(await sql(`SELECT * FROM "${t.table_schema}"."${t.table_name}"`));
    const broker = tap.messages.map((m) => m.body).join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    expect(filas.length).toBeGreaterThan(1000);
    for (const pw of passwords) {
      expect(logs.includes(pw)).toBe(false);
      expect(filas.includes(pw)).toBe(false);
      expect(broker.includes(pw)).toBe(false);
    }

    const porTipo: Record<string, number> = {};
    for (const w of workflows) porTipo[w.tipo] = (porTipo[w.tipo] ?? 0) + Number(w.n);
    console.log(
      `[e2e year] ${alumnos.length} students; workflows ${Object.entries(porTipo)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}; ${inbox.messages.length} emails; ${tap.messages.length} broker messages; ` +
        `the year in ${((Date.now() - yearStartedAt) / 1000).toFixed(1)} s (grace ${GRACIA_S} s), ` +
        `${((Date.now() - startedAt) / 1000).toFixed(1)} s with the stack's start`,
    );
    // Every workflow the year started is one this suite asked for, and nothing else was started.
    expect(porTipo).toEqual({ onboarding: alumnos.length, actualizacion: 4, inscripcion: 1, baja: 4, retorno: 3 });
  }, 120_000);
});
