// A student whose onboarding fails leaves nothing active: Graph fails transiently after the user was
// created until the retries are spent → the user is disabled and named in CuentaTeamsFallida; the
// saga's undo (EliminarCuentaTeams, dejadaPorFallo) deletes it; a retry before that adopts it instead.
import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  CUENTA_ADOPTADA,
  CuentaTeamsCreada,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  CuentaTeamsFallida,
  EliminarCuentaTeams,
} from '@lucy/contracts';
import { startTestSandbox, type TestSandboxWithGraph } from '@lucy/testing';
import { graphFallaEn, nuevoAlumno, startTeams, usersOf, type RunningTeams } from './support/teams-service.js';

interface UsuarioAdmin {
  id: string;
  userPrincipalName: string;
  state: string;
  accountEnabled: boolean;
}

describe('teams-service: a failed onboarding leaves nothing active', () => {
  let sandbox: TestSandboxWithGraph;
  let teams: RunningTeams;
  let restaurar: (() => void) | undefined;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    // The breaker would open under the failures provoked here on purpose; graph-protection.int.spec.ts tests it.
    teams = await startTeams(sandbox, { GRAPH_BREAKER_VOLUME_THRESHOLD: '1000' });
  });

  afterAll(async () => {
    await teams?.stop();
    await sandbox?.close();
  });

  afterEach(() => {
    restaurar?.();
    restaurar = undefined;
  });

  /** The tenant's users under a UPN, through the sandbox's admin API (`GET /_admin/graph/users`). */
  const enElTenant = async (upn: string) =>
    (await sandbox.admin<{ users: UsuarioAdmin[] }>(`/graph/users?userPrincipalName=${encodeURIComponent(upn)}`)).users;

  /**
   * The chaos run's case: the create lands but its answer is lost (504), and every password PATCH then
   * answers 503, so each retry finds the user and fails on it, until the last attempt.
   */
  async function fallaDejandoCuenta(evento = { alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() }) {
    restaurar = graphFallaEn(sandbox, (req, ejecutar) => {
      if (req.method === 'POST' && req.segments.length === 1 && req.segments[0] === 'users') return (ejecutar(), 504);
      if (
        req.method === 'PATCH' &&
        req.segments[0] === 'users' &&
        (req.body as { passwordProfile?: unknown })?.passwordProfile
      )
        return 503;
      return null;
    });
    const env = await teams.broker.publish(AlumnoCreado, evento);
    const { env: fallida } = await teams.broker.reply(CuentaTeamsFallida, env);
    return { evento, fallida: fallida.payload };
  }

  it('disables the user it created and names it in CuentaTeamsFallida; the undo deletes it', async () => {
    const { evento, fallida } = await fallaDejandoCuenta();
    const upn = fallida.upn!;
    const [user] = usersOf(sandbox, upn);
    expect(usersOf(sandbox, upn)).toHaveLength(1);
    expect(fallida).toMatchObject({
      alumnoId: evento.alumnoId,
      upn,
      graphUserId: user.id,
      deshabilitada: true,
      permanente: false,
    });
    expect(fallida.motivo).toMatch(/Graph 503.*the account .* was disabled/);
    // Disabled, as the tenant's admin API shows it.
    expect(await enElTenant(upn)).toEqual([
      expect.objectContaining({ id: user.id, state: 'active', accountEnabled: false }),
    ]);
    expect((await teams.cuentas()).find((c) => c.alumno_id === evento.alumnoId)).toMatchObject({
      estado: 'fallida',
      graph_user_id: user.id,
      creada_por_lucy: true,
    });

    // The saga's undo, as the gateway sends it for an account a failure left.
    const cmd = await teams.broker.publish(EliminarCuentaTeams, {
      alumnoId: evento.alumnoId,
      upn,
      graphUserId: user.id,
      dejadaPorFallo: true,
    });
    const { env: eliminada } = await teams.broker.reply(CuentaTeamsEliminada, cmd);
    expect(eliminada.payload).toMatchObject({ graphUserId: user.id, yaNoExistia: false });
    // In deletedItems: soft-deleted, restorable for 30 days.
    expect(await enElTenant(upn)).toEqual([expect.objectContaining({ id: user.id, state: 'deleted' })]);
    expect(sandbox.graph.store.getDeleted(user.id)).toBeDefined();
  });

  it('lets a retry adopt the account a failure left (no second user), and then its undo deletes nothing', async () => {
    const { evento, fallida } = await fallaDejandoCuenta();
    restaurar?.();
    restaurar = undefined;

    // An operator's retry (the gateway publishes the student's AlumnoCreado again).
    const env = await teams.broker.publish(AlumnoCreado, evento);
    const { env: creada } = await teams.broker.reply(CuentaTeamsCreada, env);
    expect(creada.payload).toMatchObject({ upn: fallida.upn, graphUserId: fallida.graphUserId });
    const users = usersOf(sandbox, fallida.upn!);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ state: 'active', accountEnabled: true });
    expect(
      sandbox.graph.store.verifyPassword(fallida.upn!, teams.box.open(creada.payload.credencial, evento.alumnoId)),
    ).toBe(true);

    // The undo the failure had asked for arrives late: the account is the student's now, and stays.
    const cmd = await teams.broker.publish(EliminarCuentaTeams, {
      alumnoId: evento.alumnoId,
      upn: fallida.upn!,
      graphUserId: fallida.graphUserId!,
      dejadaPorFallo: true,
    });
    const { env: negada } = await teams.broker.reply(CuentaTeamsEliminacionFallida, cmd);
    expect(negada.payload).toMatchObject({ codigo: CUENTA_ADOPTADA, permanente: true });
    expect(usersOf(sandbox, fallida.upn!)[0]).toMatchObject({ state: 'active', accountEnabled: true });
  });

  it('reports the user a new onboarding created after the old account was deleted, not the deleted one', async () => {
    const evento = { alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() };
    const { env: creada } = await teams.broker.reply(
      CuentaTeamsCreada,
      await teams.broker.publish(AlumnoCreado, evento),
    );
    const { upn, graphUserId: anterior } = creada.payload;
    await teams.broker.reply(
      CuentaTeamsEliminada,
      await teams.broker.publish(EliminarCuentaTeams, { alumnoId: evento.alumnoId, upn, graphUserId: anterior }),
    );

    const { fallida } = await fallaDejandoCuenta(evento);
    const nuevo = usersOf(sandbox, upn).find((u) => u.state === 'active')!;
    expect(nuevo.id).not.toBe(anterior);
    expect(fallida).toMatchObject({ upn, graphUserId: nuevo.id, deshabilitada: true });
    expect(nuevo.accountEnabled).toBe(false);
  });

  it('disables the user an earlier attempt created even when Graph cannot be asked for it any more', async () => {
    // The create answers; from then on the licence and every lookup fail (503), so the last attempt cannot
    // find the user in Graph: the note written when Graph created it names the user instead.
    let creado = false;
    restaurar = graphFallaEn(sandbox, (req) => {
      if (req.method === 'POST' && req.segments.length === 1 && req.segments[0] === 'users')
        return ((creado = true), null);
      if (creado && req.method === 'GET' && req.segments[0] === 'users') return 503;
      if (creado && req.method === 'POST' && req.segments.at(-1)?.endsWith('assignLicense')) return 503;
      return null;
    });
    const evento = { alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() };
    const { env: fallida } = await teams.broker.reply(
      CuentaTeamsFallida,
      await teams.broker.publish(AlumnoCreado, evento),
    );
    const [user] = usersOf(sandbox, fallida.payload.upn!);
    expect(usersOf(sandbox, fallida.payload.upn!)).toHaveLength(1);
    expect(fallida.payload).toMatchObject({ graphUserId: user.id, deshabilitada: true });
    expect(user.accountEnabled).toBe(false);
    expect((await teams.cuentas()).find((c) => c.alumno_id === evento.alumnoId)).toMatchObject({
      estado: 'fallida',
      graph_user_id: user.id,
    });
    // The note has done its job once the row records the user.
    const { rows } = await teams.db.query(
      `SELECT count(*)::int AS n FROM "${teams.config.DB_SCHEMA}".usuario_creado WHERE alumno_id = $1`,
      [evento.alumnoId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('says the user could not be disabled when Graph refuses that too, for the undo to delete it', async () => {
    restaurar = graphFallaEn(sandbox, (req, ejecutar) => {
      if (req.method === 'POST' && req.segments.length === 1 && req.segments[0] === 'users') return (ejecutar(), 504);
      if (req.method === 'PATCH' && req.segments[0] === 'users') return 503;
      return null;
    });
    const evento = { alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() };
    const env = await teams.broker.publish(AlumnoCreado, evento);
    const { env: fallida } = await teams.broker.reply(CuentaTeamsFallida, env);
    const [user] = usersOf(sandbox, fallida.payload.upn!);
    expect(fallida.payload).toMatchObject({ graphUserId: user.id, deshabilitada: false });
    expect(fallida.payload.motivo).toMatch(/could not be disabled yet/);
  });
});
