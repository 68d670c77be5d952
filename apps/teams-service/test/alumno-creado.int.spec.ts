// teams-service in-process against the real RabbitMQ and PostgreSQL and the sandbox's identity + Graph:
// AlumnoCreado → one licensed account with a sealed temporary password, once, whatever is redelivered.
import { randomUUID } from 'node:crypto';
import { AlumnoCreado, CuentaTeamsCreada, CuentaTeamsFallida, type Envelope } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { startTestSandbox, waitFor, type TestSandboxWithGraph } from '@lucy/testing';
import { AprovisionarCuenta } from '../src/cuentas/aprovisionar-cuenta.service.js';
import {
  muereAntesDelCommit,
  nuevoAlumno,
  RETRY_DELAYS_MS,
  startTeams,
  usersOf,
  type RunningTeams,
} from './support/teams-service.js';

const STUDENT_SKU = '314c4481-f395-4525-be8b-2ec4bb1e9d91';

describe('teams-service on AlumnoCreado', () => {
  let sandbox: TestSandboxWithGraph;
  let teams: RunningTeams;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    // The breaker would open under the failures these tests provoke on purpose; graph-protection.int.spec.ts tests it.
    teams = await startTeams(sandbox, { GRAPH_BREAKER_VOLUME_THRESHOLD: '1000' });
  });

  afterAll(async () => {
    await teams?.stop();
    await sandbox?.close();
  });

  afterEach(() => sandbox.ctx.faults.reset());

  const alumnoCreado = (alumno = nuevoAlumno()) => ({ alumnoId: randomUUID(), loteId: null, alumno });
  const upnOf = (dni: string) => `a${dni}@estudiantes.unrc.edu.ar`;

  async function consumed(outcome: string): Promise<number> {
    const metric = await teams.app.get(MessagingRuntime).metrics.consumed.get();
    return metric.values
      .filter((v) => v.labels.outcome === outcome && v.labels.type === AlumnoCreado.id)
      .reduce((n, v) => n + v.value, 0);
  }

  it('creates one licensed account with usageLocation and announces it with the password sealed', async () => {
    const evento = alumnoCreado();
    const env = await teams.broker.publish(AlumnoCreado, evento);
    const { env: creada, body: raw } = await teams.broker.reply(CuentaTeamsCreada, env);
    const upn = upnOf(evento.alumno.dni);

    expect(creada.payload).toMatchObject({
      alumnoId: evento.alumnoId,
      upn,
      existente: false,
      credencialVersion: 1,
      alumno: evento.alumno,
    });
    expect(creada.correlationId).toBe(env.correlationId);
    const users = usersOf(sandbox, upn);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      id: creada.payload.graphUserId,
      state: 'active',
      accountEnabled: true,
      usageLocation: 'AR',
      passwordChanges: 0,
    });
    expect(users[0].assignedLicenses.map((l) => l.skuId)).toEqual([STUDENT_SKU]);

    // The sealed credential opens for this student only, and it is the account's password.
    const password = teams.box.open(creada.payload.credencial, evento.alumnoId);
    expect(password).toMatch(/^.{16}$/);
    expect(sandbox.graph.store.verifyPassword(upn, password)).toBe(true);
    expect(() => teams.box.open(creada.payload.credencial, randomUUID())).toThrow();

    // Never in clear: not in the message on the wire, not in the table, not in a log line.
    expect(raw).not.toContain(password);
    const cuentas = await teams.cuentas();
    const row = cuentas.find((c) => c.alumno_id === evento.alumnoId)!;
    expect(row).toMatchObject({
      upn,
      graph_user_id: users[0].id,
      estado: 'activa',
      credencial_version: 1,
      ultimo_error: null,
    });
    expect(JSON.stringify(cuentas)).not.toContain(password);
    expect(teams.logs.length).toBeGreaterThan(0);
    expect(teams.logs.join('')).not.toContain(password);
  });

  it('does nothing again for a duplicate delivery of the same message', async () => {
    const evento = alumnoCreado();
    const env = teams.broker.envelope(AlumnoCreado, evento);
    await teams.broker.send(AlumnoCreado, env);
    await teams.broker.reply(CuentaTeamsCreada, env);
    const duplicatesBefore = await consumed('duplicate');

    await teams.broker.send(AlumnoCreado, env);
    await waitFor(async () => (await consumed('duplicate')) > duplicatesBefore, 'the duplicate to be consumed', {
      timeoutMs: 10_000,
    });

    expect(teams.broker.repliesTo(CuentaTeamsCreada, env)).toHaveLength(1);
    const [user] = usersOf(sandbox, upnOf(evento.alumno.dni));
    expect(usersOf(sandbox, upnOf(evento.alumno.dni))).toHaveLength(1);
    expect(user.passwordChanges).toBe(0);
  });

  it('creates no second user when redelivered after a crash between Graph and the commit', async () => {
    const evento = alumnoCreado();
    const env = teams.broker.envelope(AlumnoCreado, evento);
    const upn = upnOf(evento.alumno.dni);
    // The first delivery's work reaches Graph, then its process dies before the last commit: no inbox
    // mark, no event, the row still pendiente (its UPN reserved, no account recorded).
    const servicio = teams.app.get(AprovisionarCuenta);
    await expect(servicio.ejecutar(evento, muereAntesDelCommit(teams, env as Envelope))).rejects.toThrow(
      'process killed',
    );
    expect(usersOf(sandbox, upn)).toHaveLength(1);
    expect((await teams.cuentas()).find((c) => c.alumno_id === evento.alumnoId)).toMatchObject({
      estado: 'pendiente',
      graph_user_id: null,
    });

    // The broker redelivers the same message.
    await teams.broker.send(AlumnoCreado, env);
    const { env: creada } = await teams.broker.reply(CuentaTeamsCreada, env);

    const users = usersOf(sandbox, upn);
    expect(users).toHaveLength(1);
    expect(creada.payload).toMatchObject({ graphUserId: users[0].id, existente: false, credencialVersion: 1 });
    // The first attempt's password died with it: the account got a new one, the one sent.
    expect(users[0].passwordChanges).toBe(1);
    expect(sandbox.graph.store.verifyPassword(upn, teams.box.open(creada.payload.credencial, evento.alumnoId))).toBe(
      true,
    );
  });

  it('reuses an account that already exists for the student, with a new password and the next credential version', async () => {
    const evento = alumnoCreado();
    const first = await teams.broker.publish(AlumnoCreado, evento);
    const { env: uno } = await teams.broker.reply(CuentaTeamsCreada, first);

    // A new onboarding of the same student (another event, e.g. registered again).
    const second = await teams.broker.publish(AlumnoCreado, evento);
    const { env: dos } = await teams.broker.reply(CuentaTeamsCreada, second);

    expect(dos.payload).toMatchObject({ graphUserId: uno.payload.graphUserId, existente: true, credencialVersion: 2 });
    const upn = upnOf(evento.alumno.dni);
    expect(usersOf(sandbox, upn)).toHaveLength(1);
    expect(sandbox.graph.store.verifyPassword(upn, teams.box.open(dos.payload.credencial, evento.alumnoId))).toBe(true);
    expect(sandbox.graph.store.verifyPassword(upn, teams.box.open(uno.payload.credencial, evento.alumnoId))).toBe(
      false,
    );
  });

  it('fails for good on a domain the tenant has not verified, creating nothing', async () => {
    const verified = sandbox.graph.store.config.verifiedDomains;
    sandbox.graph.store.configure({ verifiedDomains: ['lucy.onmicrosoft.com'] });
    try {
      const evento = alumnoCreado();
      const env = await teams.broker.publish(AlumnoCreado, evento);
      const { env: fallida } = await teams.broker.reply(CuentaTeamsFallida, env);
      expect(fallida.payload).toMatchObject({
        alumnoId: evento.alumnoId,
        upn: upnOf(evento.alumno.dni),
        permanente: true,
        codigo: 'Request_BadRequest',
      });
      expect(fallida.payload.motivo).toMatch(
        /^Graph 400 Request_BadRequest: The domain portion of the userPrincipalName property is invalid/,
      );
      expect(usersOf(sandbox, upnOf(evento.alumno.dni))).toHaveLength(0);
      const row = (await teams.cuentas()).find((c) => c.alumno_id === evento.alumnoId);
      expect(row).toMatchObject({ estado: 'fallida', graph_user_id: null });
    } finally {
      sandbox.graph.store.configure({ verifiedDomains: verified });
    }
  });

  it('deletes the user it created again when the licence has no units left, then reports the failure', async () => {
    const consumedNow = sandbox.graph.store.stats().skus.find((s) => s.skuId === STUDENT_SKU)!.consumed;
    sandbox.graph.store.configure({ skuUnits: { STANDARDWOFFPACK_STUDENT: consumedNow } });
    try {
      const evento = alumnoCreado();
      const env = await teams.broker.publish(AlumnoCreado, evento);
      const { env: fallida } = await teams.broker.reply(CuentaTeamsFallida, env);
      expect(fallida.payload).toMatchObject({ permanente: true, upn: upnOf(evento.alumno.dni) });
      expect(fallida.payload.motivo).toMatch(/does not have any available licenses.*the account was deleted again/);
      const users = usersOf(sandbox, upnOf(evento.alumno.dni));
      expect(users).toHaveLength(1);
      expect(users[0].state).toBe('deleted');
      expect((await teams.cuentas()).find((c) => c.alumno_id === evento.alumnoId)).toMatchObject({
        estado: 'fallida',
        graph_user_id: null,
      });
    } finally {
      sandbox.graph.store.configure({ skuUnits: { STANDARDWOFFPACK_STUDENT: 1_000_000 } });
    }
  });

  it('retries while Graph answers 5xx (its breaker closed) and reports a non-permanent failure on the last attempt', async () => {
    const retriedBefore = await consumed('retried');
    sandbox.ctx.faults.set('graph', { errorRate: 1 });
    const evento = alumnoCreado();
    const env = await teams.broker.publish(AlumnoCreado, evento);
    const { env: fallida } = await teams.broker.reply(CuentaTeamsFallida, env);
    expect(fallida.payload).toMatchObject({ permanente: false });
    expect(fallida.payload.motivo).toMatch(/TransientError: Graph 50[34]/);
    expect((await consumed('retried')) - retriedBefore).toBe(RETRY_DELAYS_MS.length);
    expect(usersOf(sandbox, upnOf(evento.alumno.dni))).toHaveLength(0);
  });

  it('rides out a Graph that answers too slowly, once it answers again', async () => {
    const retriedBefore = await consumed('retried');
    sandbox.ctx.faults.set('graph', { hangMs: 2500 });
    const evento = alumnoCreado();
    const env = await teams.broker.publish(AlumnoCreado, evento);
    await waitFor(async () => (await consumed('retried')) > retriedBefore, 'an attempt timed out and retried', {
      timeoutMs: 10_000,
    });
    expect(teams.broker.repliesTo(CuentaTeamsCreada, env)).toHaveLength(0);
    sandbox.ctx.faults.reset('graph');
    const { env: creada } = await teams.broker.reply(CuentaTeamsCreada, env);
    expect(usersOf(sandbox, creada.payload.upn).filter((u) => u.state === 'active')).toHaveLength(1);
  });

  it('asks the identity platform for one token and reuses it from MSAL’s cache for every call', async () => {
    const env = await teams.broker.publish(AlumnoCreado, alumnoCreado());
    await teams.broker.reply(CuentaTeamsCreada, env);
    expect(sandbox.ctx.counters.total('graph')).toBeGreaterThan(3);
    expect(sandbox.ctx.counters.total('identity', { endpoint: 'POST /{tenant}/oauth2/v2.0/token' })).toBe(1);
  });
});
