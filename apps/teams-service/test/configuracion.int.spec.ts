// teams-service applying the runtime keys upn and licenciaSku (ConfiguracionCambiada), against the real
// RabbitMQ and PostgreSQL and the sandbox's Graph: the next new student gets the new UPN and licence; a
// student who already has an account keeps it, whatever the pattern says now; a refused pattern keeps
// the one in force and says why in /health/ready.
import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  ConfiguracionCambiada,
  CuentaTeamsCreada,
  CuentaTeamsFallida,
  type Configuracion,
  type Envelope,
} from '@lucy/contracts';
import { RuntimeConfig } from '@lucy/runtime-config';
import { startTestSandbox, waitFor, type TestSandboxWithGraph, CONFIGURACION_DE_PRUEBA } from '@lucy/testing';
import { AprovisionarCuenta } from '../src/cuentas/aprovisionar-cuenta.service.js';
import { GraphClient } from '../src/graph/graph.client.js';
import { muereAntesDelCommit, nuevoAlumno, startTeams, type RunningTeams } from './support/teams-service.js';

/** The sandbox tenant's SKUs (apps/sandbox/src/graph/skus.ts). */
const STUDENT_SKU = '314c4481-f395-4525-be8b-2ec4bb1e9d91';
const FACULTY_SKU = '94763226-9b3c-4e75-a931-5c89701abe66';
const ENV_DOMAIN = 'estudiantes.unrc.edu.ar';

const VALORES: Configuracion = {
  ...CONFIGURACION_DE_PRUEBA,
  upn: { patron: 'a{dni}@{domain}', dominio: ENV_DOMAIN },
  licenciaSku: STUDENT_SKU,
};

interface UserView {
  id: string;
  userPrincipalName: string;
  state: string;
  assignedLicenses: { skuId: string }[];
}

describe('teams-service applying upn and licenciaSku at run time', () => {
  let sandbox: TestSandboxWithGraph;
  let teams: RunningTeams;
  let tenantDomain: string;
  let version = 0;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    tenantDomain = sandbox.graph.store.config.tenantDomain; // verified, like ENV_DOMAIN
    teams = await startTeams(sandbox, { CONFIG_POLL_MS: '200', GRAPH_BREAKER_VOLUME_THRESHOLD: '1000' });
  });

  afterAll(async () => {
    await teams?.stop();
    await sandbox?.close();
  });

  const runtime = () => teams.app.get(RuntimeConfig);
  const alumnoCreado = (alumno = nuevoAlumno(), alumnoId = randomUUID()) => ({ alumnoId, loteId: null, alumno });

  /** An operator's change, as the gateway announces it; resolves once this replica applied it. */
  async function cambiar(cambios: Partial<Configuracion>, fijadas: string[]): Promise<void> {
    version += 1;
    await teams.broker.publish(ConfiguracionCambiada, {
      version,
      valores: { ...VALORES, ...cambios },
      cambios: Object.keys(cambios),
      fijadas,
      cambiadoPor: 'ana@test',
    });
    await waitFor(() => runtime().version === version, `version ${version} applied`, { timeoutMs: 10_000 });
  }

  /** The tenant's users (through the sandbox's inspection API) whose UPN holds the DNI: every pattern has {dni}. */
  async function usersWithDni(dni: string): Promise<UserView[]> {
    const { users } = await sandbox.admin<{ users: UserView[] }>('/graph/users?state=active');
    return users.filter((u) => u.userPrincipalName.includes(dni));
  }

  async function onboard(evento: ReturnType<typeof alumnoCreado>) {
    const env = await teams.broker.publish(AlumnoCreado, evento);
    return (await teams.broker.reply(CuentaTeamsCreada, env)).env.payload;
  }

  const rowOf = async (alumnoId: string) => (await teams.cuentas()).find((c) => c.alumno_id === alumnoId);

  it('gives the next new student a UPN from the new pattern and domain, and the new licence', async () => {
    await cambiar(
      { upn: { patron: '{inicial}{apellido}.{dni}@{domain}', dominio: tenantDomain }, licenciaSku: FACULTY_SKU },
      ['upn', 'licenciaSku'],
    );

    const evento = alumnoCreado();
    const creada = await onboard(evento);

    const upn = `mnunez.${evento.alumno.dni}@${tenantDomain}`;
    expect(creada).toMatchObject({ upn, existente: false, credencialVersion: 1 });
    const users = await usersWithDni(evento.alumno.dni);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ id: creada.graphUserId, userPrincipalName: upn });
    expect(users[0]!.assignedLicenses.map((l) => l.skuId)).toEqual([FACULTY_SKU]);
    expect(await rowOf(evento.alumnoId)).toMatchObject({ upn, estado: 'activa' });
    // Created with the key that does not depend on the pattern, as Graph's $filter finds it.
    expect((await teams.app.get(GraphClient).findUsersByEmployeeId(evento.alumno.dni)).map((u) => u.id)).toEqual([
      creada.graphUserId,
    ]);
  });

  it('keeps the UPN and licence of a student who already has an account when AlumnoCreado comes again, with no second user', async () => {
    await cambiar({ upn: { patron: 'a{dni}@{domain}', dominio: ENV_DOMAIN }, licenciaSku: STUDENT_SKU }, [
      'upn',
      'licenciaSku',
    ]);
    const evento = alumnoCreado();
    const uno = await onboard(evento);
    expect(uno.upn).toBe(`a${evento.alumno.dni}@${ENV_DOMAIN}`);

    await cambiar({ upn: { patron: 'alumno.{dni}@{domain}', dominio: tenantDomain }, licenciaSku: FACULTY_SKU }, [
      'upn',
      'licenciaSku',
    ]);
    // The same student registered again: another event, the same alumnoId.
    const dos = await onboard(evento);

    expect(dos).toMatchObject({ upn: uno.upn, graphUserId: uno.graphUserId, existente: true, credencialVersion: 2 });
    const users = await usersWithDni(evento.alumno.dni);
    expect(users.map((u) => u.userPrincipalName)).toEqual([uno.upn]);
    // Delivered before: it keeps its licence rather than taking a second one.
    expect(users[0]!.assignedLicenses.map((l) => l.skuId)).toEqual([STUDENT_SKU]);
    expect(await rowOf(evento.alumnoId)).toMatchObject({ upn: uno.upn, credencial_version: 2 });
    expect(sandbox.graph.store.verifyPassword(uno.upn, teams.box.open(dos.credencial, evento.alumnoId))).toBe(true);
  });

  it('finds the account an interrupted attempt created before a pattern change, and creates no second one', async () => {
    await cambiar({ upn: { patron: 'a{dni}@{domain}', dominio: ENV_DOMAIN }, licenciaSku: STUDENT_SKU }, [
      'upn',
      'licenciaSku',
    ]);
    const evento = alumnoCreado();
    const env = teams.broker.envelope(AlumnoCreado, evento);
    const upnAntes = `a${evento.alumno.dni}@${ENV_DOMAIN}`;
    // The first delivery's work reaches Graph, then its process dies before the last commit: no inbox
    // mark, no event, the row still pendiente under the old pattern's UPN (no account recorded).
    const servicio = teams.app.get(AprovisionarCuenta);
    await expect(servicio.ejecutar(evento, muereAntesDelCommit(teams, env as Envelope))).rejects.toThrow(
      'process killed',
    );
    expect((await usersWithDni(evento.alumno.dni)).map((u) => u.userPrincipalName)).toEqual([upnAntes]);
    expect(await rowOf(evento.alumnoId)).toMatchObject({ upn: upnAntes, estado: 'pendiente', graph_user_id: null });

    // An operator changes the pattern before the broker redelivers the message.
    await cambiar({ upn: { patron: 'alumno.{dni}@{domain}', dominio: tenantDomain }, licenciaSku: FACULTY_SKU }, [
      'upn',
      'licenciaSku',
    ]);
    await teams.broker.send(AlumnoCreado, env);
    const { env: creada } = await teams.broker.reply(CuentaTeamsCreada, env);

    const users = await usersWithDni(evento.alumno.dni);
    expect(users.map((u) => u.userPrincipalName)).toEqual([upnAntes]);
    // This onboarding's own account (not "existente"), under the UPN it was created with.
    expect(creada.payload).toMatchObject({
      upn: upnAntes,
      graphUserId: users[0]!.id,
      existente: false,
      credencialVersion: 1,
    });
    expect(await rowOf(evento.alumnoId)).toMatchObject({
      upn: upnAntes,
      graph_user_id: users[0]!.id,
      estado: 'activa',
    });
    expect(
      sandbox.graph.store.verifyPassword(upnAntes, teams.box.open(creada.payload.credencial, evento.alumnoId)),
    ).toBe(true);
  });

  it('gives a student whose onboarding failed leaving no account the pattern in force when it runs again', async () => {
    // A domain name the tenant has not verified: Graph refuses every new user for good.
    await cambiar({ upn: { patron: 'a{dni}@{domain}', dominio: 'alumnos.example.edu' }, licenciaSku: STUDENT_SKU }, [
      'upn',
      'licenciaSku',
    ]);
    const evento = alumnoCreado();
    const fallida = await teams.broker.reply(CuentaTeamsFallida, await teams.broker.publish(AlumnoCreado, evento));
    expect(fallida.env.payload).toMatchObject({ upn: `a${evento.alumno.dni}@alumnos.example.edu`, permanente: true });
    expect(await rowOf(evento.alumnoId)).toMatchObject({ estado: 'fallida', graph_user_id: null });

    // The operator fixes the domain and runs the student's onboarding again (the gateway's "activar").
    await cambiar({ upn: { patron: 'a{dni}@{domain}', dominio: tenantDomain }, licenciaSku: STUDENT_SKU }, [
      'upn',
      'licenciaSku',
    ]);
    const creada = await onboard(evento);

    const upn = `a${evento.alumno.dni}@${tenantDomain}`;
    expect(creada).toMatchObject({ upn, existente: false, credencialVersion: 1 });
    expect((await usersWithDni(evento.alumno.dni)).map((u) => u.userPrincipalName)).toEqual([upn]);
    expect(await rowOf(evento.alumnoId)).toMatchObject({ upn, estado: 'activa', graph_user_id: creada.graphUserId });
  });

  it('refuses a pattern without {dni}, keeps the one in force and says why in /health/ready', async () => {
    await cambiar(
      { upn: { patron: '{inicial}{apellido}.{dni}@{domain}', dominio: tenantDomain }, licenciaSku: FACULTY_SKU },
      ['upn', 'licenciaSku'],
    );
    await cambiar({ upn: { patron: '{nombre}.{apellido}@{domain}', dominio: ENV_DOMAIN }, licenciaSku: STUDENT_SKU }, [
      'upn',
      'licenciaSku',
    ]);

    const res = await fetch(`${await teams.app.getUrl()}/health/ready`);
    const body = (await res.json()) as { details: Record<string, unknown> };
    expect(body.details.configuracion).toMatchObject({
      version,
      fijadas: ['upn', 'licenciaSku'],
      rechazadas: { upn: expect.stringMatching(/^patron: must contain \{dni\}/) },
    });
    expect(runtime().get('upn')).toEqual({ patron: '{inicial}{apellido}.{dni}@{domain}', dominio: tenantDomain });
    // ... and in /metrics, where the alert on a refused configuration reads it.
    const metrics = await (await fetch(`${await teams.app.getUrl()}/metrics`)).text();
    expect(metrics).toMatch(/^lucy_config_rejected_keys\{service="[^"]+"\} 1$/m);
    expect(metrics).toMatch(new RegExp(`^lucy_config_version\\{service="[^"]+"\\} ${version}$`, 'm'));

    // The refused key keeps its value; the other key of the same change is applied.
    const evento = alumnoCreado();
    const creada = await onboard(evento);
    expect(creada.upn).toBe(`mnunez.${evento.alumno.dni}@${tenantDomain}`);
    const [user] = await usersWithDni(evento.alumno.dni);
    expect(user!.assignedLicenses.map((l) => l.skuId)).toEqual([STUDENT_SKU]);
  });

  it('goes back to UPN_PATTERN, UPN_DOMAIN and LICENSE_SKU_ID once no operator sets the keys', async () => {
    await cambiar({ upn: { patron: 'alumno.{dni}@{domain}', dominio: tenantDomain }, licenciaSku: FACULTY_SKU }, []);

    const evento = alumnoCreado();
    const creada = await onboard(evento);
    expect(creada.upn).toBe(`a${evento.alumno.dni}@${ENV_DOMAIN}`);
    const [user] = await usersWithDni(evento.alumno.dni);
    expect(user!.assignedLicenses.map((l) => l.skuId)).toEqual([STUDENT_SKU]);
  });
});
