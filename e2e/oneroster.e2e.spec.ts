// A OneRoster 1.1 CSV zip as a source, end to end: every service as its own process, with the sandbox, on
// the real RabbitMQ and PostgreSQL (a vhost and a database of this suite's own). A bulk zip onboards its
// students; a delta zip then changes one and marks another tobedeleted, who is suspended (not deleted); a
// zip or manifest that cannot be used is refused with why, and leaves no lote behind. The same roster
// pulled from the OneRoster stand-in's REST API: everything first, then only what changed.
import { join } from 'node:path';
import { RegistrarLoteOneRoster } from '@lucy/contracts';
import { BrokerTap, getJson, sendJson, waitFor, zipDe } from '@lucy/testing';
import { startStack, ROOT, type Stack } from '../tools/stack.js';
import { e2eEnvironment, type E2eEnvironment } from './support/environment.js';
import { gatewayApi } from './support/gateway-api.js';

let env: E2eEnvironment;
let stack: Stack;
let tap: BrokerTap;
const gw = gatewayApi(() => stack);
const POLL = { everyMs: 500, retryErrors: true };
const admin = (path: string) => `${stack.urls.sandboxAdmin}/_admin${path}`;
/** The OneRoster stand-in of this suite's stack (the sandbox's ports start at portBase + 10). */
const ONEROSTER = 'http://127.0.0.1:6177';

const manifiesto = (modos: Record<string, string>) =>
  [
    'propertyName,value',
    'manifest.version,1.0',
    'oneroster.version,1.1',
    ...[
      'academicSessions',
      'categories',
      'classes',
      'classResources',
      'courses',
      'courseResources',
      'demographics',
    ].map((f) => `file.${f},${modos[f] ?? 'absent'}`),
    ...['enrollments', 'lineItems', 'orgs', 'resources', 'results', 'users'].map(
      (f) => `file.${f},${modos[f] ?? 'absent'}`,
    ),
  ].join('\n');

const ORGS = `sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
fac,,,Facultad de Ingeniería,school,,
inf,,,Ingeniería en Informática,department,,fac`;
const SESIONES = `sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
y31,,,2031,schoolYear,2031-03-01,2031-12-15,,2031
s1,,,2031-1C,semester,2031-03-01,2031-07-15,y31,2031`;
const CURSOS = `sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes
alg,,,y31,Álgebra,ALG,,inf,,`;
const CLASES = `sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
alg-a,,,Álgebra A,,alg,ALG-A,scheduled,,fac,s1,,,`;
const USERS_H =
  'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password';
const USUARIOS = `${USERS_H}
u1,,,true,"fac,inf",student,u1,,Irene,Quiroga,,41500001,irene.quiroga@correo.test,,,,,secreto1
u2,,,true,inf,student,u2,,Tomás,Barrios,,41500002,tomas.barrios@correo.test,,,,,secreto2
u3,,,true,inf,student,u3,,Julia,Ferraro,,41500003,julia.ferraro@correo.test,,,,,
t1,,,true,fac,teacher,t1,,Raúl,Medina,,20500001,raul.medina@correo.test,,,,,`;
const INSCRIPCIONES = `sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
e1,,,alg-a,fac,u1,student,,,
e2,,,alg-a,fac,u2,student,,,
e3,,,alg-a,fac,u3,student,,,
e4,,,alg-a,fac,t1,teacher,true,,`;

async function subir(zip: Buffer, nombre: string): Promise<{ status: number; body: any; tipo: string | null }> {
  const form = new FormData();
  form.append('archivo', new Blob([zip], { type: 'application/zip' }), nombre);
  const r = await fetch(`${stack.urls.gateway}/api/v1/lotes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminToken}` },
    body: form,
  });
  return { status: r.status, body: await r.json(), tipo: r.headers.get('content-type') };
}

interface Lote {
  estado: string;
  total: number;
  enCurso: number;
  pendientes: number;
  completados: number;
  ingesta: {
    nuevos: number;
    actualizados: number;
    bajas: number;
    invalidos: { fila: number; fuente: string; motivos: string[] }[];
  };
}

const asentado = (loteId: string) =>
  waitFor(
    async () => {
      const l = await gw.get<Lote>(`/lotes/${loteId}`);
      return l.estado !== 'solicitado' && l.enCurso === 0 && l.pendientes === 0 && l;
    },
    `lote ${loteId} to settle`,
    { ...POLL, timeoutMs: 180_000 },
  );

async function alumno(dni: string) {
  const { items } = await gw.get<{ items: { alumnoId: string }[] }>(`/alumnos?q=${dni}`);
  return gw.get<{ alumno: Record<string, string>; ciclo: { tipo: string; estado: string }[] }>(
    `/alumnos/${items[0]!.alumnoId}`,
  );
}

beforeAll(async () => {
  env = await e2eEnvironment('oneroster');
  stack = await startStack({
    portBase: 6160,
    varDir: join(ROOT, 'var', 'e2e-oneroster'),
    readyTimeoutMs: 150_000,
    env: {
      RABBITMQ_URL: env.rabbitmqUrl,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/1`,
      RETRY_DELAYS_MS: '200,500,1000',
      LOG_LEVEL: 'info',
    },
    serviceEnv: env.serviceEnv({
      gateway: { SWEEP_INTERVAL_MS: '500', ONEROSTER_URL: ONEROSTER },
      // Three students, one leaving: past the default safeguard's share, which is not this suite's subject.
      'ingest-service': {
        UMBRAL_BAJAS_PORCENTAJE: '100',
        ONEROSTER_URL: ONEROSTER,
        ONEROSTER_CONSUMER_KEY: 'lucy',
        ONEROSTER_CONSUMER_SECRET: 'sandbox-oneroster-secret',
        ONEROSTER_RPM: '6000',
      },
      // The REST roster holds only the students the test adds.
      sandbox: { SANDBOX_ONEROSTER_COHORT: '0' },
      'moodle-service': { MOODLE_RPM: '6000' },
    }),
  });
  tap = await BrokerTap.open([RegistrarLoteOneRoster], { url: env.rabbitmqUrl });
}, 240_000);

afterAll(async () => {
  await tap?.close();
  await stack?.stop();
  await env?.dispose();
}, 60_000);

describe('OneRoster 1.1 CSV, end to end', () => {
  it('refuses a zip that is not one, or whose manifest is not OneRoster 1.1, with why, and records no lote', async () => {
    const antes = (await gw.get<{ total: number }>('/lotes')).total;
    const roto = await subir(Buffer.from('esto no es un zip'), 'roster.zip');
    expect(roto.status).toBe(400);
    expect(roto.tipo).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(roto.body)).toMatch(/no es un zip legible/);

    const v12 = await zipDe({
      'manifest.csv': manifiesto({ users: 'bulk' }).replace('oneroster.version,1.1', 'oneroster.version,1.2'),
      'users.csv': USUARIOS,
    });
    const r12 = await subir(v12, 'roster.zip');
    expect(r12.status).toBe(400);
    expect(JSON.stringify(r12.body)).toMatch(/oneroster.version debe ser 1.1/);

    const sinUsers = await zipDe({ 'manifest.csv': manifiesto({ users: 'bulk' }) });
    expect(JSON.stringify((await subir(sinUsers, 'roster.zip')).body)).toMatch(/el zip no tiene users.csv/);
    expect((await gw.get<{ total: number }>('/lotes')).total).toBe(antes);
  });

  it('a bulk zip onboards its students; a delta zip updates one and suspends the one tobedeleted', async () => {
    const bulk = await zipDe({
      'manifest.csv': manifiesto({
        academicSessions: 'bulk',
        orgs: 'bulk',
        courses: 'bulk',
        classes: 'bulk',
        users: 'bulk',
        enrollments: 'bulk',
      }),
      'academicSessions.csv': SESIONES,
      'orgs.csv': ORGS,
      'courses.csv': CURSOS,
      'classes.csv': CLASES,
      'users.csv': USUARIOS,
      'enrollments.csv': INSCRIPCIONES,
      'demographics.csv': 'sourcedId,status,dateLastModified,birthDate\n',
      'LEEME.txt': 'exportado por el SIS',
    });
    const r = await subir(bulk, 'roster-2031.zip');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ filas: 3, simulacion: false });
    expect(r.body.ignorados).toEqual(
      expect.arrayContaining([expect.stringMatching(/^demographics.csv: /), expect.stringMatching(/^LEEME.txt: /)]),
    );
    const primero = await asentado(r.body.loteId);
    expect(primero).toMatchObject({
      estado: 'terminado',
      total: 3,
      completados: 3,
      ingesta: { nuevos: 3, invalidos: [] },
    });
    const irene = await alumno('41500001');
    expect(irene.alumno).toMatchObject({
      nombre: 'Irene',
      apellido: 'Quiroga',
      carrera: 'Ingeniería en Informática',
      periodo: '2031-1C',
      estado: 'ingresante',
      emailPersonal: 'irene.quiroga@correo.test',
    });

    const t = '2031-08-01T12:00:00.000Z';
    const delta = await zipDe({
      // What a student's row needs to be mapped travels with it: their org, their classes and sessions.
      'manifest.csv': manifiesto({
        academicSessions: 'bulk',
        orgs: 'bulk',
        courses: 'bulk',
        classes: 'bulk',
        users: 'delta',
        enrollments: 'delta',
      }),
      'academicSessions.csv': SESIONES,
      'orgs.csv': ORGS,
      'courses.csv': CURSOS,
      'classes.csv': CLASES,
      'users.csv': `${USERS_H}
u1,active,${t},true,inf,student,u1,,Irene,Quiroga Paz,,41500001,irene.quiroga@correo.test,,,,,
u2,tobedeleted,${t},true,inf,student,u2,,Tomás,Barrios,,41500002,tomas.barrios@correo.test,,,,,
u4,active,${t},true,inf,alumno,u4,,Ana,Ríos,,41500004,,,,,,`,
      'enrollments.csv': `sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
e1,active,${t},alg-a,fac,u1,student,,,
e2,tobedeleted,${t},alg-a,fac,u2,student,,,`,
    });
    const d = await subir(delta, 'roster-2031-delta.zip');
    expect(d.status).toBe(202);
    const segundo = await waitFor(
      async () => {
        const l = await gw.get<Lote>(`/lotes/${d.body.loteId}`);
        return l.estado !== 'solicitado' && l;
      },
      'the delta lote to be ingested',
      { ...POLL, timeoutMs: 60_000 },
    );
    expect(segundo.ingesta).toMatchObject({ nuevos: 0, actualizados: 1, bajas: 1 });
    expect(segundo.ingesta.invalidos).toEqual([
      expect.objectContaining({ fuente: 'users.csv', fila: 4, motivos: [expect.stringMatching(/^role: "alumno"/)] }),
    ]);

    await waitFor(async () => (await alumno('41500001')).alumno.apellido === 'Quiroga Paz', 'the change', POLL);
    expect((await alumno('41500001')).alumno.periodo).toBe('2031-1C');
    const tomas = await waitFor(
      async () => {
        const a = await alumno('41500002');
        const baja = a.ciclo.filter((c) => c.tipo === 'baja').at(-1);
        return baja?.estado === 'suspendido' && a;
      },
      "Tomás's leave to suspend him",
      { ...POLL, timeoutMs: 120_000 },
    );
    expect(tomas.alumno.estado).toBe('baja');
    const graph = await getJson<{ users: { employeeId: string | null; accountEnabled: boolean; state: string }[] }>(
      admin('/graph/users'),
    );
    const cuenta = (dni: string) => graph.users.filter((u) => u.employeeId === dni && u.state !== 'purged');
    expect(cuenta('41500002')).toEqual([expect.objectContaining({ accountEnabled: false, state: 'active' })]);
    expect(cuenta('41500003')).toEqual([expect.objectContaining({ accountEnabled: true })]);
    // users.csv's password column never left the gateway.
    const [cmd] = tap.of(RegistrarLoteOneRoster, { loteId: r.body.loteId });
    expect(cmd!.archivos.users!.filas).toHaveLength(4);
    expect(JSON.stringify(cmd)).not.toMatch(/secreto|password/);
  });

  it('pulls a OneRoster server: everything first, then only what changed — a rename and a removal', async () => {
    const enviar = (path: string, method: string, body?: unknown) => sendJson(method, admin(path), body);
    // Only what the test asks: the scheduled pulls wait.
    for (const t of ['oneroster', 'oneroster-completa']) await gw.patch(`/trabajos/${t}`, { activo: false });
    for (const [id, dni, nombre] of [
      ['usr-e2e-1', '41600001', 'Marta'],
      ['usr-e2e-2', '41600002', 'Pedro'],
    ])
      await enviar('/oneroster/users', 'POST', {
        sourcedId: id,
        givenName: nombre,
        familyName: 'Rest',
        identifier: dni,
      });

    const primera = await gw.post<{ loteId: string; completa: boolean }>('/sync/oneroster');
    expect(primera.completa).toBe(false);
    const uno = await asentado(primera.loteId);
    expect(uno).toMatchObject({ estado: 'terminado', ingesta: { nuevos: 2, invalidos: [] } });
    expect((await alumno('41600001')).alumno).toMatchObject({
      nombre: 'Marta',
      apellido: 'Rest',
      estado: 'ingresante',
    });

    await enviar('/oneroster/users/usr-e2e-1', 'PATCH', { givenName: 'Marta Inés' });
    await enviar('/oneroster/users/usr-e2e-2', 'DELETE');
    await enviar('/oneroster/requests', 'DELETE');
    const segunda = await gw.post<{ loteId: string }>('/sync/oneroster');
    const dos = await waitFor(
      async () => {
        const l = await gw.get<Lote>(`/lotes/${segunda.loteId}`);
        return l.estado !== 'solicitado' && l;
      },
      'the pull of changes to be ingested',
      { ...POLL, timeoutMs: 60_000 },
    );
    expect(dos.ingesta).toMatchObject({ nuevos: 0, actualizados: 1, bajas: 1, invalidos: [] });
    // Students, classes and enrollments were asked for their changes only.
    const { requests } = await getJson<{ requests: { path: string; query: Record<string, string> }[] }>(
      admin('/oneroster/requests'),
    );
    const colecciones = requests.filter((r) => /\/(students|classes|enrollments)$/.test(r.path));
    expect(colecciones.length).toBeGreaterThanOrEqual(3);
    expect(colecciones.every((r) => /^dateLastModified>'|^user\.sourcedId='/.test(r.query.filter ?? ''))).toBe(true);

    await waitFor(async () => (await alumno('41600001')).alumno.nombre === 'Marta Inés', 'the rename', POLL);
    const pedro = await waitFor(
      async () => {
        const a = await alumno('41600002');
        return a.ciclo.filter((c) => c.tipo === 'baja').at(-1)?.estado === 'suspendido' && a;
      },
      "Pedro's leave to suspend him",
      { ...POLL, timeoutMs: 120_000 },
    );
    expect(pedro.alumno.estado).toBe('baja');
  });
});
