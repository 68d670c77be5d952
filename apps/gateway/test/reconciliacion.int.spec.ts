// Reconciliation runs through a running gateway, with the services' answers published by a tap as
// teams-service and moodle-service would. A run whose deadline passes with a service silent (or with its
// announced differences missing), and one a service answers with its failure, end fallida with why, per
// system, and alert once; a late answer changes nothing. A repair goes item by item: cut short half-way, asked
// again it starts only what is left, a third time nothing; two requests racing start one workflow per student.
// The Moodle user's suspension and profile are repaired with the lifecycle's Moodle steps.
import {
  ActualizarUsuarioMoodle,
  DiferenciasEncontradas,
  EnviarAlerta,
  HabilitarCuentaTeams,
  ReconciliacionParcialFallida,
  ReconciliacionParcialTerminada,
  type Diferencia,
  type SistemaReconciliacion,
} from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { CicloService } from '../src/ciclo/ciclo.service.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { onboardeado } from './support/onboardeado.js';

describe('gateway: reconciliation runs', () => {
  let gw: TestGateway;
  let tap: BrokerTap;
  let s: string;

  beforeAll(async () => {
    gw = await startGateway('gwreconc', { SWEEP_INTERVAL_MS: '200' });
    s = `"${gw.config.DB_SCHEMA}"`;
    tap = await BrokerTap.open([EnviarAlerta, HabilitarCuentaTeams, ActualizarUsuarioMoodle], {
      url: gw.config.RABBITMQ_URL,
    });
    const r = await gw.api('/config', {
      method: 'PATCH',
      body: { valores: { alertas: { destinatarios: ['ops@example.edu'], umbralDiferencias: 100, plantilla: null } } },
    });
    expect(r.status).toBe(200);
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  const iniciar = async () => {
    const r = await gw.api('/reconciliaciones', { method: 'POST', body: { reparar: false } });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };
  const una = async (id: string) => (await gw.api(`/reconciliaciones/${id}?limit=100`)).body;
  const hasta = (id: string, estado: string) =>
    waitFor(async () => ((await una(id)).estado === estado ? una(id) : undefined), `the run ${estado}`);
  const responder = async (
    id: string,
    sistema: SistemaReconciliacion,
    diferencias: Diferencia[],
    anunciadas?: number,
  ) => {
    if (diferencias.length)
      await tap.publish(DiferenciasEncontradas, { reconciliacionId: id, sistema, parte: 0, diferencias });
    await tap.publish(ReconciliacionParcialTerminada, {
      reconciliacionId: id,
      sistema,
      partes: diferencias.length ? 1 : 0,
      diferencias: anunciadas ?? diferencias.length,
      revisados: 10,
    });
  };
  const vencer = (id: string) =>
    gw.db.query(`UPDATE ${s}.reconciliacion SET vence_at = now() - interval '1 second' WHERE id = $1`, [id]);
  const alertasDe = (id: string) => tap.of(EnviarAlerta).filter((a) => a.datos.reconciliacionId === id);
  const pausa = () => new Promise((r) => setTimeout(r, 600));

  describe('fallida', () => {
    it('a run whose deadline passes with Moodle silent fails, naming it, and alerts once; a late answer changes nothing', async () => {
      const id = await iniciar();
      await responder(id, 'entra', []);
      await waitFor(async () => (await una(id)).sistemas.entra.estado === 'terminada', 'entra answered');
      await vencer(id);
      const r = await hasta(id, 'fallida');
      expect(r.error).toBe('venció el plazo — moodle: sin respuesta a tiempo');
      expect(r.sistemas).toEqual({
        entra: expect.objectContaining({ estado: 'terminada', diferencias: 0 }),
        moodle: { estado: 'fallida', motivo: 'sin respuesta a tiempo' },
      });
      expect(r.fin).toEqual(expect.any(String));
      await waitFor(() => alertasDe(id).length === 1, 'the alert');
      expect(alertasDe(id)[0]).toMatchObject({
        tipo: 'reconciliacion_fallida',
        destinatarios: ['ops@example.edu'],
        datos: { reconciliacionId: id, motivo: r.error },
      });

      await responder(id, 'moodle', []);
      await pausa();
      expect(await una(id)).toMatchObject({ estado: 'fallida', error: r.error });
      expect(alertasDe(id)).toHaveLength(1);
    });

    it('a run whose announced differences did not all arrive by the deadline fails, saying how many came', async () => {
      const id = await iniciar();
      const huerfano: Diferencia = {
        alumnoId: null,
        tipo: 'huerfano',
        referencia: 'intruso@lucy.example',
        esperado: null,
        encontrado: 'intruso',
      };
      await responder(id, 'entra', [huerfano], 2);
      await responder(id, 'moodle', []);
      await waitFor(async () => (await una(id)).sistemas.moodle.estado === 'terminada', 'both answered');
      expect((await una(id)).estado).toBe('en_curso');
      await vencer(id);
      const r = await hasta(id, 'fallida');
      expect(r.error).toBe('venció el plazo — entra: llegaron 1 de las 2 diferencias anunciadas');
      expect(r.sistemas.entra).toMatchObject({
        estado: 'fallida',
        motivo: 'llegaron 1 de las 2 diferencias anunciadas',
      });
      expect(r.sistemas.moodle.estado).toBe('terminada');
      await waitFor(() => alertasDe(id).length === 1, 'the alert');
    });

    it('a service that answers with its failure fails the run with its reason, once however often it is delivered', async () => {
      const id = await iniciar();
      const fallo = {
        reconciliacionId: id,
        sistema: 'moodle' as const,
        motivo: 'Moodle no responde',
        permanente: true,
      };
      await tap.publish(ReconciliacionParcialFallida, fallo);
      const r = await hasta(id, 'fallida');
      expect(r.error).toBe('moodle: Moodle no responde');
      expect(r.sistemas.moodle).toEqual({ estado: 'fallida', motivo: 'Moodle no responde' });
      expect(r.sistemas.entra.estado).toBe('pendiente');
      await waitFor(() => alertasDe(id).length === 1, 'the alert');
      expect(alertasDe(id)[0]).toMatchObject({ tipo: 'reconciliacion_fallida', datos: { motivo: r.error } });

      await tap.publish(ReconciliacionParcialFallida, fallo);
      await responder(id, 'entra', []);
      await pausa();
      expect(await una(id)).toMatchObject({ estado: 'fallida', error: r.error });
      expect(alertasDe(id)).toHaveLength(1);
      // Only a finished run is repaired.
      const reparar = await gw.api(`/reconciliaciones/${id}/reparar`, { body: {} });
      expect(reparar.status).toBe(409);
    });
  });

  describe('repair, item by item', () => {
    const workflows = async (alumnoId: string) =>
      (
        await gw.db.query(`SELECT id FROM ${s}.workflow WHERE tipo = 'reparacion' AND alumno_id = $1`, [alumnoId])
      ).rows.map((r: { id: string }) => r.id);
    const terminada = async (entra: Diferencia[], moodle: Diferencia[]) => {
      const id = await iniciar();
      await responder(id, 'entra', entra);
      await responder(id, 'moodle', moodle);
      await hasta(id, 'terminada');
      return id;
    };
    const reparar = (id: string, body: object = {}) => gw.api(`/reconciliaciones/${id}/reparar`, { body });

    it('cut short half-way, asked again it repairs only what is left; a third time it starts nothing', async () => {
      const [a, b, c] = [
        await onboardeado(gw, tap, '43000001'),
        await onboardeado(gw, tap, '43000002'),
        await onboardeado(gw, tap, '43000003'),
      ];
      const id = await terminada(
        [
          {
            alumnoId: a.alumnoId,
            tipo: 'cuenta_deshabilitada',
            referencia: a.upn,
            esperado: 'habilitada',
            encontrado: 'deshabilitada',
          },
        ],
        [
          {
            alumnoId: b.alumnoId,
            tipo: 'cuenta_deshabilitada',
            referencia: b.upn,
            esperado: 'activo',
            encontrado: 'suspendido',
          },
          {
            alumnoId: b.alumnoId,
            tipo: 'datos_distintos',
            referencia: b.upn,
            campos: ['lastname'],
            esperado: 'lastname=Sosa',
            encontrado: 'lastname=Otra',
          },
          {
            alumnoId: c.alumnoId,
            tipo: 'datos_distintos',
            referencia: c.upn,
            campos: ['email'],
            esperado: `email=${c.upn}`,
            encontrado: 'email=otra@example.com',
          },
          {
            alumnoId: null,
            tipo: 'huerfano',
            referencia: 'x@CURSO',
            esperado: null,
            encontrado: 'x (9) en CURSO',
            curso: 'CURSO',
          },
        ],
      );

      const plan = await reparar(id, { simular: true });
      expect(plan.status).toBe(202);
      expect(plan.body).toMatchObject({ simulacion: true, iniciados: 0, yaIniciados: 0 });
      expect(plan.body.alumnos.map(({ alumnoId, pasos, reparar: r }: any) => ({ alumnoId, pasos, r }))).toEqual([
        { alumnoId: a.alumnoId, pasos: ['habilitar_cuenta'], r: ['cuenta_deshabilitada'] },
        {
          alumnoId: b.alumnoId,
          pasos: ['reactivar_moodle'],
          r: ['moodle:cuenta_deshabilitada', 'moodle:datos_distintos'],
        },
        { alumnoId: c.alumnoId, pasos: ['actualizar_moodle'], r: ['moodle:datos_distintos'] },
      ]);
      expect(plan.body.sinReparar).toEqual([expect.objectContaining({ sistema: 'moodle', tipo: 'huerfano' })]);

      // The process dies after the first student's workflow started: the others are not reached.
      const ciclo = gw.app.get(CicloService);
      const real = ciclo.reparar.bind(ciclo);
      ciclo.reparar = async (alumnoId, ...resto) => {
        if (alumnoId === b.alumnoId) throw new Error('el proceso se cortó');
        return real(alumnoId, ...resto);
      };
      const cortada = await reparar(id);
      ciclo.reparar = real;
      expect(cortada.status).toBe(500);
      const [wa] = await workflows(a.alumnoId);
      expect(await workflows(b.alumnoId)).toEqual([]);
      const items = (await una(id)).items.items;
      expect(items.map((i: any) => [i.alumno, i.tipo, i.workflowId])).toEqual([
        [a.alumnoId, 'cuenta_deshabilitada', wa],
        [b.alumnoId, 'cuenta_deshabilitada', null],
        [b.alumnoId, 'datos_distintos', null],
        [c.alumnoId, 'datos_distintos', null],
        [null, 'huerfano', null],
      ]);

      const resto = await reparar(id);
      expect(resto.status).toBe(202);
      expect(resto.body).toMatchObject({ simulacion: false, iniciados: 2, rechazados: 0, yaIniciados: 1 });
      expect(resto.body.alumnos.map((x: any) => x.alumnoId)).toEqual([b.alumnoId, c.alumnoId]);
      const [wb] = await workflows(b.alumnoId);
      const [wc] = await workflows(c.alumnoId);
      expect((await una(id)).items.items.map((i: any) => i.workflowId)).toEqual([wa, wb, wb, wc, null]);
      // Moodle's steps: B's suspension lifted with its profile, in one command; C's profile alone.
      await waitFor(() => tap.of(ActualizarUsuarioMoodle, { alumnoId: c.alumnoId }).length === 1, 'the commands');
      expect(tap.of(ActualizarUsuarioMoodle, { alumnoId: b.alumnoId })).toEqual([
        { alumnoId: b.alumnoId, upn: b.upn, alumno: b.alumno, suspendido: false },
      ]);
      expect(tap.of(ActualizarUsuarioMoodle, { alumnoId: c.alumnoId })).toEqual([
        { alumnoId: c.alumnoId, upn: c.upn, alumno: c.alumno },
      ]);

      const otra = await reparar(id);
      expect(otra.status).toBe(202);
      expect(otra.body).toMatchObject({ iniciados: 0, rechazados: 0, yaIniciados: 3, alumnos: [] });
      await pausa();
      expect(tap.of(HabilitarCuentaTeams, { alumnoId: a.alumnoId })).toHaveLength(1);
      expect(tap.of(ActualizarUsuarioMoodle, { alumnoId: b.alumnoId })).toHaveLength(1);
      for (const x of [a, b, c]) expect(await workflows(x.alumnoId)).toHaveLength(1);
      // The report of the repair that did the work is kept.
      expect((await una(id)).resultadoReparacion).toMatchObject({ iniciados: 2, yaIniciados: 1 });
    });

    it('two requests racing for one run start one workflow per student', async () => {
      const d = await onboardeado(gw, tap, '43000004');
      const id = await terminada(
        [{ alumnoId: d.alumnoId, tipo: 'cuenta_faltante', referencia: d.upn, esperado: d.upn, encontrado: null }],
        [],
      );
      const [x, y] = await Promise.all([reparar(id), reparar(id)]);
      expect([x.status, y.status]).toEqual([202, 202]);
      expect([x.body, y.body].map((r) => [r.iniciados, r.yaIniciados, r.rechazados]).sort()).toEqual([
        [0, 1, 0],
        [1, 0, 0],
      ]);
      expect(await workflows(d.alumnoId)).toHaveLength(1);
      await waitFor(() => tap.of(HabilitarCuentaTeams, { alumnoId: d.alumnoId }).length === 1, 'enable sent');
      await pausa();
      expect(tap.of(HabilitarCuentaTeams, { alumnoId: d.alumnoId })).toHaveLength(1);
    });
  });
});
