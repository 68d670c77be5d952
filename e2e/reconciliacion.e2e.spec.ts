// Reconciliation end to end: a cohort onboarded from SIAL, then the outside world drifts on purpose — an
// account deleted, a licence removed, an account disabled and renamed, an enrolment removed, a user and an
// enrolment Lucy never made — through Graph's and Moodle's own APIs, as an administrator would. A run reports
// each difference by kind, the repair starts the lifecycle's workflows, and the next run finds only the
// orphans, which nobody touched. Every service runs as its own process (ports 6020–6036, a vhost and a
// database of this suite's own).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { getJson, waitFor } from '@lucy/testing';
import { startStack, ROOT, type Stack } from '../tools/stack.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { gatewayApi } from './support/gateway-api.js';

// Not 6000 itself: fetch refuses it (X11 is on the Fetch standard’s list of bad ports).
const PORT_BASE = 6020;
const VAR_DIR = join(ROOT, 'var', 'e2e-reconciliacion');
const DOMINIO = 'estudiantes.unrc.edu.ar';
const TENANT = '7d3c1f5e-2a4b-4c6d-8e9f-0a1b2c3d4e5f';
const SKU = '314c4481-f395-4525-be8b-2ec4bb1e9d91';
const POLL = { everyMs: 250, retryErrors: true };
const IDENTITY = `https://127.0.0.1:${PORT_BASE + 11}`;
const GRAPH = `https://127.0.0.1:${PORT_BASE + 12}/v1.0`;
const MOODLE_WS = `http://127.0.0.1:${PORT_BASE + 13}/webservice/rest/server.php`;

let env: E2eEnvironment;
let stack: Stack;
const gw = gatewayApi(() => stack);
const admin = (path: string) => `${stack.urls.sandboxAdmin}/_admin${path}`;

interface Reconciliacion {
  id: string;
  estado: 'en_curso' | 'terminada' | 'fallida';
  diferencias: number;
  porTipo: Record<string, number>;
  sistemas: Record<string, { estado: string; completa?: boolean }>;
  error: string | null;
  items: {
    total: number;
    items: {
      alumno: string | null;
      sistema: string;
      tipo: string;
      referencia: string;
      esperado: string | null;
      encontrado: string | null;
    }[];
  };
}

/** A run through the API, waited for until it is no longer en_curso. */
async function reconciliar(): Promise<Reconciliacion> {
  const { id } = await gw.post<{ id: string }>('/reconciliaciones', { reparar: false });
  const r = await waitFor(
    async () => {
      const r = await gw.get<Reconciliacion>(`/reconciliaciones/${id}?limit=200`);
      return r.estado !== 'en_curso' && r;
    },
    `reconciliation ${id} to finish`,
    { ...POLL, timeoutMs: 60_000 },
  );
  expect(r).toMatchObject({ estado: 'terminada', error: null });
  return r;
}

// ---- Graph and Moodle as an administrator uses them -----------------------------------------------------

let token: string;
async function graph<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  return getJson<T>(`${GRAPH}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function moodle<T = any>(wsfunction: string, params: Record<string, string>): Promise<T> {
  const body = new URLSearchParams({
    wstoken: 'sandbox-moodle-token',
    wsfunction,
    moodlewsrestformat: 'json',
    ...params,
  });
  const res = await getJson<T>(MOODLE_WS, { method: 'POST', body });
  if (res && typeof res === 'object' && 'exception' in res) throw new Error(`${wsfunction}: ${JSON.stringify(res)}`);
  return res;
}

beforeAll(async () => {
  env = await e2eEnvironment('reconciliacion');
  stack = await startStack({
    portBase: PORT_BASE,
    varDir: VAR_DIR,
    readyTimeoutMs: 360_000, // each service compiles its TypeScript as it starts: slow on a busy 2-core machine
    env: {
      RABBITMQ_URL: env.rabbitmqUrl,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/9`,
      RETRY_DELAYS_MS: '200,500,1000',
      LOG_LEVEL: 'info',
    },
    serviceEnv: env.serviceEnv({
      sandbox: { SANDBOX_SIAL_COHORT: '10', SANDBOX_SIAL_SEED: '77' },
      gateway: { SWEEP_INTERVAL_MS: '500' },
    }),
  });
  // The sandbox's CA, for this process's fetch to Graph.
  tls.setDefaultCACertificates([
    ...tls.getCACertificates('default'),
    readFileSync(join(VAR_DIR, 'sandbox', 'tls', 'ca.pem'), 'utf8'),
  ]);
  const t = await getJson<{ access_token: string }>(`${IDENTITY}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: '3f8a5c2e-9b1d-4e7a-a6c4-1d2e3f4a5b6c',
      client_secret: 'lucy-sandbox~dev-secret-0000000000000000',
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  token = t.access_token;
}, 480_000);

afterAll(async () => {
  await stack?.stop();
  await env?.dispose();
}, 60_000);

describe('reconciliation, end to end', () => {
  let alumnos: { alumnoId: string; upn: string }[];
  let deriva: Reconciliacion;
  let onboardedAt = 0;

  it('onboards a cohort, and a first run (every user read) finds nothing to say', async () => {
    const { loteId } = await gw.post<{ loteId: string }>('/sync/sial');
    await waitFor(
      async () => (await gw.get<{ estado: string }>(`/lotes/${loteId}`)).estado === 'terminado',
      'the pull to settle',
      { ...POLL, timeoutMs: 120_000 },
    );
    const page = await gw.get<{ items: { alumnoId: string; upn: string | null; workflow: { estado: string } }[] }>(
      `/alumnos?loteId=${loteId}&limit=50`,
    );
    onboardedAt = Date.now();
    alumnos = page.items.filter((a) => a.upn && a.workflow.estado.startsWith('completado')) as typeof alumnos;
    expect(alumnos.length).toBeGreaterThanOrEqual(4);
    const r = await reconciliar();
    expect(r.sistemas.entra.completa).toBe(true);
    expect(r.porTipo).toEqual({});
    expect(r.diferencias).toBe(0);
  }, 180_000);

  it('reports each drift by kind, from an incremental round', async () => {
    const [borrado, sinLicencia, tocado, desenrolado] = alumnos;
    const userDe = async (upn: string) =>
      (
        await getJson<{ users: { id: string }[] }>(
          admin(`/graph/users?state=active&userPrincipalName=${encodeURIComponent(upn)}`),
        )
      ).users[0];
    await graph('DELETE', `/users/${(await userDe(borrado.upn)).id}`);
    await graph('POST', `/users/${(await userDe(sinLicencia.upn)).id}/assignLicense`, {
      addLicenses: [],
      removeLicenses: [SKU],
    });
    await graph('PATCH', `/users/${(await userDe(tocado.upn)).id}`, { surname: 'Cambiado', accountEnabled: false });
    await graph('POST', '/users', {
      accountEnabled: true,
      displayName: 'Intruso',
      mailNickname: 'intruso',
      userPrincipalName: `intruso@${DOMINIO}`,
      passwordProfile: { password: 'Xy7!kPq9#mLw2$vT', forceChangePasswordNextSignIn: true },
    });
    const [mu] = await getJson<{ id: number }[]>(
      admin(`/moodle/users?username=${encodeURIComponent(desenrolado.upn.toLowerCase())}`),
    );
    const { enrolments } = await getJson<{ enrolments: { courseid: number }[] }>(admin(`/moodle/users/${mu.id}`));
    const curso = enrolments[0].courseid;
    await moodle('enrol_manual_unenrol_users', {
      'enrolments[0][userid]': String(mu.id),
      'enrolments[0][courseid]': String(curso),
    });
    const [otro] = await moodle<{ id: number }[]>('core_user_create_users', {
      'users[0][username]': 'intrusa',
      'users[0][auth]': 'oauth2',
      'users[0][firstname]': 'Intrusa',
      'users[0][lastname]': 'Moodle',
      'users[0][email]': 'intrusa@example.com',
    });
    await moodle('enrol_manual_enrol_users', {
      'enrolments[0][roleid]': '5',
      'enrolments[0][userid]': String(otro.id),
      'enrolments[0][courseid]': String(curso),
    });

    deriva = await reconciliar();
    expect(deriva.sistemas.entra.completa).toBe(false);
    expect(deriva.porTipo).toEqual({
      cuenta_faltante: 1,
      licencia_faltante: 1,
      cuenta_deshabilitada: 1,
      datos_distintos: 1,
      inscripcion_faltante: 1,
      huerfano: 2,
    });
    expect(deriva.diferencias).toBe(7);
    const de = (tipo: string) => deriva.items.items.filter((i) => i.tipo === tipo);
    expect(de('cuenta_faltante')).toEqual([
      expect.objectContaining({ alumno: borrado.alumnoId, sistema: 'entra', esperado: borrado.upn, encontrado: null }),
    ]);
    expect(de('licencia_faltante')[0].alumno).toBe(sinLicencia.alumnoId);
    expect(de('datos_distintos')[0]).toMatchObject({ alumno: tocado.alumnoId, encontrado: 'surname=Cambiado' });
    expect(de('inscripcion_faltante')[0]).toMatchObject({ alumno: desenrolado.alumnoId, sistema: 'moodle' });
    expect(de('huerfano').map((i) => [i.sistema, i.alumno])).toEqual([
      ['entra', null],
      ['moodle', null],
    ]);
    const solo = await gw.get<Reconciliacion>(`/reconciliaciones/${deriva.id}?tipo=huerfano&limit=1`);
    expect(solo.items).toMatchObject({ total: 2, items: [expect.objectContaining({ tipo: 'huerfano' })] });
  }, 120_000);

  it('previews the repair, repairs with the lifecycle’s workflows, and the next run finds only the orphans', async () => {
    const plan = await gw.post<{
      simulacion: boolean;
      alumnos: { alumnoId: string; pasos: string[] }[];
      sinReparar: { tipo: string }[];
    }>(`/reconciliaciones/${deriva.id}/reparar`, { simular: true });
    expect(plan.simulacion).toBe(true);
    expect(plan.sinReparar.map((s) => s.tipo)).toEqual(['huerfano', 'huerfano']);
    const pasos = Object.fromEntries(plan.alumnos.map((a) => [a.alumnoId, a.pasos]));
    expect(pasos[alumnos[0].alumnoId]).toEqual(['habilitar_cuenta']);
    expect(pasos[alumnos[1].alumnoId]).toEqual(['habilitar_cuenta']);
    expect(pasos[alumnos[2].alumnoId]).toEqual(['habilitar_cuenta', 'actualizar_cuenta']);
    expect(pasos[alumnos[3].alumnoId]).toEqual(['inscribir_cursos']);
    expect((await gw.get<{ total: number }>('/workflows?tipo=reparacion')).total).toBe(0);

    // teams-service reads a 404 within two minutes of its last write to an account as Entra's replication lag
    // (retried), not as absence: the account deleted right after its onboarding is restored once that passed.
    await new Promise((r) => setTimeout(r, Math.max(0, onboardedAt + 125_000 - Date.now())));
    const hecho = await gw.post<{ iniciados: number; rechazados: number }>(
      `/reconciliaciones/${deriva.id}/reparar`,
      {},
    );
    expect(hecho).toMatchObject({ iniciados: 4, rechazados: 0 });
    const workflows = await waitFor(
      async () => {
        const p = await gw.get<{ items: { estado: string }[] }>('/workflows?tipo=reparacion&limit=50');
        return p.items.length === 4 && p.items.every((w) => w.estado !== 'en_curso') && p.items;
      },
      'the repair workflows to finish',
      { ...POLL, timeoutMs: 60_000 },
    );
    expect(workflows.map((w) => w.estado)).toEqual(['completado', 'completado', 'completado', 'completado']);

    const despues = await reconciliar();
    expect(despues.porTipo).toEqual({ huerfano: 2 });
    // The orphans are where they were: reported again, never touched.
    const intruso = await getJson<{ users: { state: string }[] }>(
      admin(`/graph/users?userPrincipalName=intruso@${DOMINIO}`),
    );
    expect(intruso.users.map((u) => u.state)).toEqual(['active']);
  }, 300_000);

  it('refuses bad input with a problem+json 400; a second repair of the same run starts nothing', async () => {
    const url = `${stack.urls.gateway}/api/v1/reconciliaciones`;
    const headers = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
    for (const [path, body] of [
      ['', { reparar: 'sí' }],
      ['', { reparar: false, otra: 1 }],
      ['', {}],
      [`/${deriva.id}/reparar`, { simular: 'true' }],
    ] as const) {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const mal = await fetch(`${url}/no-es-un-id`, { headers });
    expect(mal.status).toBe(400);
    const otra = await fetch(`${url}/${deriva.id}/reparar`, { method: 'POST', headers, body: '{}' });
    expect(otra.status).toBe(202);
    expect(await otra.json()).toMatchObject({ iniciados: 0, rechazados: 0, yaIniciados: 4, alumnos: [] });
    expect((await gw.get<{ total: number }>('/workflows?tipo=reparacion')).total).toBe(4);
  });
});
