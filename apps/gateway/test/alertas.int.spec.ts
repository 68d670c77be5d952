// Alerts through a running gateway: bad alert settings refused with the field (400), then a job run that
// fails publishes EnviarAlerta (through the outbox of the transaction that records the failure) to the
// configured operators, and /metrics counts the run and the alert. A run that succeeds alerts nobody.
//
// The failing action is put in place of retencion's for this gateway only (the registry refuses a second
// registration): the scheduler records whatever an action throws.
import { randomUUID } from 'node:crypto';
import { EnviarAlerta } from '@lucy/contracts';
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
});
