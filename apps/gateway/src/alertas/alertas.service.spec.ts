import { Registry } from 'prom-client';
import { EnviarAlerta, type AjustesAlertas } from '@lucy/contracts';
import type { MetricsService } from '@lucy/platform';
import type { TransactionScope } from '@lucy/messaging';
import type { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { AlertasMetrics } from './alertas.metrics.js';
import { AlertasService } from './alertas.service.js';

function montar(alertas: AjustesAlertas) {
  const registry = new Registry();
  const configuracion = { actual: async () => ({ valores: { alertas } }) } as unknown as ConfiguracionService;
  const servicio = new AlertasService(configuracion, new AlertasMetrics({ registry } as MetricsService));
  const publicados: { def: unknown; payload: any }[] = [];
  const scope = { manager: {}, publish: (def: unknown, payload: any) => publicados.push({ def, payload }) };
  const valor = async (nombre: string, etiquetas: Record<string, string>) =>
    (await registry.getSingleMetric(nombre)!.get()).values.find((v) =>
      Object.entries(etiquetas).every(([k, x]) => v.labels[k] === x),
    )?.value;
  return { servicio, scope: scope as unknown as TransactionScope, publicados, valor };
}

const fallida = { tipo: 'ejecucion' as const, trabajo: 'sial', ejecucionId: 'e1', disparo: 'programada' };

describe('AlertasService', () => {
  it('a failed run with recipients: counted, and EnviarAlerta published with them and the template', async () => {
    const plantilla = { asunto: '{{titulo}}', cuerpo: '{{motivo}}' };
    const { servicio, scope, publicados, valor } = montar({
      destinatarios: ['ops@unrc.edu.ar'],
      umbralDiferencias: 50,
      plantilla,
    });
    const id = await servicio.registrar(scope, { ...fallida, resultado: 'fallido', error: 'SIAL 503' });
    expect(publicados).toEqual([
      {
        def: EnviarAlerta,
        payload: expect.objectContaining({
          alertaId: id,
          tipo: 'trabajo_fallido',
          destinatarios: ['ops@unrc.edu.ar'],
          plantilla,
        }),
      },
    ]);
    expect(EnviarAlerta.schema.safeParse(publicados[0]!.payload).success).toBe(true);
    expect(await valor('lucy_trabajo_ejecuciones_total', { trabajo: 'sial', resultado: 'fallido' })).toBe(1);
    expect(await valor('lucy_alertas_total', { tipo: 'trabajo_fallido' })).toBe(1);
  });

  it('no recipients: the alert is counted, nothing is published', async () => {
    const { servicio, scope, publicados, valor } = montar({
      destinatarios: [],
      umbralDiferencias: 50,
      plantilla: null,
    });
    expect(await servicio.registrar(scope, { ...fallida, resultado: 'fallido' })).toBeNull();
    expect(publicados).toEqual([]);
    expect(await valor('lucy_alertas_total', { tipo: 'trabajo_fallido' })).toBe(1);
  });

  it('an ok run and a drift within the threshold: counted, no alert; the gauge shows the run', async () => {
    const { servicio, scope, publicados, valor } = montar({
      destinatarios: ['ops@unrc.edu.ar'],
      umbralDiferencias: 5,
      plantilla: null,
    });
    await servicio.registrar(scope, { ...fallida, resultado: 'ok' });
    await servicio.registrar(scope, {
      tipo: 'reconciliacion',
      reconciliacionId: 'r1',
      estado: 'terminada',
      diferencias: 5,
      porTipo: { huerfano: 5 },
    });
    expect(publicados).toEqual([]);
    expect(await valor('lucy_trabajo_ejecuciones_total', { trabajo: 'sial', resultado: 'ok' })).toBe(1);
    expect(await valor('lucy_reconciliacion_diferencias', { tipo: 'huerfano' })).toBe(5);
    expect(await valor('lucy_reconciliacion_diferencias', { tipo: 'cuenta_faltante' })).toBe(0);
    expect(await valor('lucy_alertas_total', { tipo: 'deriva' })).toBe(0);
  });
});
