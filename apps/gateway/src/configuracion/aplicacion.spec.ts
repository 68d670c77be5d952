import type { SaludLeida } from '../dashboard/resumen.js';
import { aplicacionDe } from './aplicacion.js';

const respondio = (configuracion?: Record<string, unknown>): SaludLeida => ({
  alcanzable: true,
  listo: true,
  error: null,
  detalles: configuracion ? { configuracion } : {},
});

describe('which version a service applies, for GET /config', () => {
  it('is up to date at the current version, with the keys it refused', () => {
    expect(
      aplicacionDe(
        'mail-service',
        respondio({ status: 'up', version: 3, rechazadas: { plantillaEmail: 'no compila' } }),
        3,
      ),
    ).toEqual({
      servicio: 'mail-service',
      version: 3,
      rechazadas: { plantillaEmail: 'no compila' },
      alDia: true,
      error: null,
    });
  });

  it('is behind at an older version', () => {
    expect(aplicacionDe('ingest-service', respondio({ status: 'up', version: 1, rechazadas: {} }), 3)).toMatchObject({
      version: 1,
      alDia: false,
      error: null,
    });
  });

  it('is unknown, not an error, when the service does not answer or does not say', () => {
    expect(
      aplicacionDe(
        'teams-service',
        { alcanzable: false, listo: false, error: 'The operation was aborted due to timeout', detalles: {} },
        3,
      ),
    ).toEqual({
      servicio: 'teams-service',
      version: null,
      rechazadas: null,
      alDia: false,
      error: 'no responde: The operation was aborted due to timeout',
    });
    expect(aplicacionDe('moodle-service', respondio(), 3)).toMatchObject({
      version: null,
      alDia: false,
      error: 'no informa su configuración en /health/ready',
    });
  });
});
