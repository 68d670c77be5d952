// A student whose onboarding failed after Graph created their user: the gateway shows that account and
// the failure, its saga deletes it (eliminar_cuenta, retried by the sweeper), flags it for reconciliation
// if the undo never succeeds, and lets an operator's retry adopt it instead. The services' events are
// published as teams-service would publish them.
import { randomUUID } from 'node:crypto';
import {
  AlumnoCreado,
  CUENTA_ADOPTADA,
  CuentaTeamsCreada,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  CuentaTeamsFallida,
  EliminarCuentaTeams,
  type AlumnoDatos,
} from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { MAX_INTENTOS_COMPENSACION } from '../src/sagas/onboarding.saga.js';
import { Sweeper } from '../src/scheduler/sweeper.js';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';

const alumno = (dni: string): AlumnoDatos => ({
  dni,
  nombre: 'Rocío',
  apellido: 'Ibarra',
  emailPersonal: `r${dni}@example.com`,
  emailInstitucional: null,
  carrera: 'Geología',
  estado: 'ingresante',
  periodo: '2027',
});
const sellado = { alg: 'A256GCM' as const, kid: 'k', iv: 'aa', tag: 'bb', ct: 'cc' };

interface Paso {
  paso: string;
  estado: string;
  intentos: number;
  ultimoError: string | null;
  detalle: Record<string, unknown> | null;
}

describe('gateway: the account a failed onboarding left', () => {
  let gw: TestGateway;
  let tap: BrokerTap;
  let operador: string;

  beforeAll(async () => {
    // A fast sweeper, and undo retries after milliseconds instead of seconds.
    gw = await startGateway('gwdejada', { SWEEP_INTERVAL_MS: '200', WORKFLOW_TIMEOUT_FACTOR: '0.001' });
    tap = await BrokerTap.open([EliminarCuentaTeams, AlumnoCreado], { url: gw.config.RABBITMQ_URL });
    operador = await tokenDe(gw, 'Operadora Inés', 'operator');
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  const ficha = async (id: string) => (await gw.api(`/alumnos/${id}`)).body;
  const paso = async (id: string, nombre: string): Promise<Paso> =>
    (await ficha(id)).workflow.pasos.find((p: Paso) => p.paso === nombre);
  const eliminaciones = (alumnoId: string) => tap.of(EliminarCuentaTeams, { alumnoId });

  /** A student whose account step failed leaving `graphUserId` in Entra, disabled; waits for the undo to be sent. */
  async function fallidoConCuenta(dni: string) {
    const alumnoId = randomUUID();
    const upn = `a${dni}@lucy.example`;
    const graphUserId = `g-${dni}`;
    await tap.publish(AlumnoCreado, { alumnoId, loteId: null, alumno: alumno(dni) });
    await waitFor(async () => (await gw.api(`/alumnos/${alumnoId}`)).status === 200, 'the student');
    await tap.publish(CuentaTeamsFallida, {
      alumnoId,
      upn,
      graphUserId,
      deshabilitada: true,
      permanente: false,
      codigo: 'graph-5xx',
      motivo: `TransientError: Graph 503 ServiceNotAvailable; the account ${graphUserId} was disabled`,
    });
    await waitFor(() => eliminaciones(alumnoId).length === 1, 'EliminarCuentaTeams sent');
    return { alumnoId, upn, graphUserId };
  }

  it('shows the account and the failure, and deletes the account with its own retries while staying fallido', async () => {
    const { alumnoId, upn, graphUserId } = await fallidoConCuenta('41000001');
    expect(eliminaciones(alumnoId)[0]).toEqual({ alumnoId, upn, graphUserId, dejadaPorFallo: true });

    const f = await ficha(alumnoId);
    expect(f.cuentas).toMatchObject({ upn, graphUserId });
    expect(f.workflow).toMatchObject({ estado: 'fallido', error: expect.stringMatching(/Graph 503/) });
    expect(await paso(alumnoId, 'cuenta')).toMatchObject({
      estado: 'fallido',
      detalle: { upn, graphUserId, deshabilitada: true },
    });
    expect(await paso(alumnoId, 'eliminar_cuenta')).toMatchObject({ estado: 'en_curso' });
    const asiento = f.auditoria.find((a: { evento: string }) => a.evento === 'cuenta-teams.fallida');
    expect(asiento.detalle).toMatchObject({
      graphUserId,
      deshabilitada: true,
      comandos: ['cuenta-teams.eliminar'],
      nota: expect.stringMatching(new RegExp(`quedó ${upn} \\(deshabilitada\\): se elimina`)),
    });
    // Listed with the failed students, with its UPN (found by it).
    expect(
      (await gw.api(`/alumnos?workflow=fallido&q=${encodeURIComponent(upn)}`)).body.items.map(
        (i: { alumnoId: string }) => i.alumnoId,
      ),
    ).toEqual([alumnoId]);

    // A retry now could adopt the account just before the delete lands: the operator is told to wait.
    const pronto = await gw.api(`/alumnos/${alumnoId}/acciones/activar`, { token: operador, method: 'POST' });
    expect(pronto.status).toBe(409);
    expect(pronto.body.detail).toMatch(/se está deshaciendo lo que dejó el fallo/);

    // Graph refuses the delete once: the sweeper sends it again.
    await tap.publish(CuentaTeamsEliminacionFallida, { alumnoId, upn, motivo: 'Graph 503', permanente: false });
    await waitFor(() => eliminaciones(alumnoId).length === 2, 'the undo sent again by the sweeper');
    await tap.publish(CuentaTeamsEliminada, { alumnoId, upn, graphUserId, yaNoExistia: false });
    await waitFor(async () => (await paso(alumnoId, 'eliminar_cuenta')).estado === 'completado', 'the account deleted');

    const despues = await ficha(alumnoId);
    expect(despues.workflow.estado).toBe('fallido');
    const eventos = despues.auditoria.map((a: { evento: string }) => a.evento);
    expect(eventos).toEqual(
      expect.arrayContaining([
        'cuenta-teams.fallida',
        'cuenta-teams.eliminacion-fallida',
        'compensacion.reintento',
        'cuenta-teams.eliminada',
      ]),
    );
    expect(
      despues.auditoria.find((a: { evento: string }) => a.evento === 'cuenta-teams.eliminada').detalle.nota,
    ).toMatch(/que dejó el fallo eliminada/);
  });

  /** Graph refuses the undo as often as the saga tries: the student is flagged for reconciliation. */
  async function sinDeshacer(alumnoId: string, upn: string) {
    for (let i = 1; i <= MAX_INTENTOS_COMPENSACION; i++) {
      await tap.publish(CuentaTeamsEliminacionFallida, { alumnoId, upn, motivo: 'Graph 503', permanente: false });
      await waitFor(async () => (await paso(alumnoId, 'eliminar_cuenta')).intentos === i, `undo failure ${i} recorded`);
    }
    // The sweeper may have re-sent an undo between two failures: the step is settled once it gives up.
    await waitFor(async () => (await paso(alumnoId, 'eliminar_cuenta')).estado === 'fallido', 'the undo given up');
  }

  it('flags the account for reconciliation when its undo keeps failing, the student still fallido', async () => {
    const { alumnoId, upn, graphUserId } = await fallidoConCuenta('41000002');
    await sinDeshacer(alumnoId, upn);
    const f = await ficha(alumnoId);
    expect(f.workflow.estado).toBe('fallido');
    expect(f.workflow.avisos).toEqual([
      `eliminar_cuenta: la cuenta ${upn} (${graphUserId}) que dejó el fallo sigue en Entra; requiere conciliación`,
    ]);
    expect(
      f.auditoria.some((a: { detalle: { nota?: string } }) => /requiere conciliación/.test(a.detalle.nota ?? '')),
    ).toBe(true);
    // Found among the students whose undo failed.
    const lista = await gw.api('/alumnos?paso=eliminar_cuenta&pasoEstado=fallido');
    expect(lista.body.items.map((i: { alumnoId: string }) => i.alumnoId)).toContain(alumnoId);
  });

  it('lets an operator retry adopt an account its undo could not delete, with no undo left behind', async () => {
    const { alumnoId, upn, graphUserId } = await fallidoConCuenta('41000003');
    await sinDeshacer(alumnoId, upn);
    const r = await gw.api(`/alumnos/${alumnoId}/acciones/activar`, { token: operador, method: 'POST' });
    expect(r.status).toBe(202);
    await waitFor(() => tap.of(AlumnoCreado, { alumnoId }).length === 2, 'AlumnoCreado published again');

    // teams-service finds the account by its UPN and reuses it (the same Graph user).
    await tap.publish(CuentaTeamsCreada, {
      alumnoId,
      upn,
      graphUserId,
      existente: true,
      credencial: sellado,
      credencialVersion: 1,
      alumno: alumno('41000003'),
    });
    await waitFor(
      async () => (await ficha(alumnoId)).workflow.estado === 'enrolando_y_notificando',
      'the onboarding goes on',
    );
    const f = await ficha(alumnoId);
    expect(f.cuentas).toMatchObject({ upn, graphUserId });
    expect(f.workflow.avisos).toEqual([]);
    expect(await paso(alumnoId, 'eliminar_cuenta')).toMatchObject({ estado: 'pendiente', intentos: 0 });

    // A late answer of an undo sent before the retry is only noted; the sweeper sends nothing more.
    const enviadas = eliminaciones(alumnoId).length;
    await tap.publish(CuentaTeamsEliminacionFallida, {
      alumnoId,
      upn,
      motivo: 'the account is activa again',
      codigo: CUENTA_ADOPTADA,
      permanente: true,
    });
    await waitFor(
      async () =>
        (await ficha(alumnoId)).auditoria.some(
          (a: { evento: string; detalle: { nota?: string } }) =>
            a.evento === 'cuenta-teams.eliminacion-fallida' && /ya tiene su cuenta/.test(a.detalle.nota ?? ''),
        ),
      'the late answer noted',
    );
    await gw.app.get(Sweeper).sweep();
    await new Promise((r) => setTimeout(r, 500)); // what a sweep sends would reach the tap by now
    expect(eliminaciones(alumnoId)).toHaveLength(enviadas);
    expect(await paso(alumnoId, 'eliminar_cuenta')).toMatchObject({ estado: 'pendiente' });
  });
});
