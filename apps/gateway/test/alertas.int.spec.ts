// Alerts through a running gateway: bad alert settings refused with the field (400), then a job run that
// fails publishes EnviarAlerta (through the outbox of the transaction that records the failure) to the
// configured operators, and /metrics counts the run and the alert. A run that succeeds alerts nobody. A
// reconciliation that fails alerts; one that ends with more differences than the threshold alerts (deriva)
// and sets the differences gauge, one within it does not (the services' answers are published by a tap).
//
// The failing action is put in place of retencion's for this gateway only (the registry refuses a second
// registration): the scheduler records whatever an action throws.
import { randomUUID } from 'node:crypto';
import {
  DiferenciasEncontradas,
  EnviarAlerta,
  ReconciliacionParcialFallida,
  ReconciliacionParcialTerminada,
  type Diferencia,
} from '@lucy/contracts';
import { BrokerTap, waitFor } from '@lucy/testing';
import { TrabajoRegistry, type AccionTrabajo } from '../src/trabajos/trabajo.registry.js';
import { startGateway, type TestGateway } from './support/gateway.js';

/** A sample's value on /metrics: the series `nombre` with every label of `etiquetas` (the service's too). */
const metrica = async (gw: TestGateway, nombre: string, etiquetas: Record<string, string>): Promise<number | null> => {
  const texto = await (await fetch(`${gw.url}/metrics`)).text();
  const l = texto
    .split('\n')
    .find((x) => x.startsWith(`${nombre}{`) && Object.entries(etiquetas).every(([k, v]) => x.includes(`${k}="${v}"`)));
  return l ? Number(l.split(' ').at(-1)) : null;
};

describe('gateway: alerts', () => {
  let gw: TestGateway;
  let tap: BrokerTap;
  let falla = true;
  const marca = randomUUID();

  beforeAll(async () => {
    gw = await startGateway('gwalerta');
    tap = await BrokerTap.open([EnviarAlerta], { url: gw.config.RABBITMQ_URL });
    const registry = gw.app.get(TrabajoRegistry);
    const accion: AccionTrabajo = {
      nombre: 'retencion',
      ejecutar: async () => {
        if (falla) throw new Error(`la base de prueba no responde ${marca}`);
        return { tipo: 'prueba', id: randomUUID() };
      },
    };
    registry.accionOConflicto = (nombre) =>
      nombre === 'retencion' ? accion : TrabajoRegistry.prototype.accionOConflicto.call(registry, nombre);
  });
  afterAll(async () => {
    await tap?.close();
    await gw?.close();
  });

  it('refuses bad alert settings with the field, and stores nothing', async () => {
    const r = await gw.api('/config', {
      method: 'PATCH',
      body: {
        valores: {
          alertas: {
            destinatarios: ['operaciones'],
            umbralDiferencias: -1,
            plantilla: { asunto: '{{#if titulo}}', cuerpo: 'Clave {{password}}' },
          },
        },
      },
    });
    expect({ status: r.status, type: r.type }).toEqual({ status: 400, type: expect.stringContaining('problem+json') });
    expect(r.body.problemas.map((p: { campo: string }) => p.campo).sort()).toEqual([
      'valores.alertas.destinatarios.0',
      'valores.alertas.plantilla.asunto',
      'valores.alertas.plantilla.cuerpo',
      'valores.alertas.umbralDiferencias',
    ]);
    expect((await gw.api('/config')).body.version).toBe(0);
  });

  it('a failed run emails the operators: EnviarAlerta published once, the run and the alert counted', async () => {
    const cambio = await gw.api('/config', {
      method: 'PATCH',
      body: { valores: { alertas: { destinatarios: ['ops@example.edu'], umbralDiferencias: 10, plantilla: null } } },
    });
    expect(cambio.status).toBe(200);

    const r = await gw.api('/trabajos/retencion/ejecutar', { method: 'POST' });
    expect(r.status).toBeGreaterThanOrEqual(500);
    const [alerta] = await waitFor(() => {
      const a = tap.of(EnviarAlerta).filter((x) => x.datos.motivo?.includes(marca));
      return a.length ? a : undefined;
    }, 'EnviarAlerta');
    const [{ id, error }] = (
      await gw.db.query(
        `SELECT id, error FROM "${gw.config.DB_SCHEMA}".sincronizacion_programada WHERE trabajo = 'retencion'`,
      )
    ).rows;
    expect(error).toContain(marca);
    expect(alerta).toEqual({
      alertaId: expect.any(String),
      tipo: 'trabajo_fallido',
      destinatarios: ['ops@example.edu'],
      plantilla: null,
      datos: {
        titulo: 'Falló el trabajo retencion (manual)',
        trabajo: 'retencion',
        ejecucionId: id,
        motivo: `la base de prueba no responde ${marca}`,
        ocurridaAt: expect.any(String),
      },
    });
    expect(await metrica(gw, 'lucy_trabajo_ejecuciones_total', { trabajo: 'retencion', resultado: 'fallido' })).toBe(1);
    expect(await metrica(gw, 'lucy_alertas_total', { tipo: 'trabajo_fallido' })).toBe(1);

    // A run that succeeds is counted and alerts nobody.
    falla = false;
    expect((await gw.api('/trabajos/retencion/ejecutar', { method: 'POST' })).status).toBe(202);
    expect(await metrica(gw, 'lucy_trabajo_ejecuciones_total', { trabajo: 'retencion', resultado: 'ok' })).toBe(1);
    await new Promise((res) => setTimeout(res, 500));
    expect(tap.of(EnviarAlerta)).toHaveLength(1);
    expect(await metrica(gw, 'lucy_alertas_total', { tipo: 'trabajo_fallido' })).toBe(1);
  });

  const reconciliacion = async () => {
    const r = await gw.api('/reconciliaciones', { method: 'POST', body: { reparar: false } });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };
  const huerfanos = (n: number): Diferencia[] =>
    Array.from({ length: n }, (_, i) => ({
      alumnoId: null,
      tipo: 'huerfano' as const,
      referencia: `x${i}@estudiantes.example`,
      esperado: null,
      encontrado: 'existe',
    }));
  /** Both systems end: entra with `n` orphans (in one part), moodle with none. */
  const terminar = async (id: string, n: number) => {
    if (n)
      await tap.publish(DiferenciasEncontradas, {
        reconciliacionId: id,
        sistema: 'entra',
        parte: 0,
        diferencias: huerfanos(n),
      });
    await tap.publish(ReconciliacionParcialTerminada, {
      reconciliacionId: id,
      sistema: 'entra',
      partes: n ? 1 : 0,
      diferencias: n,
      revisados: 10,
    });
    await tap.publish(ReconciliacionParcialTerminada, {
      reconciliacionId: id,
      sistema: 'moodle',
      partes: 0,
      diferencias: 0,
      revisados: 10,
    });
    await waitFor(async () => (await gw.api(`/reconciliaciones/${id}`)).body.estado === 'terminada', 'terminada');
  };

  it('a failed reconciliation alerts; drift alerts above the threshold (10) only, the gauge shows the last', async () => {
    const fallida = await reconciliacion();
    await tap.publish(ReconciliacionParcialFallida, {
      reconciliacionId: fallida,
      sistema: 'moodle',
      motivo: 'Moodle no responde',
      permanente: true,
    });
    await waitFor(() => tap.of(EnviarAlerta).find((a) => a.datos.reconciliacionId === fallida), 'the failure alert');
    expect(tap.of(EnviarAlerta).find((a) => a.datos.reconciliacionId === fallida)).toMatchObject({
      tipo: 'reconciliacion_fallida',
      datos: { motivo: 'moodle: Moodle no responde' },
    });

    const dentro = await reconciliacion();
    await terminar(dentro, 10);
    expect(await metrica(gw, 'lucy_reconciliacion_diferencias', { tipo: 'huerfano' })).toBe(10);
    expect(await metrica(gw, 'lucy_reconciliacion_diferencias', { tipo: 'cuenta_faltante' })).toBe(0);

    const deriva = await reconciliacion();
    await terminar(deriva, 11);
    await waitFor(() => tap.of(EnviarAlerta).find((a) => a.datos.reconciliacionId === deriva), 'the drift alert');
    expect(tap.of(EnviarAlerta).find((a) => a.datos.reconciliacionId === deriva)).toMatchObject({
      tipo: 'deriva',
      datos: { diferencias: 11, umbral: 10, porTipo: { huerfano: 11 } },
    });
    expect(tap.of(EnviarAlerta).filter((a) => a.datos.reconciliacionId === dentro)).toEqual([]);
    expect(await metrica(gw, 'lucy_reconciliacion_diferencias', { tipo: 'huerfano' })).toBe(11);
    expect(await metrica(gw, 'lucy_alertas_total', { tipo: 'deriva' })).toBe(1);
    expect(await metrica(gw, 'lucy_alertas_total', { tipo: 'reconciliacion_fallida' })).toBe(1);
  });
});
