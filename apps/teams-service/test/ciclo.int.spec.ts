// The student's stay after onboarding, against the real RabbitMQ and PostgreSQL and the sandbox's Graph:
// ActualizarCuentaTeams brings the Entra user in step with the student's data (never its UPN);
// HabilitarCuentaTeams brings a leaver back — enabled if suspended, restored from deleted items if
// deleted within the window (same id and UPN, licensed), CUENTA_INEXISTENTE if gone for good — and a
// redelivered command has no second effect.
import { randomUUID } from 'node:crypto';
import {
  ActualizarCuentaTeams,
  AlumnoCreado,
  CUENTA_INEXISTENTE,
  CuentaTeamsActualizacionFallida,
  CuentaTeamsActualizada,
  CuentaTeamsCreada,
  CuentaTeamsDeshabilitada,
  CuentaTeamsEliminada,
  CuentaTeamsHabilitacionFallida,
  CuentaTeamsHabilitada,
  DeshabilitarCuentaTeams,
  EliminarCuentaTeams,
  HabilitarCuentaTeams,
  type AlumnoDatos,
  type Envelope,
  type MessageDefinition,
} from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { startTestSandbox, waitFor, type TestSandboxWithGraph } from '@lucy/testing';
import { graphFallaEn, nuevoAlumno, startTeams, type RunningTeams } from './support/teams-service.js';

const STUDENT_SKU = '314c4481-f395-4525-be8b-2ec4bb1e9d91';
/** A pattern with the surname in it, so a change of surname changes the UPN the pattern gives. */
const PATRON = '{inicial}{apellido}{dni}@{domain}';

interface Escritura {
  method: string;
  path: string;
  body: unknown;
}

describe('teams-service through the student’s stay', () => {
  let sandbox: TestSandboxWithGraph;
  let teams: RunningTeams;
  let escrituras: Escritura[] = [];
  let dejarDeEscuchar: () => void;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    teams = await startTeams(sandbox, { UPN_PATTERN: PATRON, GRAPH_BREAKER_VOLUME_THRESHOLD: '1000' });
    // Every write Graph answers, to tell what a command changed (and that a repeated one changed nothing).
    dejarDeEscuchar = graphFallaEn(sandbox, (req) => {
      if (req.method !== 'GET')
        escrituras.push({ method: req.method, path: `/${req.segments.join('/')}`, body: req.body });
      return null;
    });
  });

  afterAll(async () => {
    dejarDeEscuchar?.();
    await teams?.stop();
    await sandbox?.close();
  });

  beforeEach(() => {
    escrituras = [];
  });

  interface ConCuenta {
    alumnoId: string;
    alumno: AlumnoDatos;
    upn: string;
    graphUserId: string;
    cmd: { alumnoId: string; upn: string; graphUserId: string };
  }

  async function conCuenta(): Promise<ConCuenta> {
    const evento = { alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() };
    const { env: creada } = await teams.broker.reply(
      CuentaTeamsCreada,
      await teams.broker.publish(AlumnoCreado, evento),
    );
    const { upn, graphUserId } = creada.payload;
    escrituras = [];
    return { ...evento, upn, graphUserId, cmd: { alumnoId: evento.alumnoId, upn, graphUserId } };
  }

  const user = (id: string) => sandbox.graph.store.allUsers().find((u) => u.id === id)!;
  const props = (id: string) => sandbox.graph.store.getUser(id)!.props;
  const fila = async (alumnoId: string) => (await teams.cuentas()).find((r) => r.alumno_id === alumnoId);
  const unidadesEnUso = () => sandbox.graph.store.stats().skus.find((s) => s.skuId === STUDENT_SKU)!.consumed;

  async function deshabilitar(c: ConCuenta) {
    await teams.broker.reply(CuentaTeamsDeshabilitada, await teams.broker.publish(DeshabilitarCuentaTeams, c.cmd));
  }
  async function eliminar(c: ConCuenta) {
    await teams.broker.reply(CuentaTeamsEliminada, await teams.broker.publish(EliminarCuentaTeams, c.cmd));
  }

  async function consumidos(def: MessageDefinition, outcome: string): Promise<number> {
    const metric = await teams.app.get(MessagingRuntime).metrics.consumed.get();
    return metric.values
      .filter((v) => v.labels.outcome === outcome && v.labels.type === def.id)
      .reduce((n, v) => n + v.value, 0);
  }

  /** Delivers the same envelope again and waits until the service has consumed it as a duplicate. */
  async function duplicado(def: MessageDefinition, env: Envelope) {
    const antes = await consumidos(def, 'duplicate');
    await teams.broker.send(def, env);
    await waitFor(async () => (await consumidos(def, 'duplicate')) > antes, 'the duplicate to be consumed', {
      timeoutMs: 10_000,
    });
  }

  describe('ActualizarCuentaTeams', () => {
    it('changes only what differs, in one PATCH, never the UPN, and reports the UPN the pattern gives now', async () => {
      const c = await conCuenta();
      expect(props(c.graphUserId)).toMatchObject({ department: 'Ingeniería en Sistemas', employeeId: c.alumno.dni });
      const alumno = { ...c.alumno, apellido: 'Paz', carrera: 'Abogacía' };

      const env = await teams.broker.publish(ActualizarCuentaTeams, { ...c.cmd, alumno });
      const { env: reply } = await teams.broker.reply(CuentaTeamsActualizada, env);

      expect(reply.payload).toEqual({
        ...c.cmd,
        campos: ['displayName', 'surname', 'department'],
        upnSugerido: `mpaz${c.alumno.dni}@estudiantes.unrc.edu.ar`,
      });
      expect(escrituras).toEqual([
        {
          method: 'PATCH',
          path: `/users/${c.graphUserId}`,
          body: { displayName: 'María José Paz', surname: 'Paz', department: 'Abogacía' },
        },
      ]);
      expect(props(c.graphUserId)).toMatchObject({
        userPrincipalName: c.upn,
        displayName: 'María José Paz',
        givenName: 'María José',
        surname: 'Paz',
        department: 'Abogacía',
      });
    });

    it('writes nothing when Entra has every value, and suggests no UPN when the pattern gives the same', async () => {
      const c = await conCuenta();
      const env = await teams.broker.publish(ActualizarCuentaTeams, {
        ...c.cmd,
        alumno: { ...c.alumno, emailPersonal: 'otra@example.org', periodo: '2028' },
      });
      const { env: reply } = await teams.broker.reply(CuentaTeamsActualizada, env);
      expect(reply.payload).toMatchObject({ campos: [], upnSugerido: null });
      expect(escrituras).toEqual([]);
    });

    it('has no second effect when the command is delivered again', async () => {
      const c = await conCuenta();
      const env = teams.broker.envelope(ActualizarCuentaTeams, { ...c.cmd, alumno: { ...c.alumno, nombre: 'Ana' } });
      await teams.broker.send(ActualizarCuentaTeams, env);
      expect((await teams.broker.reply(CuentaTeamsActualizada, env)).env.payload.campos).toEqual([
        'displayName',
        'givenName',
      ]);
      // An operator renames by hand in the meantime: a redelivery must not write the old data back.
      sandbox.graph.store.updateUser(c.graphUserId, { givenName: 'Ana María' });
      escrituras = [];

      await duplicado(ActualizarCuentaTeams, env);
      expect(teams.broker.repliesTo(CuentaTeamsActualizada, env)).toHaveLength(1);
      expect(escrituras).toEqual([]);
      expect(props(c.graphUserId).givenName).toBe('Ana María');
    });

    it('fails for good, with the reason, when the student has no live account', async () => {
      const c = await conCuenta();
      await eliminar(c);
      const env = await teams.broker.publish(ActualizarCuentaTeams, { ...c.cmd, alumno: c.alumno });
      const { env: reply } = await teams.broker.reply(CuentaTeamsActualizacionFallida, env);
      expect(reply.payload).toMatchObject({ alumnoId: c.alumnoId, permanente: true, codigo: CUENTA_INEXISTENTE });
      expect(reply.payload.motivo).toMatch(/no live account to update/);
    });
  });

  describe('a leaver: DeshabilitarCuentaTeams, EliminarCuentaTeams, HabilitarCuentaTeams', () => {
    it('keeps the licence of a suspended account, and enables it again with no restore', async () => {
      const c = await conCuenta();
      await deshabilitar(c);
      expect(user(c.graphUserId)).toMatchObject({
        accountEnabled: false,
        assignedLicenses: [{ skuId: STUDENT_SKU, disabledPlans: [] }],
      });

      const env = await teams.broker.publish(HabilitarCuentaTeams, c.cmd);
      const { env: reply } = await teams.broker.reply(CuentaTeamsHabilitada, env);
      expect(reply.payload).toEqual({ ...c.cmd, restaurada: false });
      expect(escrituras.filter((e) => e.path.startsWith('/users'))).toEqual([
        { method: 'PATCH', path: `/users/${c.graphUserId}`, body: { accountEnabled: false } },
        { method: 'PATCH', path: `/users/${c.graphUserId}`, body: { accountEnabled: true } },
      ]);
      expect(await fila(c.alumnoId)).toMatchObject({ estado: 'activa', graph_user_id: c.graphUserId });
    });

    it('gives an enabled account that lost its licence the configured one again', async () => {
      const c = await conCuenta();
      await deshabilitar(c);
      sandbox.graph.store.assignLicense(c.graphUserId, [], [STUDENT_SKU]); // an admin took it meanwhile
      escrituras = [];

      await teams.broker.reply(CuentaTeamsHabilitada, await teams.broker.publish(HabilitarCuentaTeams, c.cmd));
      expect(escrituras.map((e) => `${e.method} ${e.path}`)).toEqual([
        `POST /users/${c.graphUserId}/assignLicense`,
        `PATCH /users/${c.graphUserId}`,
      ]);
      expect(user(c.graphUserId)).toMatchObject({
        accountEnabled: true,
        assignedLicenses: [{ skuId: STUDENT_SKU, disabledPlans: [] }],
      });
    });

    it('frees the licence on deletion, and restores within the window the same id and UPN, enabled and licensed', async () => {
      const c = await conCuenta();
      await deshabilitar(c);
      const enUso = unidadesEnUso();
      await eliminar(c);
      expect(user(c.graphUserId).state).toBe('deleted');
      expect(unidadesEnUso()).toBe(enUso - 1);
      expect(await fila(c.alumnoId)).toMatchObject({ estado: 'eliminada', graph_user_id: c.graphUserId });
      escrituras = [];

      // The command need not carry the object id: the row kept it when the account was deleted.
      const env = await teams.broker.publish(HabilitarCuentaTeams, { ...c.cmd, graphUserId: null });
      const { env: reply } = await teams.broker.reply(CuentaTeamsHabilitada, env);
      expect(reply.payload).toEqual({ ...c.cmd, restaurada: true });
      expect(user(c.graphUserId)).toMatchObject({
        id: c.graphUserId,
        userPrincipalName: c.upn,
        state: 'active',
        accountEnabled: true,
        assignedLicenses: [{ skuId: STUDENT_SKU, disabledPlans: [] }],
      });
      expect(unidadesEnUso()).toBe(enUso);
      expect(sandbox.graph.store.allUsers().filter((u) => u.employeeId === c.alumno.dni)).toHaveLength(1);
      expect(await fila(c.alumnoId)).toMatchObject({ estado: 'activa', graph_user_id: c.graphUserId });
      expect(escrituras.map((e) => `${e.method} ${e.path}`)).toEqual([
        `POST /directory/deletedItems/${c.graphUserId}/restore`,
        `PATCH /users/${c.graphUserId}`,
      ]);

      // Delivered again: no second reply, nothing written.
      escrituras = [];
      await duplicado(HabilitarCuentaTeams, env);
      expect(teams.broker.repliesTo(CuentaTeamsHabilitada, env)).toHaveLength(1);
      expect(escrituras).toEqual([]);
      // Sent again (another command): the account is live, enabled and licensed already.
      const otra = await teams.broker.publish(HabilitarCuentaTeams, c.cmd);
      expect((await teams.broker.reply(CuentaTeamsHabilitada, otra)).env.payload.restaurada).toBe(false);
      expect(escrituras).toEqual([]);
    });

    it('still says restaurada when the attempt that restored the account failed after it', async () => {
      const c = await conCuenta();
      await deshabilitar(c);
      await eliminar(c);
      let fallos = 0;
      // The restore lands, the PATCH that enables is refused once: the attempt rolls back and is retried.
      const restaurar = graphFallaEn(sandbox, (req) => {
        if (req.method !== 'PATCH' || fallos > 0 || user(c.graphUserId).state !== 'active') return null;
        fallos++;
        return 503;
      });
      try {
        const env = await teams.broker.publish(HabilitarCuentaTeams, c.cmd);
        expect((await teams.broker.reply(CuentaTeamsHabilitada, env)).env.payload.restaurada).toBe(true);
      } finally {
        restaurar();
      }
      expect(fallos).toBe(1);
      expect(user(c.graphUserId)).toMatchObject({ state: 'active', accountEnabled: true });
    });

    it('answers CUENTA_INEXISTENTE, for good, for an account deleted longer ago than the window', async () => {
      const c = await conCuenta();
      await eliminar(c);
      await sandbox.admin('/graph/config', 'POST', { deletedItemsRetentionSeconds: 0 });
      try {
        expect(user(c.graphUserId).state).toBe('purged');
        const env = await teams.broker.publish(HabilitarCuentaTeams, c.cmd);
        const { env: reply } = await teams.broker.reply(CuentaTeamsHabilitacionFallida, env);
        expect(reply.payload).toMatchObject({
          alumnoId: c.alumnoId,
          upn: c.upn,
          codigo: CUENTA_INEXISTENTE,
          permanente: true,
        });
        expect(reply.payload.motivo).toMatch(/not live nor in deleted items/);
        await duplicado(HabilitarCuentaTeams, env);
        expect(teams.broker.repliesTo(CuentaTeamsHabilitacionFallida, env)).toHaveLength(1);
      } finally {
        await sandbox.admin('/graph/config', 'POST', { deletedItemsRetentionSeconds: 30 * 86_400 });
      }
      expect(await fila(c.alumnoId)).toMatchObject({ estado: 'eliminada' });
    });
  });
});
