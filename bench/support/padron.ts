// A settled student body for bench:reconciliacion, seeded in bulk: the rows Lucy's registry keeps for each
// onboarded student (the gateway's onboarding workflow, teams-service's cuenta, moodle-service's Moodle user and
// enrolments), written straight into the services' tables, and the same students in the stand-ins' own state
// (the Graph tenant's users with their licence, Moodle's users and enrolments), as an onboarding leaves them.
// Only what a reconciliation reads is written. Then a few differences are made on purpose, one per student,
// each of a kind the report must count: what `deriva` returns is the report's expected porTipo.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RunningSandbox } from '@lucy/sandbox';

const DOMINIO = 'estudiantes.unrc.edu.ar';
const SKU = '314c4481-f395-4525-be8b-2ec4bb1e9d91'; // the stand-in's STANDARDWOFFPACK_STUDENT
/** An ingresante's courses in the sandbox's course map (moodle-service's default MOODLE_CURSOS). */
const CURSOS = ['ING-2027-INTRO', 'ING-2027-MATE', 'ING-2027-ECO'];
const ROL_ALUMNO = 5;
const NOMBRES = ['María José', 'Lucía', 'Tomás', 'Joaquín', 'Ana', 'Martín', 'Sofía', 'Iñaki', 'Valentina', 'Julián'];
const APELLIDOS = ['Núñez', 'Gómez', 'Pérez', 'Fernández', 'López', 'Díaz', 'Martínez', 'Romero', 'Sosa', 'Álvarez'];
const CARRERAS = ['Contador Público', 'Licenciatura en Economía', 'Licenciatura en Administración'];

/** The drift made on purpose, per kind: a fixed handful, whatever the number of students. */
export const DERIVA = {
  cuenta_faltante: 3,
  cuenta_deshabilitada: 2,
  licencia_faltante: 2,
  datos_distintos: 2,
  moodle_usuario_faltante: 2,
  inscripcion_faltante: 3,
  huerfano: 3, // two users in the students' domain nobody onboarded, one enrolment Lucy did not make
} as const;
const ALUMNOS_CON_DERIVA = 14; // every kind but the orphans touches one student of its own

interface Alumno {
  alumnoId: string;
  dni: string;
  upn: string;
  nombre: string;
  apellido: string;
  carrera: string;
}

function alumnos(n: number): Alumno[] {
  return Array.from({ length: n }, (_, i) => {
    const dni = String(30_000_000 + i);
    return {
      alumnoId: randomUUID(),
      dni,
      upn: `a${dni}@${DOMINIO}`,
      nombre: NOMBRES[i % NOMBRES.length],
      apellido: APELLIDOS[Math.floor(i / NOMBRES.length) % APELLIDOS.length],
      carrera: CARRERAS[i % CARRERAS.length],
    };
  });
}

/** Inserts `rows` through jsonb_to_recordset, a few thousand per statement. */
async function insertar(db: pg.Client, sql: string, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) await db.query(sql, [JSON.stringify(rows.slice(i, i + 5000))]);
}

/**
 * Seeds `n` settled students (n ≥ 20) and the drift; returns the report's expected porTipo. The stand-ins are
 * the bench's in-process sandbox; `databaseUrl` the stack's database, its services' migrations already run.
 */
export async function sembrar(
  sandbox: RunningSandbox,
  databaseUrl: string,
  n: number,
): Promise<Record<string, number>> {
  if (n < ALUMNOS_CON_DERIVA + 6) throw new Error(`at least ${ALUMNOS_CON_DERIVA + 6} students, please`);
  const graph = sandbox.graph!.store;
  const moodle = sandbox.moodle;
  const todos = alumnos(n);
  // The drifted students, spread over the body (and so over Graph's and Moodle's pages).
  const paso = Math.floor(n / ALUMNOS_CON_DERIVA);
  const derivados = Array.from({ length: ALUMNOS_CON_DERIVA }, (_, k) => todos[k * paso + 1]);
  const tomar = (cuantos: number) => derivados.splice(0, cuantos);
  const sinCuenta = new Set(tomar(DERIVA.cuenta_faltante));
  const deshabilitados = new Set(tomar(DERIVA.cuenta_deshabilitada));
  const sinLicencia = new Set(tomar(DERIVA.licencia_faltante));
  const renombrados = new Set(tomar(DERIVA.datos_distintos));
  const sinUsuarioMoodle = new Set(tomar(DERIVA.moodle_usuario_faltante));
  const desenrolados = new Set(tomar(DERIVA.inscripcion_faltante));

  // Graph: each account as teams-service creates it (profile, usage location, licence).
  const graphIds = new Map<string, string>();
  for (const a of todos) {
    if (sinCuenta.has(a)) continue;
    const u = graph.createUser({
      accountEnabled: !deshabilitados.has(a),
      displayName: `${a.nombre} ${a.apellido}`,
      mailNickname: `a${a.dni}`,
      userPrincipalName: a.upn,
      givenName: a.nombre,
      surname: renombrados.has(a) ? `${a.apellido} (cambiado a mano)` : a.apellido,
      department: a.carrera,
      employeeId: a.dni,
      usageLocation: 'AR',
      passwordProfile: { password: `Bench!${a.dni}x`, forceChangePasswordNextSignIn: true },
    });
    // Set as the live record: assignLicense would count every unit in use per call (quadratic here).
    if (!sinLicencia.has(a)) u.assignedLicenses = [{ skuId: SKU, disabledPlans: [] }];
    graphIds.set(a.alumnoId, u.id);
  }
  for (let k = 1; k <= 2; k++)
    graph.createUser({
      accountEnabled: true,
      displayName: `Cuenta manual ${k}`,
      mailNickname: `manual${k}`,
      userPrincipalName: `manual${k}@${DOMINIO}`,
      passwordProfile: { password: `Manual!${k}xYz9`, forceChangePasswordNextSignIn: true },
    });

  // Moodle: the user (oauth2, username the UPN) and the ingresante's courses.
  const curso = new Map(moodle.courses().map((c) => [c.shortname, c.id]));
  const ahora = Math.floor(Date.now() / 1000);
  const enrolar = (userid: number, courseid: number) =>
    moodle.setEnrolment({
      userid,
      courseid,
      roleids: [ROL_ALUMNO],
      timestart: ahora,
      timeend: 0,
      status: 0,
      timecreated: ahora,
    });
  const moodleIds = new Map<string, number>();
  for (const a of todos) {
    const u = moodle.insertUser({
      username: a.upn.toLowerCase(),
      auth: 'oauth2',
      firstname: a.nombre,
      lastname: a.apellido,
      email: a.upn.toLowerCase(),
      idnumber: a.dni,
    });
    moodleIds.set(a.alumnoId, u.id);
    if (sinUsuarioMoodle.has(a)) {
      u.deleted = true; // delete_user keeps the row, flagged (a deleted user is never returned)
      continue;
    }
    CURSOS.forEach((c, i) => {
      if (!(desenrolados.has(a) && i === 1)) enrolar(u.id, curso.get(c)!);
    });
  }
  const intruso = moodle.insertUser({
    username: 'intruso',
    firstname: 'Intruso',
    lastname: 'Moodle',
    email: 'intruso@example.com',
  });
  enrolar(intruso.id, curso.get(CURSOS[0])!);

  // Lucy's registry: the gateway's settled onboardings, teams-service's and moodle-service's rows.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await insertar(
      db,
      `INSERT INTO gateway.workflow (id, alumno_id, tipo, estado, correlation_id, alumno, upn, finished_at)
       SELECT gen_random_uuid(), x.alumno_id, 'onboarding', 'completado', x.alumno_id::text, x.alumno, x.upn, now()
         FROM jsonb_to_recordset($1::jsonb) AS x(alumno_id uuid, upn text, alumno jsonb)`,
      todos.map((a) => ({
        alumno_id: a.alumnoId,
        upn: a.upn,
        alumno: {
          dni: a.dni,
          nombre: a.nombre,
          apellido: a.apellido,
          emailPersonal: `${a.dni}@correo.example`,
          emailInstitucional: null,
          carrera: a.carrera,
          estado: 'ingresante',
          periodo: '2027',
        },
      })),
    );
    await insertar(
      db,
      `INSERT INTO teams.cuenta (id, alumno_id, upn, graph_user_id, estado, creada_por_lucy, credencial_version)
       SELECT gen_random_uuid(), x.alumno_id, x.upn, x.graph_user_id, 'activa', true, 1
         FROM jsonb_to_recordset($1::jsonb) AS x(alumno_id uuid, upn text, graph_user_id text)`,
      // The deleted account's row keeps the id Graph gave it once; here, one no user has.
      todos.map((a) => ({
        alumno_id: a.alumnoId,
        upn: a.upn,
        graph_user_id: graphIds.get(a.alumnoId) ?? randomUUID(),
      })),
    );
    await insertar(
      db,
      `INSERT INTO moodle.moodle_usuario (alumno_id, username, moodle_user_id, auth, origen)
       SELECT x.alumno_id, x.username, x.moodle_user_id, 'oauth2', 'creado'
         FROM jsonb_to_recordset($1::jsonb) AS x(alumno_id uuid, username text, moodle_user_id int)`,
      todos.map((a) => ({
        alumno_id: a.alumnoId,
        username: a.upn.toLowerCase(),
        moodle_user_id: moodleIds.get(a.alumnoId),
      })),
    );
    await insertar(
      db,
      `INSERT INTO moodle.inscripcion (alumno_id, shortname, course_id, moodle_user_id, role_id, estado, enrolada_at)
       SELECT x.alumno_id, x.shortname, x.course_id, x.moodle_user_id, ${ROL_ALUMNO}, 'enrolada', now()
         FROM jsonb_to_recordset($1::jsonb) AS x(alumno_id uuid, shortname text, course_id int, moodle_user_id int)`,
      todos.flatMap((a) =>
        CURSOS.map((c) => ({
          alumno_id: a.alumnoId,
          shortname: c,
          course_id: curso.get(c),
          moodle_user_id: moodleIds.get(a.alumnoId),
        })),
      ),
    );
  } finally {
    await db.end();
  }
  return { ...DERIVA };
}
