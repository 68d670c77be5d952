import { resumirServicio, type ColaLeida, type SaludLeida } from './resumen.js';

const colas: ColaLeida[] = [
  { cola: 'teams-service', mensajes: 12, consumidores: 2, aparcados: 3 },
  { cola: 'teams-service.control', mensajes: 0, consumidores: 2, aparcados: 0 },
];

const sana = (breaker: Record<string, unknown> = {}): SaludLeida => ({
  alcanzable: true,
  listo: true,
  error: null,
  detalles: {
    database: { status: 'up' },
    broker: { status: 'up', connected: true, reconnects: 1, lastError: null, outboxPending: 4 },
    'breaker:graph': {
      status: 'up',
      state: 'closed',
      since: '2027-02-01T10:00:00.000Z',
      lastFailure: null,
      rateLimit: { limits: { rpm: 600 }, factor: 0.5 },
      ...breaker,
    },
  },
});

describe("a service's line on the dashboard", () => {
  it('adds up its queues and reads its broker, outbox and breakers with the rate use', () => {
    const s = resumirServicio('teams-service', 'http://t', sana(), colas, [
      { at: 0, consumed: 0, calls: { graph: 0 } },
      { at: 60_000, consumed: 120, calls: { graph: 150 } },
    ]);
    expect(s).toMatchObject({
      estado: 'activo',
      motivo: null,
      mensajesEnCola: 12,
      consumidores: 4,
      aparcados: 3,
      mensajesPorMinuto: 120,
      ultimoError: null,
    });
    expect(s.broker).toEqual({ conectado: true, reconexiones: 1, outboxPendiente: 4 });
    // 600 rpm configured, halved by the AIMD factor after 429s: 150 calls a minute use half of it.
    expect(s.breakers).toEqual([
      expect.objectContaining({ dependencia: 'graph', estado: 'closed', rpm: 300, llamadasPorMinuto: 150, uso: 0.5 }),
    ]);
    expect(s.usoTasa).toBe(0.5);
  });

  it('is degraded while a breaker is open, and says which one and why', () => {
    const s = resumirServicio(
      'teams-service',
      'http://t',
      sana({ state: 'open', lastFailure: 'Graph 503' }),
      colas,
      [],
    );
    expect(s).toMatchObject({
      estado: 'degradado',
      motivo: 'breaker graph abierto',
      ultimoError: 'graph: Graph 503',
      mensajesPorMinuto: null,
    });
  });

  it('is down when it does not answer, with the reason as its last error', () => {
    const s = resumirServicio(
      'mail-service',
      'http://m',
      { alcanzable: false, listo: false, error: 'fetch failed', detalles: {} },
      [],
      [],
    );
    expect(s).toMatchObject({
      estado: 'caido',
      motivo: 'no responde: fetch failed',
      ultimoError: 'fetch failed',
      breakers: [],
      broker: null,
      usoTasa: null,
    });
  });

  it('names a failing check of an unready service', () => {
    const salud: SaludLeida = {
      alcanzable: true,
      listo: false,
      error: 'HTTP 503',
      detalles: { database: { status: 'down', message: 'connection refused' } },
    };
    expect(resumirServicio('ingest-service', 'http://i', salud, [], [])).toMatchObject({
      estado: 'degradado',
      motivo: 'database caído',
      ultimoError: 'database: connection refused',
    });
  });

  describe('the runtime configuration it applies', () => {
    const con = (configuracion: unknown): SaludLeida => {
      const s = sana();
      return { ...s, detalles: { ...s.detalles, configuracion: configuracion as SaludLeida['detalles'][string] } };
    };
    const aplicada = {
      status: 'up',
      version: 4,
      cambiadoPor: 'ana',
      appliedAt: '2027-02-01T10:00:00.000Z',
      fijadas: ['upn', 'licenciaSku'],
      rechazadas: {},
    };

    it('carries the version it applies, up to date when it is the current one', () => {
      const s = resumirServicio('teams-service', 'http://t', con(aplicada), colas, [], 4);
      expect(s.configuracion).toEqual({
        version: 4,
        alDia: true,
        cambiadoPor: 'ana',
        appliedAt: '2027-02-01T10:00:00.000Z',
        fijadas: ['upn', 'licenciaSku'],
        rechazadas: {},
      });
      expect(s.estado).toBe('activo');
    });

    it('is not up to date behind the current version, nor ahead of it (the gateway’s database went back)', () => {
      expect(resumirServicio('teams-service', 'http://t', con(aplicada), colas, [], 5).configuracion?.alDia).toBe(
        false,
      );
      expect(resumirServicio('teams-service', 'http://t', con(aplicada), colas, [], 3).configuracion?.alDia).toBe(
        false,
      );
    });

    it('names the keys it refused with its reasons, without calling the service degraded', () => {
      const s = resumirServicio(
        'teams-service',
        'http://t',
        con({ ...aplicada, rechazadas: { upn: 'el dominio no está verificado en el tenant', otra: 42 } }),
        colas,
        [],
        4,
      );
      expect(s.configuracion).toMatchObject({
        alDia: true,
        rechazadas: { upn: 'el dominio no está verificado en el tenant', otra: 'rechazada' },
      });
      expect(s.estado).toBe('activo');
    });

    it('does not know whether it is up to date when the current version could not be read', () => {
      expect(resumirServicio('teams-service', 'http://t', con(aplicada), colas, []).configuracion?.alDia).toBeNull();
    });

    it('is null when the service reports no configuration, or not in a shape it can read', () => {
      expect(resumirServicio('teams-service', 'http://t', sana(), colas, [], 4).configuracion).toBeNull();
      expect(
        resumirServicio('teams-service', 'http://t', con({ status: 'up', version: 'cuatro' }), colas, [], 4)
          .configuracion,
      ).toBeNull();
      expect(
        resumirServicio(
          'mail-service',
          'http://m',
          { alcanzable: false, listo: false, error: 'fetch failed', detalles: {} },
          [],
          [],
          4,
        ).configuracion,
      ).toBeNull();
    });

    it('reads a version 0 (the environment only) with what is missing left empty', () => {
      expect(
        resumirServicio('ingest-service', 'http://i', con({ status: 'up', version: 0 }), [], [], 0).configuracion,
      ).toEqual({ version: 0, alDia: true, cambiadoPor: null, appliedAt: null, fijadas: [], rechazadas: {} });
    });
  });
});
