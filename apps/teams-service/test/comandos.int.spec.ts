// The account commands the gateway sends (operator actions and compensation), each answered by its
// reply: RestablecerPassword, DeshabilitarCuentaTeams, EliminarCuentaTeams.
import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  CuentaTeamsCreada,
  CuentaTeamsDeshabilitacionFallida,
  CuentaTeamsDeshabilitada,
  CuentaTeamsEliminada,
  DeshabilitarCuentaTeams,
  EliminarCuentaTeams,
  PasswordRestablecida,
  RestablecerPassword,
  RestablecimientoPasswordFallido,
  type AlumnoDatos,
} from '@lucy/contracts';
import { startTestSandbox, type TestSandboxWithGraph } from '@lucy/testing';
import { nuevoAlumno, startTeams, usersOf, type RunningTeams } from './support/teams-service.js';

describe('teams-service account commands', () => {
  let sandbox: TestSandboxWithGraph;
  let teams: RunningTeams;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    teams = await startTeams(sandbox);
  });

  afterAll(async () => {
    await teams?.stop();
    await sandbox?.close();
  });

  /** A student with an account made the normal way. */
  async function conCuenta(): Promise<{ alumnoId: string; alumno: AlumnoDatos; upn: string; graphUserId: string }> {
    const evento = { alumnoId: randomUUID(), loteId: null, alumno: nuevoAlumno() };
    const env = await teams.broker.publish(AlumnoCreado, evento);
    const { env: creada } = await teams.broker.reply(CuentaTeamsCreada, env);
    return {
      alumnoId: evento.alumnoId,
      alumno: evento.alumno,
      upn: creada.payload.upn,
      graphUserId: creada.payload.graphUserId,
    };
  }

  it('sets a new temporary password on RestablecerPassword and sends it sealed with the next version', async () => {
    const c = await conCuenta();
    const env = await teams.broker.publish(RestablecerPassword, {
      alumnoId: c.alumnoId,
      upn: c.upn,
      graphUserId: c.graphUserId,
      alumno: c.alumno,
    });
    const { env: reply, body: raw } = await teams.broker.reply(PasswordRestablecida, env);

    expect(reply.payload).toMatchObject({
      alumnoId: c.alumnoId,
      upn: c.upn,
      graphUserId: c.graphUserId,
      credencialVersion: 2,
      alumno: c.alumno,
    });
    const password = teams.box.open(reply.payload.credencial, c.alumnoId);
    expect(sandbox.graph.store.verifyPassword(c.upn, password)).toBe(true);
    expect(usersOf(sandbox, c.upn)[0].passwordChanges).toBe(1);
    expect(raw).not.toContain(password);
    const cuentas = await teams.cuentas();
    expect(cuentas.find((r) => r.alumno_id === c.alumnoId)).toMatchObject({ credencial_version: 2, estado: 'activa' });
    expect(JSON.stringify(cuentas)).not.toContain(password);
    expect(teams.logs.join('')).not.toContain(password);
  });

  it('finds the account by UPN when the command carries no Graph id', async () => {
    const c = await conCuenta();
    const env = await teams.broker.publish(RestablecerPassword, {
      alumnoId: c.alumnoId,
      upn: c.upn,
      graphUserId: null,
      alumno: c.alumno,
    });
    const { env: reply } = await teams.broker.reply(PasswordRestablecida, env);
    expect(reply.payload.graphUserId).toBe(c.graphUserId);
  });

  it('disables the account on DeshabilitarCuentaTeams', async () => {
    const c = await conCuenta();
    const env = await teams.broker.publish(DeshabilitarCuentaTeams, {
      alumnoId: c.alumnoId,
      upn: c.upn,
      graphUserId: c.graphUserId,
    });
    const { env: reply } = await teams.broker.reply(CuentaTeamsDeshabilitada, env);
    expect(reply.payload).toEqual({ alumnoId: c.alumnoId, upn: c.upn, graphUserId: c.graphUserId });
    expect(usersOf(sandbox, c.upn)[0]).toMatchObject({ state: 'active', accountEnabled: false });
    expect((await teams.cuentas()).find((r) => r.alumno_id === c.alumnoId)).toMatchObject({ estado: 'deshabilitada' });
  });

  it('soft-deletes the account on EliminarCuentaTeams, and counts an account already gone as done', async () => {
    const c = await conCuenta();
    const cmd = { alumnoId: c.alumnoId, upn: c.upn, graphUserId: c.graphUserId };
    const first = await teams.broker.publish(EliminarCuentaTeams, cmd);
    expect((await teams.broker.reply(CuentaTeamsEliminada, first)).env.payload).toEqual({ ...cmd, yaNoExistia: false });
    expect(usersOf(sandbox, c.upn)[0].state).toBe('deleted');
    expect((await teams.cuentas()).find((r) => r.alumno_id === c.alumnoId)).toMatchObject({ estado: 'eliminada' });

    const again = await teams.broker.publish(EliminarCuentaTeams, cmd);
    expect((await teams.broker.reply(CuentaTeamsEliminada, again)).env.payload).toEqual({ ...cmd, yaNoExistia: true });
  });

  it('answers EliminarCuentaTeams for an account it never knew with yaNoExistia', async () => {
    const cmd = { alumnoId: randomUUID(), upn: `a${nuevoAlumno().dni}@estudiantes.unrc.edu.ar`, graphUserId: null };
    const env = await teams.broker.publish(EliminarCuentaTeams, cmd);
    expect((await teams.broker.reply(CuentaTeamsEliminada, env)).env.payload).toEqual({ ...cmd, yaNoExistia: true });
  });

  it('replies with a permanent failure when the account to reset or disable does not exist', async () => {
    const c = await conCuenta();
    const cmd = { alumnoId: c.alumnoId, upn: c.upn, graphUserId: c.graphUserId };
    await teams.broker.reply(CuentaTeamsEliminada, await teams.broker.publish(EliminarCuentaTeams, cmd));

    const reset = await teams.broker.publish(RestablecerPassword, { ...cmd, alumno: c.alumno });
    expect((await teams.broker.reply(RestablecimientoPasswordFallido, reset)).env.payload).toMatchObject({
      alumnoId: c.alumnoId,
      upn: c.upn,
      permanente: true,
      codigo: 'cuenta-inexistente',
    });
    const disable = await teams.broker.publish(DeshabilitarCuentaTeams, cmd);
    expect((await teams.broker.reply(CuentaTeamsDeshabilitacionFallida, disable)).env.payload).toMatchObject({
      permanente: true,
      codigo: 'cuenta-inexistente',
    });
  });
});
