// The dashboard in a real browser (Debian's Chromium driven by playwright-core) against the whole stack as
// separate processes: sign in, see every service, upload a CSV with a column mapping and watch it reach
// 100 %, preview an upload's plan and confirm it, upload a OneRoster 1.1 zip (a refused one with why; a
// good one's plan, then its lote), open a student's timeline, reset an open breaker, replay a parked message, edit the runtime
// configuration through its form and watch every service apply it, keep an edit through a conflict, give
// a key back to the services' environment, set the operators' alerts, keep the academic calendar and
// follow the scheduled jobs; as an operator, reconcile after Moodle drifted (the report, filtered; the
// repair previewed, then started) and simulate a retention run; as a viewer, read both reports with no
// button that acts.
// Each step saves a screenshot under artifacts/screenshots/ (CI keeps them).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DesenrolarMoodle } from '@lucy/contracts';
import { parkedQueueName } from '@lucy/messaging';
import { BrokerTap, getJson, postJson, putJson, waitFor, zipDe } from '@lucy/testing';
import { startStack, ROOT, type Stack } from '../tools/stack.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { gatewayApi } from './support/gateway-api.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'artifacts', 'screenshots');
const VAR_DIR = join(ROOT, 'var', 'e2e-dashboard');
const POLL = { everyMs: 500, retryErrors: true };
// Another copy of this suite (a second checkout) can run beside it on ports, a vhost and a database of
// its own: E2E_DASHBOARD_PORT_BASE=<base> (the stack takes base+0..4 and base+10..16).
const PORT_BASE = Number(process.env.E2E_DASHBOARD_PORT_BASE ?? 5300);

let env: E2eEnvironment;
let stack: Stack;
let tap: BrokerTap;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const gw = gatewayApi(() => stack);
const admin = (path: string) => `${stack.urls.sandboxAdmin}/_admin${path}`;

/** Students of the uploaded file: fresh DNIs each run (the sandbox's tenant keeps its users in var/). */
const dniBase = 30_000_000 + Math.floor(Math.random() * 60_000_000);
const alumnos = ['Ana;Pérez', 'Bruno;Gómez', 'Carla;Díaz', 'Diego;Ruiz'].map((n, i) => {
  const [nombre, apellido] = n.split(';');
  return { dni: String(dniBase + i), nombre, apellido };
});

function serviceUrls(base: number): Record<string, string> {
  const port = { INGEST_SERVICE_URL: 1, TEAMS_SERVICE_URL: 2, MOODLE_SERVICE_URL: 3, MAIL_SERVICE_URL: 4 };
  return Object.fromEntries(Object.entries(port).map(([k, n]) => [k, `http://127.0.0.1:${base + n}`]));
}

/** A section of the top navigation (a page may have links with the same words). */
const ir = (seccion: string) =>
  page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: seccion, exact: true }).click();

const shot = (name: string, p: Page = page) => p.screenshot({ path: join(SHOTS, name), fullPage: true });

beforeAll(async () => {
  // No browser, no test: say so instead of passing without having looked at anything.
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the dashboard's browser test needs it. Install Debian's chromium (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  env = await e2eEnvironment(PORT_BASE === 5300 ? 'dashboard' : `dashboard-${PORT_BASE}`);
  stack = await startStack({
    portBase: PORT_BASE,
    varDir: VAR_DIR,
    env: {
      RABBITMQ_URL: env.rabbitmqUrl,
      DATABASE_URL: env.databaseUrl,
      RETRY_DELAYS_MS: '200,500,1000',
      LOG_LEVEL: 'info',
    },
    serviceEnv: env.serviceEnv({
      // The gateway finds each service's /health/ready by URL; the stack's defaults assume the 3000 layout.
      gateway: { SWEEP_INTERVAL_MS: '1000', ...serviceUrls(PORT_BASE) },
      // A breaker that opens on a few failed Graph calls — whatever successes the earlier steps left in its
      // window — and stays open until an operator resets it.
      'teams-service': {
        GRAPH_BREAKER_VOLUME_THRESHOLD: '2',
        GRAPH_BREAKER_ERROR_THRESHOLD_PERCENTAGE: '20',
        GRAPH_BREAKER_ROLLING_COUNT_TIMEOUT_MS: '2000',
        GRAPH_BREAKER_RESET_TIMEOUT_MS: '600000',
      },
    }),
  });
  tap = await BrokerTap.open([], { url: env.rabbitmqUrl });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'es-AR' });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.setDefaultTimeout(20_000);
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await tap?.close();
  await stack?.stop();
  await env?.dispose();
}, 60_000);

afterEach(async () => {
  expect(pageErrors).toEqual([]);
});

describe('the dashboard, in a browser', () => {
  it('asks for a token, refuses a wrong one with the reason, and signs in with a valid one', async () => {
    await page.goto(`${stack.urls.gateway}/`);
    await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
    await page.getByLabel('Token de acceso').fill('no-es-un-token-valido');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('alert').filter({ hasText: 'el token no es válido' }).waitFor();
    await shot('01-ingreso.png');

    await page.getByLabel('Token de acceso').fill(stack.adminToken);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: 'Servicios', level: 1 }).waitFor();
    await page.getByText('admin (admin)').waitFor();
    // The token stays in this tab only.
    expect(await page.evaluate(() => [sessionStorage.getItem('lucy.token') !== null, localStorage.length])).toEqual([
      true,
      0,
    ]);
  }, 60_000);

  it('shows every service up, live, with its consumers and throughput', async () => {
    for (const s of ['gateway', 'ingest-service', 'teams-service', 'moodle-service', 'mail-service']) {
      const fila = page.locator(`tr[data-servicio="${s}"]`);
      await fila.getByText('Activo').waitFor();
      // Consumers come from the broker itself: every service consumes its queue.
      expect(Number(await fila.locator('td[data-col="consumidores"]').innerText())).toBeGreaterThanOrEqual(1);
    }
    await page.getByText('● en vivo').waitFor();
    // Messages per minute need two samples of the counters: the stream brings the second in seconds.
    await waitFor(
      async () =>
        (await page.locator('tr[data-servicio="gateway"] td[data-col="mensajes-por-minuto"]').innerText()) !== '—',
      'a throughput figure',
      { timeoutMs: 20_000, everyMs: 500 },
    );
    await shot('02-servicios.png');
  }, 60_000);

  it('uploads a CSV with a column mapping and shows its progress reaching 100 %', async () => {
    // Column names ingest would not recognise by themselves: Plan, Situación and Ciclo must be mapped.
    const csv = [
      'Documento;Nombres;Apellidos;Correo;Plan;Situación;Ciclo',
      ...alumnos.map(
        (a) =>
          `${a.dni};${a.nombre};${a.apellido};${a.nombre.toLowerCase()}.${a.dni}@correo.example;Ingeniería en Sistemas;ingresante;2027`,
      ),
    ].join('\n');
    const file = join(VAR_DIR, 'ingresantes-dashboard.csv');
    mkdirSync(VAR_DIR, { recursive: true });
    writeFileSync(file, `${csv}\n`);

    await ir('Lotes');
    await page.getByRole('heading', { name: 'Lotes', level: 1 }).waitFor();
    await page.getByLabel('Archivo (CSV con encabezado, JSON o zip OneRoster 1.1)').setInputFiles(file);
    await page.getByRole('group', { name: /Mapeo de columnas/ }).waitFor();
    // The columns ingest knows by name come preselected.
    expect(await page.getByLabel('DNI').inputValue()).toBe('Documento');
    expect(await page.getByLabel('Email personal').inputValue()).toBe('Correo');
    await page.getByLabel('Carrera').selectOption('Plan');
    await page.getByLabel(/^Estado/).selectOption('Situación');
    await page.getByLabel('Periodo').selectOption('Ciclo');
    await shot('03-lote-mapeo.png');
    await page.getByRole('button', { name: 'Subir lote' }).click();
    await page.getByText(`Lote recibido: ${alumnos.length} filas`).waitFor();

    const lote = page.locator('article.lote', { hasText: 'ingresantes-dashboard.csv' }).first();
    await lote.waitFor();
    await lote.locator('.porcentaje', { hasText: '100 %' }).waitFor({ timeout: 120_000 });
    expect(await lote.locator('progress').evaluate((p) => (p as unknown as { value: number }).value)).toBe(100);
    await lote.getByText(`${alumnos.length} alumnos: ${alumnos.length} completados`).waitFor();
    await lote.getByText(`Ingesta: ${alumnos.length} nuevos · 0 actualizados · 0 sin cambios · 0 inválidas`).waitFor();
    await shot('04-lote-100.png');
  }, 180_000);

  it('draws the last hour on the Servicios page: students onboarded per minute and messages in queue, as SVG charts with their points', async () => {
    await ir('Servicios');
    const incorporaciones = page.locator('#grafico-incorporaciones svg');
    // One point per minute of the hour, zero-filled; the students of the upload are in the last minutes.
    await waitFor(async () => (await incorporaciones.locator('circle.punto').count()) === 60, 'the onboarding points', {
      timeoutMs: 20_000,
      everyMs: 500,
    });
    expect(await incorporaciones.locator('polyline.linea').getAttribute('points')).toMatch(/^(\S+,\S+ ){59}\S+,\S+$/);
    const maximo = await incorporaciones.getAttribute('aria-label');
    expect(Number(/máximo (\d+)/.exec(maximo ?? '')?.[1])).toBeGreaterThanOrEqual(1);
    // The queues are sampled by the gateway at start and once a minute after: at least that first sample.
    const colas = page.locator('#grafico-colas svg');
    expect(await colas.locator('circle.punto').count()).toBeGreaterThanOrEqual(1);
    expect(await colas.getAttribute('aria-label')).toMatch(/^Mensajes en cola \(todos los servicios\): [\d.]+ a las/);
    await shot('04b-servicios-graficos.png');
  }, 60_000);

  it("previews an upload's plan before anything changes, then confirms it and watches it apply", async () => {
    // One student of the first file with another surname (one the later steps do not look for by name), and one new.
    const cambia = alumnos[3];
    const nueva = { dni: String(dniBase + 10), nombre: 'Elena', apellido: 'Nieva' };
    const csv = [
      'dni;nombre;apellido;email;carrera;estado;periodo',
      `${cambia!.dni};${cambia!.nombre};Ruiz Paz;${cambia!.nombre.toLowerCase()}.${cambia!.dni}@correo.example;Ingeniería en Sistemas;ingresante;2027`,
      `${nueva.dni};${nueva.nombre};${nueva.apellido};elena.${nueva.dni}@correo.example;Ingeniería en Sistemas;ingresante;2027`,
    ].join('\n');
    const file = join(VAR_DIR, 'plan-dashboard.csv');
    writeFileSync(file, `${csv}\n`);

    await ir('Lotes');
    await page.getByLabel('Archivo (CSV con encabezado, JSON o zip OneRoster 1.1)').setInputFiles(file);
    await page.getByRole('group', { name: /Mapeo de columnas/ }).waitFor();
    await page.getByRole('button', { name: 'Ver el plan primero' }).click();
    await page.getByText(/Simulación pedida: 2 filas/).waitFor();

    const lote = page.locator('article.lote', { hasText: 'plan-dashboard.csv' }).first();
    await lote.getByText('Simulado: sin aplicar').waitFor();
    await lote.getByText('Plan (simulación): 1 a crear · 1 a actualizar').waitFor();
    await lote.getByText('Ver el plan por alumno').click();
    const fila = lote.locator('tr[data-accion="actualizar"]');
    await fila.getByText(`apellido: ${cambia!.apellido} → Ruiz Paz`).waitFor();
    await lote
      .locator('tr[data-accion="crear"]')
      .getByText(/crear la cuenta de Microsoft 365/)
      .waitFor();
    await shot('04b-lote-plan.png');
    // Nothing applied yet: the student keeps their surname.
    const antes = await gw.get<{ items: { apellido: string }[] }>(`/alumnos?q=${cambia!.dni}`);
    expect(antes.items[0]!.apellido).toBe(cambia!.apellido);

    page.once('dialog', (d) => void d.accept());
    await lote.getByRole('button', { name: 'Confirmar y aplicar' }).click();
    await page.getByText('Plan confirmado: se está aplicando.').waitFor();
    await lote.locator('.porcentaje', { hasText: '100 %' }).waitFor({ timeout: 120_000 });
    await lote.getByText(/Confirmado por admin/).waitFor();
    await waitFor(
      async () =>
        (await gw.get<{ items: { apellido: string }[] }>(`/alumnos?q=${cambia!.dni}`)).items[0]!.apellido ===
        'Ruiz Paz',
      'the update applied',
      POLL,
    );
    await shot('04c-lote-plan-confirmado.png');
  }, 180_000);

  it('uploads a OneRoster 1.1 zip with no column mapping: a refused one shows why; a good one shows its plan, then its lote', async () => {
    const manifiesto = (version: string) =>
      [
        'propertyName,value',
        'manifest.version,1.0',
        `oneroster.version,${version}`,
        'file.academicSessions,bulk',
        'file.orgs,bulk',
        'file.users,bulk',
        ...['categories', 'classes', 'classResources', 'courses', 'courseResources', 'demographics', 'enrollments']
          .concat(['lineItems', 'resources', 'results'])
          .map((f) => `file.${f},absent`),
      ].join('\n');
    // Two students and a teacher (not onboarded): the carrera is their department's name, the periodo the schoolYear's title.
    const nuevos = [
      { dni: String(dniBase + 20), nombre: 'Lucía', apellido: 'Sosa', usuario: 'lucia' },
      { dni: String(dniBase + 21), nombre: 'Mateo', apellido: 'Vera', usuario: 'mateo' },
    ];
    const archivos = {
      'orgs.csv': [
        'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
        'fac,,,Facultad de Ingeniería,school,,',
        'sis,,,Ingeniería en Sistemas,department,,fac',
      ].join('\n'),
      'academicSessions.csv': [
        'sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear',
        'y27,,,2027,schoolYear,2027-03-01,2027-12-15,,2027',
      ].join('\n'),
      'users.csv': [
        'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password',
        ...nuevos.map(
          (a, i) =>
            `u${i},,,true,"fac,sis",student,u${i},,${a.nombre},${a.apellido},,${a.dni},${a.usuario}.${a.dni}@correo.example,,,,,`,
        ),
        `t1,,,true,fac,teacher,t1,,Raúl,Medina,,${dniBase + 29},,,,,,`,
      ].join('\n'),
    };
    const roto = join(VAR_DIR, 'roster-1.2-dashboard.zip');
    writeFileSync(roto, await zipDe({ 'manifest.csv': manifiesto('1.2'), ...archivos }));
    const bueno = join(VAR_DIR, 'roster-dashboard.zip');
    writeFileSync(bueno, await zipDe({ 'manifest.csv': manifiesto('1.1'), ...archivos }));

    await ir('Lotes');
    const archivo = page.getByLabel('Archivo (CSV con encabezado, JSON o zip OneRoster 1.1)');
    expect(await archivo.getAttribute('accept')).toMatch(/\.zip,.*application\/zip/);
    await archivo.setInputFiles(roto);
    // A zip is read as the standard defines it: no column mapping to offer.
    await page.getByText('Paquete OneRoster 1.1 (CSV): se lee como lo define el estándar').waitFor();
    expect(await page.getByRole('group', { name: /Mapeo de columnas/ }).isHidden()).toBe(true);
    const antes = (await gw.get<{ total: number }>('/lotes')).total;
    await page.getByRole('button', { name: 'Ver el plan primero' }).click();
    await page
      .locator('#error-carga')
      .getByText(/No se pudo subir: .*oneroster\.version debe ser 1\.1 \(dice "1\.2"\)/)
      .waitFor();
    await shot('04d-lote-oneroster-rechazado.png');
    expect((await gw.get<{ total: number }>('/lotes')).total).toBe(antes);

    await archivo.setInputFiles(bueno);
    await page.getByRole('button', { name: 'Ver el plan primero' }).click();
    await page.getByText(/Simulación pedida: 2 alumnos/).waitFor();
    expect(await page.locator('#error-carga').innerText()).toBe('');
    const lote = page.locator('article.lote', { hasText: 'roster-dashboard.zip' }).first();
    await lote.getByText('Simulado: sin aplicar').waitFor();
    await lote.getByText('Plan (simulación): 2 a crear').waitFor();
    await lote.getByText('Ver el plan por alumno').click();
    for (const a of nuevos) await lote.locator('tr[data-accion="crear"]', { hasText: a.dni }).waitFor();
    await shot('04e-lote-oneroster-plan.png');
    // Nothing applied yet.
    expect((await gw.get<{ total: number }>(`/alumnos?q=${nuevos[0]!.dni}`)).total).toBe(0);

    // The CSV's confirmation notice may still be up (notices last 10 s): clear them, so the one awaited is this one.
    await page.locator('#avisos .aviso').evaluateAll((avisos) => avisos.forEach((a) => a.remove()));
    page.once('dialog', (d) => void d.accept());
    await lote.getByRole('button', { name: 'Confirmar y aplicar' }).click();
    await page.getByText('Plan confirmado: se está aplicando.').waitFor();
    await lote.locator('.porcentaje', { hasText: '100 %' }).waitFor({ timeout: 120_000 });
    await lote.getByText(`2 alumnos: 2 completados`).waitFor();
    const lucia = await gw.get<{ items: { carrera: string; periodo: string }[] }>(`/alumnos?q=${nuevos[0]!.dni}`);
    expect(lucia.items[0]).toMatchObject({ carrera: 'Ingeniería en Sistemas', periodo: '2027' });
    await shot('04f-lote-oneroster-aplicado.png');
  }, 180_000);

  it('finds a student and shows their workflow as a timeline, with the audit trail', async () => {
    const a = alumnos[0]!;
    await ir('Alumnos');
    await page.getByLabel('Buscar').fill(a.dni);
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByRole('link', { name: `${a.apellido}, ${a.nombre}` }).click();
    await page.getByRole('heading', { name: `${a.nombre} ${a.apellido}`, level: 1 }).waitFor();
    for (const paso of ['cuenta', 'moodle', 'email'])
      await page.locator(`#pasos li[data-paso="${paso}"][data-estado="completado"]`).waitFor();
    await page.locator('#auditoria').getByText('cuenta-teams.creada').first().waitFor();
    await page.getByText(`a${a.dni}@`).first().waitFor(); // the UPN
    await shot('05-alumno.png');
  }, 60_000);

  it('suspends two chosen students at once from the search, and brings one back from their page', async () => {
    const [a, b] = [alumnos[1]!, alumnos[2]!];
    await ir('Alumnos');
    await page.getByLabel('Buscar').fill('');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByLabel(`Elegir a ${a.apellido}, ${a.nombre}`).check();
    await page.getByLabel(`Elegir a ${b.apellido}, ${b.nombre}`).check();
    await page.getByText('2 elegidos').waitFor();
    await page.getByLabel('Acción', { exact: true }).selectOption('suspender');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Aplicar a los elegidos' }).click();
    await page.getByText('Suspender (baja): 2 iniciados, 0 rechazados').waitFor();
    await shot('05b-alumnos-accion-masiva.png');

    await page.getByRole('link', { name: `${a.apellido}, ${a.nombre}` }).click();
    const baja = page.locator('#ciclo li[data-tipo="baja"]');
    await baja.and(page.locator('[data-estado="suspendido"]')).waitFor({ timeout: 60_000 });
    await baja.getByText('(operador)').waitFor();
    await page.getByRole('button', { name: 'Reactivar' }).click();
    await page.locator('#ciclo li[data-tipo="baja"][data-estado="cancelado"]').waitFor({ timeout: 60_000 });
    await shot('05c-alumno-ciclo.png');
  }, 120_000);

  it('shows an open breaker on its service page and closes it with the reset button', async () => {
    // Graph goes down while new students arrive: teams-service's breaker opens and stays open.
    await putJson(admin('/faults/graph'), { downForMs: 600_000 });
    const base = dniBase + 100;
    await gw.post('/lotes', {
      nombreArchivo: 'durante-la-caida.json',
      filas: [0, 1, 2].map((i) => ({
        dni: String(base + i),
        nombre: 'Eva',
        apellido: `Caída${i}`,
        emailPersonal: `eva${i}.${base}@correo.example`,
        carrera: 'Abogacía',
        estado: 'ingresante',
        periodo: '2027',
      })),
    });
    await waitFor(
      async () => {
        const todos =
          await gw.get<{ servicio: string; breakers: { dependencia: string; estado: string }[] }[]>('/breakers');
        return (
          todos.find((s) => s.servicio === 'teams-service')?.breakers.find((b) => b.dependencia === 'graph')?.estado ===
          'open'
        );
      },
      "teams-service's graph breaker to open",
      { ...POLL, timeoutMs: 60_000 },
    );

    await ir('Servicios');
    await page.locator('tr[data-servicio="teams-service"]').getByText('Degradado').waitFor();
    await page.locator('tr[data-servicio="teams-service"]').getByRole('link', { name: 'teams-service' }).click();
    const fila = page.locator('tr[data-dependencia="graph"]');
    await fila.getByText('abierto').waitFor();
    await shot('06-breaker-abierto.png');

    await postJson(admin('/faults/reset'));
    await fila.getByRole('button', { name: 'Reiniciar graph' }).click();
    await page.getByText('Reinicio del breaker graph solicitado').waitFor();
    await fila.getByText('cerrado').waitFor({ timeout: 30_000 });
    // The service is whole again: its queue consumed again (the breaker had paused it).
    await page.locator('#estado-servicio').getByText('Activo').waitFor();
    await shot('07-breaker-cerrado.png');
  }, 120_000);

  it('lists a parked message with its reason on the service page and replays it', async () => {
    // A command whose payload breaks its schema: moodle-service parks it at once, with the reason.
    const messageId = randomUUID();
    const envelope = {
      messageId,
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
      type: DesenrolarMoodle.name,
      version: 1,
      payload: { alumnoId: 'no-es-un-uuid' },
    };
    await tap.send(DesenrolarMoodle, envelope as never);
    await waitFor(
      async () => (await tap.queueDepth(parkedQueueName('moodle-service'))) >= 1,
      'the bad command parked',
      { ...POLL, timeoutMs: 30_000 },
    );

    await ir('Servicios');
    await page.locator('tr[data-servicio="moodle-service"]').getByRole('link', { name: 'moodle-service' }).click();
    const fila = page.locator(`tr[data-mensaje="${messageId}"]`);
    await fila.getByText('moodle.desenrolar', { exact: true }).waitFor();
    expect(await fila.locator('td.error-corto').innerText()).toMatch(/alumnoId/);
    await shot('08-aparcado.png');

    const antes = await parkedAt(messageId);
    await fila.getByRole('button', { name: `Reintentar el mensaje ${messageId}` }).click();
    await page.getByText('Reenviado: 1 mensaje de moodle-service').waitFor();
    // Back in moodle-service's queue, consumed again, and — the payload being still wrong — parked again.
    await waitFor(
      async () => ((await parkedAt(messageId)) ?? '') > (antes ?? ''),
      'the replayed message to be consumed and parked again',
      { ...POLL, timeoutMs: 30_000 },
    );
    const tareas = await gw.get<{ items: { tipo: string; detalle: Record<string, unknown> }[] }>('/tareas?tipo=dlq');
    expect(tareas.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tipo: 'dlq',
          detalle: expect.objectContaining({ operacion: 'reintentar', messageId }),
        }),
      ]),
    );
    await shot('09-reintentado.png');
  }, 90_000);

  it('edits the configuration through its form: a refused value shown beside its field, a save that every service applies without a restart', async () => {
    await ir('Configuración');
    await page.getByRole('heading', { name: 'Configuración', level: 1 }).waitFor();
    const lote = page.getByLabel('Tamaño de lote');
    await waitFor(async () => (await lote.inputValue()) !== '', 'the configuration loaded into the form', {
      timeoutMs: 10_000,
      everyMs: 200,
    });
    const antes = await gw.get<{ version: number }>('/config');
    const patron = page.getByLabel('Patrón del UPN');

    // A UPN pattern without {dni}: the preview says so at once, and the gateway refuses it on save —
    // its message beside the field, the field marked invalid, nothing saved.
    await patron.fill('{nombre}.{apellido}@{domain}');
    await page.locator('#cfg-upn-vista').getByText('falta {dni}').waitFor();
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.locator('[data-campo="upn.patron"] .error-campo').getByText('debe contener {dni}').waitFor();
    expect(await patron.getAttribute('aria-invalid')).toBe('true');
    await page.locator('#resultado-config').getByRole('button', { name: 'Patrón del UPN' }).waitFor();
    await shot('10-configuracion.png');
    expect((await gw.get<{ version: number }>('/config')).version).toBe(antes.version);

    // The batch size before the enrolment rush, and a new domain for the UPN.
    await patron.fill('a{dni}@{domain}');
    await lote.fill('25');
    await page.getByLabel('Dominio del UPN').fill('alumnos.unrc.edu.ar');
    await page.locator('#cfg-upn-ejemplo').getByText('a30111222@alumnos.unrc.edu.ar', { exact: true }).waitFor();
    await page.locator('#pendientes-config').getByText('Cambios sin guardar: loteTamano, upn.').waitFor();
    await page.getByLabel('Motivo del cambio (opcional)').fill('prueba del panel');
    await page.getByRole('button', { name: 'Guardar' }).click();
    const version = antes.version + 1;
    await page.getByText(`Guardada la versión ${version} (cambió: loteTamano, upn)`).waitFor();
    expect(await patron.getAttribute('aria-invalid')).toBeNull();
    await page.locator('#version-config').getByText(`Versión ${version}, cambiada por admin`).waitFor();
    await page.locator('#historial-config').getByText('prueba del panel').waitFor();
    const guardada = await gw.get<{
      valores: { loteTamano: number; upn: { dominio: string } };
      fijadas?: string[];
      aplicacion?: unknown[];
    }>('/config');
    expect(guardada.valores.loteTamano).toBe(25);
    expect(guardada.valores.upn.dominio).toBe('alumnos.unrc.edu.ar');
    expect(guardada.fijadas).toEqual(expect.arrayContaining(['loteTamano', 'upn']));
    await page.locator('.clave-estado[data-clave="loteTamano"][data-fijada="true"]').waitFor();

    // Each running service takes the new version (no restart): the page follows it service by service.
    await page
      .locator('#aplicacion-resumen[data-todos="true"]')
      .getByText(`Todos los servicios aplican la versión ${version}`)
      .waitFor({ timeout: 60_000 });
    for (const servicio of ['ingest-service', 'teams-service', 'moodle-service', 'mail-service']) {
      const fila = page.locator(`#aplicacion-config li[data-servicio="${servicio}"]`);
      expect(await fila.getAttribute('data-al-dia')).toBe('true');
      await fila.getByText(`✓ v${version}`).waitFor();
      expect(await fila.locator('li.error').count()).toBe(0); // no key refused
    }
    // The page's word is the services' own: each one's /health/ready reports the version.
    for (const servicio of ['ingest-service', 'teams-service', 'moodle-service', 'mail-service'] as const) {
      const salud = (await fetch(`${stack.urls[servicio]}/health/ready`).then((r) => r.json())) as {
        details?: { configuracion?: unknown };
      };
      expect(salud.details?.configuracion).toMatchObject({ version });
    }
    await shot('11-configuracion-aplicada.png');
  }, 120_000);

  it('keeps an edit when someone else saved meanwhile: the conflict is shown, and a reload keeps the edit over the newer version', async () => {
    const lote = page.getByLabel('Tamaño de lote');
    const zona = page.getByLabel('Zona horaria');
    const antes = await gw.get<{ version: number }>('/config');
    await lote.fill('30');
    // Another admin, through the API, while this page still edits the previous version.
    await patchConfig({ valores: { zonaHoraria: 'America/Argentina/Buenos_Aires' }, motivo: 'otra persona' });
    await page.getByRole('button', { name: 'Guardar' }).click();
    const conflicto = page.locator('#conflicto-config');
    await conflicto.getByText('Tus cambios siguen aquí').waitFor();
    expect(await lote.inputValue()).toBe('30');
    await shot('12-configuracion-conflicto.png');

    await conflicto.getByRole('button', { name: 'Recargar y conservar mis cambios' }).click();
    await page.getByText(`Cargada la versión ${antes.version + 1}`).waitFor();
    expect([await lote.inputValue(), await zona.inputValue()]).toEqual(['30', 'America/Argentina/Buenos_Aires']);
    // The advanced tab holds the same edit, as JSON.
    await page.getByRole('tab', { name: 'Avanzado (JSON)' }).click();
    const json = JSON.parse(await page.getByLabel('Configuración (JSON)').inputValue());
    expect([json.loteTamano, json.zonaHoraria]).toEqual([30, 'America/Argentina/Buenos_Aires']);
    await page.getByRole('tab', { name: 'Formulario' }).click();

    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText(`Guardada la versión ${antes.version + 2} (cambió: loteTamano)`).waitFor();
    expect((await gw.get('/config')).valores).toMatchObject({
      loteTamano: 30,
      zonaHoraria: 'America/Argentina/Buenos_Aires',
    });
  }, 60_000);

  it("gives a set key back to the services' environment from its section, after a confirmation: a new version that ingest-service applies", async () => {
    const antes = await gw.get<{ version: number; fijadas: string[] }>('/config');
    expect(antes.fijadas).toContain('loteTamano');
    let pregunta = '';
    page.once('dialog', (d) => {
      pregunta = d.message();
      void d.accept();
    });
    await page.getByRole('button', { name: 'Volver al entorno: loteTamano' }).click();
    await page
      .locator('.clave-estado[data-clave="loteTamano"][data-fijada="false"]')
      .getByText('sin fijar, rige el entorno')
      .waitFor();
    expect(pregunta).toMatch(/Volver al entorno «loteTamano»/);
    expect(await page.getByRole('button', { name: 'Volver al entorno: loteTamano' }).count()).toBe(0);
    const version = antes.version + 1;
    await page.locator('#version-config').getByText(`Versión ${version}, cambiada por admin`).waitFor();
    await page.locator('#historial-config').getByText('loteTamano volvió al entorno').waitFor();
    await shot('13-configuracion-volver-al-entorno.png');
    const ahora = await gw.get<{ version: number; fijadas: string[]; valores: { loteTamano: number } }>('/config');
    expect(ahora.version).toBe(version);
    expect(ahora.fijadas).not.toContain('loteTamano');
    expect(ahora.valores.loteTamano).toBe(30); // the values are untouched; only who decides changed
    // ingest-service takes the version and runs its BATCH_SIZE again: loteTamano is no longer among its keys set.
    await waitFor(
      async () => {
        const salud = (await fetch(`${stack.urls['ingest-service']}/health/ready`).then((r) => r.json())) as {
          details?: { configuracion?: { version?: number; fijadas?: string[] } };
        };
        const c = salud.details?.configuracion;
        return c?.version === version && !c.fijadas?.includes('loteTamano');
      },
      'ingest-service back on its environment for loteTamano',
      { ...POLL, timeoutMs: 30_000 },
    );
  }, 60_000);

  it("sets the operators' alerts through the form: a bad address and an unknown variable refused beside their fields, then recipients, threshold and template saved", async () => {
    await ir('Configuración');
    const destinatarios = page.getByLabel('Destinatarios de las alertas');
    await waitFor(async () => (await page.getByLabel('Umbral de diferencias').inputValue()) !== '', 'the form loaded', {
      timeoutMs: 10_000,
      everyMs: 200,
    });
    const antes = await gw.get<{ version: number }>('/config');
    await destinatarios.fill('sistemas@unrc.edu.ar\nguardia');
    await page.getByLabel('Umbral de diferencias').fill('10');
    await page.getByRole('button', { name: 'Guardar' }).click();
    // Refused by the form itself: nothing reaches the gateway.
    await page
      .locator('[data-campo="alertas.destinatarios"] .error-campo')
      .getByText('«guardia» no es una dirección de correo')
      .waitFor();
    expect(await destinatarios.getAttribute('aria-invalid')).toBe('true');

    await destinatarios.fill('sistemas@unrc.edu.ar\nguardia@unrc.edu.ar');
    await page.getByLabel('Usar la plantilla de alertas incluida en el servicio de correo').uncheck();
    const cuerpo = page.getByLabel('Cuerpo de la alerta');
    expect(await cuerpo.inputValue()).toContain('{titulo}'); // the model to start from
    await page.getByLabel('Asunto de la alerta').fill('[Lucy] {tipo}: {titulo}');
    await cuerpo.fill('{titulo}\nDiferencias: {diferencias} (umbral {umbral})\n{{password}}');
    await page.getByRole('button', { name: 'Guardar' }).click();
    // Refused by the gateway: its message beside the body.
    await page
      .locator('[data-campo="alertas.plantilla.cuerpo"] .error-campo')
      .getByText('usa variables desconocidas: password')
      .waitFor();
    expect(await cuerpo.getAttribute('aria-invalid')).toBe('true');
    expect((await gw.get<{ version: number }>('/config')).version).toBe(antes.version);
    await shot('13b-configuracion-alertas-rechazada.png');

    await cuerpo.fill('{titulo}\nDiferencias: {diferencias} (umbral {umbral})\n{detalle}');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText(`Guardada la versión ${antes.version + 1} (cambió: alertas)`).waitFor();
    const guardada = await gw.get<{ valores: { alertas: unknown }; fijadas: string[] }>('/config');
    expect(guardada.valores.alertas).toEqual({
      destinatarios: ['sistemas@unrc.edu.ar', 'guardia@unrc.edu.ar'],
      umbralDiferencias: 10,
      plantilla: {
        asunto: '[Lucy] {tipo}: {titulo}',
        cuerpo: '{titulo}\nDiferencias: {diferencias} (umbral {umbral})\n{detalle}',
      },
    });
    expect(guardada.fijadas).toContain('alertas');
    await page.locator('.clave-estado[data-clave="alertas"][data-fijada="true"]').waitFor();
    await shot('13c-configuracion-alertas.png');
  }, 60_000);

  it('keeps the academic calendar (a holiday added, a broken CSV refused with its line, a good one imported) and shows the scheduled jobs: next runs with the holiday skipped, run now, history', async () => {
    const { valores } = await gw.get<{ valores: { zonaHoraria: string } }>('/config');
    // Tomorrow in the configured zone: the SIAL job's run at 2:00 that day is among its next five.
    const manana = new Intl.DateTimeFormat('en-CA', { timeZone: valores.zonaHoraria }).format(
      new Date(Date.now() + 86_400_000),
    );
    const anio = manana.slice(0, 4);
    await ir('Calendario');
    await page.getByRole('heading', { name: 'Calendario académico', level: 1 }).waitFor();
    await page.evaluate(`location.hash = '#/calendario?anio=${anio}'`);
    await page.locator('#anio-calendario').getByText(anio, { exact: true }).waitFor();
    await page.getByLabel('Desde', { exact: true }).fill(manana);
    await page.getByLabel('Nombre', { exact: true }).fill('Día de prueba');
    await page.getByRole('button', { name: 'Agregar' }).click();
    await page.locator('#lista-calendario').getByRole('cell', { name: 'Día de prueba', exact: true }).waitFor();

    const archivo = page.locator('#cal-archivo');
    const csv = (texto: string) => ({ name: 'feriados.csv', mimeType: 'text/csv', buffer: Buffer.from(texto) });
    await archivo.setInputFiles(csv(`desde,nombre\n${anio}-07-09,Independencia\n${anio}-13-01,Mes trece\n`));
    await page.getByRole('button', { name: 'Importar' }).click();
    await page
      .locator('#resultado-importacion')
      .getByText(/No se importó nada: línea 3: desde/)
      .waitFor();
    expect((await gw.get<{ items: unknown[] }>(`/calendario?anio=${anio}`)).items).toHaveLength(1);
    await archivo.setInputFiles(
      csv(
        `desde;hasta;nombre;tipo\n${anio}-07-09;;Independencia;feriado\n${anio}-07-13;${anio}-07-24;Receso invernal;receso\n`,
      ),
    );
    await page.getByRole('button', { name: 'Importar' }).click();
    await page.locator('#resultado-importacion').getByText('Importado: 2 agregados, 0 ya estaban.').waitFor();
    await page.locator('#lista-calendario').getByRole('cell', { name: 'Receso invernal', exact: true }).waitFor();
    await shot('14-calendario.png');

    // The SIAL job active, skipping holidays: its run tomorrow is listed as skipped, with the holiday's name.
    await gw.patch('/trabajos/sial', { activo: true, saltarFeriados: true });
    await ir('Tareas programadas');
    await page.getByRole('heading', { name: 'Tareas programadas', level: 1 }).waitFor();
    const sial = page.locator('section[data-trabajo="sial"]');
    await sial.getByText('Programado', { exact: true }).waitFor();
    await sial.locator('.proximas').getByText('omitida: Día de prueba').waitFor();
    const reconciliacion = page.locator('section[data-trabajo="reconciliacion"]');
    expect(await reconciliacion.getByRole('button', { name: 'Ejecutar ahora' }).isDisabled()).toBe(false);

    await sial.getByRole('button', { name: 'Ejecutar ahora' }).click();
    await page.getByText(/«sial» ejecutada ahora \(lote [0-9a-f]{8}\)/).waitFor();
    await page.locator('section[data-trabajo="sial"]').getByRole('button', { name: 'Ver historial' }).click();
    const historial = page.locator('#historial-sial');
    await historial.getByText('manual (admin)').waitFor();
    await historial.getByText('Hecha').first().waitFor();
    await shot('15-tareas-programadas.png');
    const t = await gw.get<{
      historial: { items: { disparo: string; resultado: string; producto: { tipo: string } }[] };
    }>('/trabajos/sial');
    expect(t.historial.items[0]).toMatchObject({ disparo: 'manual', resultado: 'ok', producto: { tipo: 'lote' } });
    await gw.patch('/trabajos/sial', { activo: false, saltarFeriados: false });
  }, 60_000);

  it("an operator reconciles: the run's report per kind and per difference, filtered, a student's missing enrolment and an orphan Lucy never made; the repair previewed, then started, puts the enrolment back", async () => {
    // Moodle drifts as its administrator would make it drift: a student taken out of their course, and
    // someone Lucy never made enrolled in it.
    const a = (await gw.get<{ items: { alumnoId: string; upn: string }[] }>(`/alumnos?q=${alumnos[0]!.dni}`)).items[0]!;
    const [mu] = await getJson<{ id: number }[]>(
      admin(`/moodle/users?username=${encodeURIComponent(a.upn.toLowerCase())}`),
    );
    const enrolamientos = async () =>
      (await getJson<{ enrolments: { courseid: number }[] }>(admin(`/moodle/users/${mu!.id}`))).enrolments;
    const courseid = (await enrolamientos())[0]!.courseid;
    const curso = (await getJson<{ id: number; shortname: string }[]>(admin('/moodle/courses'))).find(
      (c) => c.id === courseid,
    )!.shortname;
    await moodle('enrol_manual_unenrol_users', {
      'enrolments[0][userid]': String(mu!.id),
      'enrolments[0][courseid]': String(courseid),
    });
    const intrusa = `intrusa-${dniBase}`;
    const [otra] = await moodle<{ id: number }[]>('core_user_create_users', {
      'users[0][username]': intrusa,
      'users[0][auth]': 'oauth2',
      'users[0][firstname]': 'Intrusa',
      'users[0][lastname]': 'Panel',
      'users[0][email]': `${intrusa}@example.com`,
    });
    await moodle('enrol_manual_enrol_users', {
      'enrolments[0][roleid]': '5',
      'enrolments[0][userid]': String(otra!.id),
      'enrolments[0][courseid]': String(courseid),
    });

    const op = await entrar(await tokenNuevo('operador-panel', 'operator'));
    await irEn(op, 'Reconciliación');
    await op.getByRole('heading', { name: 'Reconciliación', level: 1 }).waitFor();
    expect(await op.getByLabel('Reparar al terminar').isChecked()).toBe(false);
    await op.getByRole('button', { name: 'Reconciliar ahora' }).click();
    await op.getByText(/^Reconciliación iniciada/).waitFor();
    await op.locator('#estado-reconciliacion').getByText('Terminada').waitFor({ timeout: 90_000 });
    const corrida = (await gw.get<{ items: { id: string; actor: string; reparar: boolean }[] }>('/reconciliaciones'))
      .items[0]!;
    expect(corrida).toMatchObject({ actor: 'operador-panel', reparar: false });
    await op.locator(`tr[data-reconciliacion="${corrida.id}"]`).getByText('operador-panel').waitFor();
    await op
      .locator('#por-tipo tr[data-tipo="inscripcion_faltante"]')
      .getByRole('rowheader', { name: 'Inscripción faltante' })
      .waitFor();
    await op.locator('#por-tipo tr[data-tipo="huerfano"]').getByText('Huérfano (solo se informa)').waitFor();

    await op.getByLabel('Tipo', { exact: true }).selectOption('inscripcion_faltante');
    const falta = op
      .locator('#tabla-diferencias tr[data-tipo="inscripcion_faltante"]')
      .filter({ has: op.locator(`a[href="#/alumnos/${a.alumnoId}"]`) });
    await falta.getByText(`se esperaba ${curso}; no está`).waitFor();
    await soloFilas(op, ['[data-tipo="inscripcion_faltante"]']);
    await op.getByLabel('Tipo', { exact: true }).selectOption('huerfano');
    await op.getByLabel('Sistema', { exact: true }).selectOption('moodle');
    const huerfana = op.locator('#tabla-diferencias tr[data-tipo="huerfano"]', { hasText: intrusa });
    await huerfana.getByRole('cell', { name: 'solo se informa', exact: true }).waitFor();
    await soloFilas(op, ['[data-tipo="huerfano"]', '[data-sistema="moodle"]']);
    await shot('16-reconciliacion.png', op);

    await op.getByLabel('Tipo', { exact: true }).selectOption('');
    await op.getByRole('button', { name: 'Reparar…' }).click();
    const plan = op.locator(`#plan-reparacion tr[data-alumno="${a.alumnoId}"]`);
    await plan.getByText('Inscribir en los cursos pedidos').waitFor();
    await plan.getByText(`Inscripción faltante (cursos: ${curso})`).waitFor();
    await op
      .locator('#sin-reparar')
      .getByText(new RegExp(`^${intrusa}@`))
      .waitFor();
    await shot('17-reconciliacion-vista-previa.png', op);
    // A preview starts nothing.
    expect((await gw.get<{ total: number }>('/workflows?tipo=reparacion')).total).toBe(0);

    await op.getByRole('button', { name: 'Confirmar e iniciar la reparación' }).click();
    await op.getByText(/^Reparación iniciada: \d+ workflows?/).waitFor();
    await op
      .locator('#estado-reparacion')
      .getByText(/Iniciada por operador-panel/)
      .waitFor();
    await op.locator(`#resultado-reparacion tr[data-alumno="${a.alumnoId}"]`).getByText('iniciado').waitFor();
    expect(await op.getByRole('button', { name: 'Reparar…' }).count()).toBe(0);
    await waitFor(
      async () => (await enrolamientos()).some((e) => e.courseid === courseid),
      'the repair to enrol the student again',
      { ...POLL, timeoutMs: 60_000 },
    );
    // The orphan is where it was: only reported.
    expect(
      (await getJson<{ enrolments: { courseid: number }[] }>(admin(`/moodle/users/${otra!.id}`))).enrolments.map(
        (e) => e.courseid,
      ),
    ).toContain(courseid);
    await shot('18-reconciliacion-reparada.png', op);
    await op.close();
  }, 180_000);

  it("an operator simulates a retention run and reads its report per service: the ages in force, every service's counts per kind", async () => {
    const op = await entrar(await tokenNuevo('operador-retencion', 'operator'));
    await irEn(op, 'Retención');
    await op.getByRole('heading', { name: 'Retención', level: 1 }).waitFor();
    const edades = op.locator('#edades-retencion');
    await edades.locator('dd[data-edad="dias"]').getByText('90 días').waitFor();
    await edades.locator('dd[data-edad="auditoriaDias"]').getByText('365 días').waitFor();
    await edades.locator('dd[data-edad="aparcadosDias"]').getByText('7 días').waitFor();
    expect(await edades.getByRole('link', { name: 'Configuración' }).getAttribute('href')).toBe('#/configuracion');

    await op.getByRole('button', { name: 'Simular' }).click();
    await op.getByText(/^Simulación de la retención iniciada/).waitFor();
    const estado = op.locator('#estado-retencion');
    await estado.getByText('Terminada').waitFor({ timeout: 90_000 });
    await estado.getByText('Simulación').waitFor();
    const servicios = ['gateway', 'ingest-service', 'teams-service', 'moodle-service', 'mail-service'];
    for (const s of servicios)
      await op.locator(`#servicios-retencion tr[data-servicio="${s}"]`).first().getByText('aplicada').waitFor();
    for (const tipo of ['auditoria', 'tareas', 'workflows'])
      await op.locator(`#servicios-retencion tr[data-servicio="gateway"][data-tipo="${tipo}"]`).waitFor();
    expect(await op.locator('#sin-respuesta').count()).toBe(0);
    await shot('19-retencion-simulada.png', op);
    const e = (
      await gw.get<{
        items: { simulada: boolean; estado: string; actor: string; resultados: Record<string, unknown> }[];
      }>('/retencion')
    ).items[0]!;
    expect(e).toMatchObject({ simulada: true, estado: 'terminada', actor: 'operador-retencion' });
    expect(Object.keys(e.resultados).sort()).toEqual([...servicios].sort());
    await op.close();
  }, 120_000);

  it('a viewer sees the reconciliation and retention reports but no button that acts', async () => {
    const lectora = await entrar(await tokenNuevo('lectora-panel', 'viewer'));
    await irEn(lectora, 'Reconciliación');
    await lectora.getByRole('heading', { name: 'Reconciliación', level: 1 }).waitFor();
    await lectora.locator('#por-tipo').waitFor();
    await lectora
      .locator('#estado-reparacion')
      .getByText(/Iniciada por operador-panel/)
      .waitFor();
    for (const boton of ['Reconciliar ahora', 'Reparar…', 'Confirmar e iniciar la reparación'])
      expect([boton, await lectora.getByRole('button', { name: boton }).count()]).toEqual([boton, 0]);
    expect(await lectora.getByLabel('Reparar al terminar').count()).toBe(0);

    await irEn(lectora, 'Retención');
    await lectora.getByRole('heading', { name: 'Retención', level: 1 }).waitFor();
    await lectora.locator('#estado-retencion').getByText('Terminada').waitFor();
    await lectora.locator('#edades-retencion dd[data-edad="dias"]').getByText('90 días').waitFor();
    for (const boton of ['Simular', 'Ejecutar'])
      expect([boton, await lectora.getByRole('button', { name: boton }).count()]).toEqual([boton, 0]);
    await shot('20-retencion-lectora.png', lectora);
    await lectora.close();
  }, 60_000);
});

/** PATCH /api/v1/config as another admin would, beside the browser. */
const patchConfig = (body: unknown) =>
  getJson(`${stack.urls.gateway}/api/v1/config`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** When the parked copy of a message was parked (null when it is not parked). */
async function parkedAt(messageId: string): Promise<string | null> {
  const r = await gw.get<{ mensajes: { messageId: string; aparcadoAt: string | null }[] }>('/dlq/moodle-service');
  return r.mensajes.find((m) => m.messageId === messageId)?.aparcadoAt ?? null;
}

/** A token of `rol` made by the admin, for a second person beside the admin's browser tab. */
async function tokenNuevo(nombre: string, rol: 'viewer' | 'operator'): Promise<string> {
  return (await gw.post<{ token: string }>('/tokens', { nombre, rol })).token;
}

/** A tab of its own (its own sessionStorage) signed in with `tk`; its page errors fail the test as the main tab's do. */
async function entrar(tk: string): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'es-AR' });
  p.on('pageerror', (err) => pageErrors.push(err.message));
  p.setDefaultTimeout(20_000);
  await p.goto(`${stack.urls.gateway}/`);
  await p.getByLabel('Token de acceso').fill(tk);
  await p.getByRole('button', { name: 'Ingresar' }).click();
  await p.getByRole('heading', { name: 'Servicios', level: 1 }).waitFor();
  return p;
}

/** Waits until every row of the differences has every attribute in `filtro`: the filter's page replaced the last. */
const soloFilas = (p: Page, filtro: string[]) =>
  waitFor(
    async () => (await p.locator(filtro.map((f) => `#tabla-diferencias tbody tr:not(${f})`).join(', ')).count()) === 0,
    'only the filtered differences',
    { timeoutMs: 10_000, everyMs: 200 },
  );

const irEn = (p: Page, seccion: string) =>
  p.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: seccion, exact: true }).click();

/** Moodle's web services, as the site's administrator calls them. */
async function moodle<T = any>(wsfunction: string, params: Record<string, string>): Promise<T> {
  // The sandbox's Moodle listens three ports above its admin API (tools/stack.ts).
  const url = `http://127.0.0.1:${Number(new URL(stack.urls.sandboxAdmin!).port) + 3}/webservice/rest/server.php`;
  const res = await getJson<T>(url, {
    method: 'POST',
    body: new URLSearchParams({ wstoken: 'sandbox-moodle-token', wsfunction, moodlewsrestformat: 'json', ...params }),
  });
  if (res && typeof res === 'object' && 'exception' in res) throw new Error(`${wsfunction}: ${JSON.stringify(res)}`);
  return res;
}
