// A lifecycle workflow nobody answers is flagged stuck by the sweeper, as an onboarding one is: on the
// student's page, in the stuck workflows and the students' filter, in its audit trail; an operator's retry
// sends its unanswered steps again. A leaver waiting out their grace waits on purpose: never stuck.
// Deadlines are scaled down (WORKFLOW_TIMEOUT_FACTOR: a phase's hour is 1.5 s here).
import {
  ActualizarCuentaTeams,
  ActualizarUsuarioMoodle,
  AlumnoActualizado,
  AlumnoDadoDeBaja,
  CuentaTeamsActualizada,
  CuentaTeamsDeshabilitada,
  UsuarioMoodleActualizado,
} from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { startGateway, tokenDe, type TestGateway } from './support/gateway.js';
import { onboardeado as onboardeadoEn } from './support/onboardeado.js';

interface Ciclo {
  id: string;
  tipo: string;
  estado: string;
  atascado: boolean;
}

describe('gateway: stuck lifecycle workflows', () => {
  let gw: TestGateway;
  let tap: BrokerTap;
  let operador: string;

  beforeAll(async () => {
    gw = await startGateway('gwatascado', {
      SWEEP_INTERVAL_MS: '200',
      WORKFLOW_TIMEOUT_FACTOR: String(1.5 / 3600),
      STUCK_AFTER_MS: '1000',
    });
    tap = await BrokerTap.open([ActualizarCuentaTeams, ActualizarUsuarioMoodle], { url: gw.config.RABBITMQ_URL });
    operador = await tokenDe(gw, 'Operadora Inés', 'operator');
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  const ficha = async (id: string) => (await gw.api(`/alumnos/${id}`)).body;
  const ultimo = async (id: string, tipo: string): Promise<Ciclo | undefined> =>
    ((await ficha(id)).ciclo as Ciclo[]).filter((w) => w.tipo === tipo).at(-1);

  const onboardeado = (dni: string) => onboardeadoEn(gw, tap, dni);

  it('flags an unanswered update stuck, shows it where onboarding’s are, and sends it again on an operator’s retry', async () => {
    const { alumnoId, alumno, upn, graphUserId } = await onboardeado('43000001');
    const nuevo = { ...alumno, apellido: 'Quiroga Paz' };
    await tap.publish(AlumnoActualizado, {
      alumnoId,
      loteId: null,
      alumno: nuevo,
      cambios: ['apellido'],
      anterior: alumno,
    });
    await waitFor(() => tap.of(ActualizarCuentaTeams, { alumnoId }).length === 1, 'the update sent');
    expect((await ultimo(alumnoId, 'actualizacion'))!.atascado).toBe(false);

    // Nobody answers: past its deadline, the sweeper flags it, once.
    const w = await waitFor(
      async () => {
        const c = await ultimo(alumnoId, 'actualizacion');
        return c?.atascado && c;
      },
      'the update flagged stuck',
      { timeoutMs: 15_000 },
    );
    expect(w.estado).toBe('en_curso');
    const f = await ficha(alumnoId);
    // (Its onboarding may have been flagged too, at these deadlines: only the update's flag is looked at.)
    const flags = f.auditoria.filter(
      (a: { evento: string; detalle: { tipo?: string } }) =>
        a.evento === 'workflow.atascado' && a.detalle?.tipo === 'actualizacion',
    );
    expect(flags).toEqual([expect.objectContaining({ actor: 'sistema' })]);
    expect(flags[0].detalle.nota).toMatch(/sin respuesta dentro del plazo de actualizar_cuenta, actualizar_moodle/);
    const atascados = (await gw.api('/workflows/atascados?limit=200')).body.items.map((x: { id: string }) => x.id);
    expect(atascados).toContain(w.id);
    const porTipo = (await gw.api('/workflows?tipo=actualizacion&atascado=true&limit=200')).body.items;
    expect(porTipo.map((x: { id: string }) => x.id)).toContain(w.id);
    const alumnos = (await gw.api(`/alumnos?atascado=true&q=${alumno.dni}`)).body.items;
    expect(alumnos).toEqual([
      expect.objectContaining({ alumnoId, workflow: expect.objectContaining({ atascado: true }) }),
    ]);

    // The operator's retry: both unanswered steps go again, and the flag is lifted.
    expect((await ficha(alumnoId)).acciones.map((a: { accion: string }) => a.accion)).toContain('reintentar-ciclo');
    const r = await gw.api(`/alumnos/${alumnoId}/acciones/reintentar-ciclo`, { method: 'POST', token: operador });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      iniciado: true,
      workflowId: w.id,
      comandos: ['cuenta-teams.actualizar', 'moodle.actualizar-usuario'],
    });
    await waitFor(() => tap.of(ActualizarUsuarioMoodle, { alumnoId }).length === 2, 'the steps sent again');
    expect(tap.of(ActualizarCuentaTeams, { alumnoId })).toEqual([
      { alumnoId, upn, graphUserId, alumno: nuevo },
      { alumnoId, upn, graphUserId, alumno: nuevo },
    ]);
    expect((await ultimo(alumnoId, 'actualizacion'))!.atascado).toBe(false);
    expect((await ficha(alumnoId)).auditoria.map((a: { evento: string }) => a.evento)).toContain(
      'accion.reintentar-ciclo',
    );

    await tap.publish(CuentaTeamsActualizada, { alumnoId, upn, graphUserId, campos: ['surname'], upnSugerido: null });
    await tap.publish(UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: ['lastname'], suspendido: false });
    await waitFor(async () => (await ultimo(alumnoId, 'actualizacion'))?.estado === 'completado', 'completed');
    expect((await ultimo(alumnoId, 'actualizacion'))!.atascado).toBe(false);
    expect((await gw.api('/workflows/atascados?limit=200')).body.items.map((x: { id: string }) => x.id)).not.toContain(
      w.id,
    );
  });

  it('never flags a leaver waiting out their grace; a retry has nothing to send them', async () => {
    const { alumnoId, alumno, upn, graphUserId } = await onboardeado('43000002');
    await tap.publish(AlumnoDadoDeBaja, {
      alumnoId,
      loteId: null,
      alumno: { ...alumno, estado: 'baja' },
      motivo: 'baja',
    });
    await waitFor(() => tap.of(ActualizarUsuarioMoodle, { alumnoId }).length === 1, 'the suspension sent');
    await tap.publish(CuentaTeamsDeshabilitada, { alumnoId, upn, graphUserId });
    await tap.publish(UsuarioMoodleActualizado, { alumnoId, moodleUserId: 7, campos: ['suspended'], suspendido: true });
    await waitFor(async () => (await ultimo(alumnoId, 'baja'))?.estado === 'suspendido', 'suspended');
    const baja = (await ultimo(alumnoId, 'baja'))!;

    // Well past a phase's deadline (1.5 s) and STUCK_AFTER_MS (1 s), several sweeps later.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await ultimo(alumnoId, 'baja')).toMatchObject({ estado: 'suspendido', atascado: false });
    expect((await gw.api('/workflows/atascados?limit=200')).body.items.map((x: { id: string }) => x.id)).not.toContain(
      baja.id,
    );
    const flags = (await ficha(alumnoId)).auditoria.filter(
      (a: { evento: string; detalle: { tipo?: string } }) =>
        a.evento === 'workflow.atascado' && a.detalle?.tipo === 'baja',
    );
    expect(flags).toEqual([]);
    const r = await gw.api(`/alumnos/${alumnoId}/acciones/reintentar-ciclo`, { method: 'POST', token: operador });
    expect(r.status).toBe(409);
  });
});
