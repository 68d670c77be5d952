// One service's line on the dashboard, put together from what was gathered: its /health/ready details
// (broker, outbox, each breaker with its rate limiter, the runtime configuration it applies), its queues
// as the broker counts them, and the rates from its /metrics samples. Pure.
import { alDia, configuracionAplicada, type ConfiguracionAplicada } from './configuracion-aplicada.js';
import { perMinute, type Counters } from './scraped-metrics.js';

export interface SaludLeida {
  alcanzable: boolean;
  listo: boolean;
  error: string | null;
  detalles: Record<string, { status?: string; [k: string]: unknown }>;
}

export interface ColaLeida {
  cola: string;
  /** null: the queue does not exist (the service never declared it). */
  mensajes: number | null;
  consumidores: number | null;
  aparcados: number | null;
}

export interface BreakerPanel {
  dependencia: string;
  estado: string | null;
  desde: string | null;
  ultimoFallo: string | null;
  /** Requests per minute in force (configured × AIMD factor), and the share of it used lately. */
  rpm: number | null;
  llamadasPorMinuto: number | null;
  uso: number | null;
  limitador: Record<string, unknown> | null;
}

export type EstadoServicio = 'activo' | 'degradado' | 'caido';

export interface ConfiguracionPanel extends ConfiguracionAplicada {
  /** Whether it applies the gateway's current version; null when that version could not be read. */
  alDia: boolean | null;
}

export interface ServicioPanel {
  servicio: string;
  url: string;
  estado: EstadoServicio;
  /** Why it is not 'activo', in words. */
  motivo: string | null;
  broker: { conectado: boolean; reconexiones: number | null; outboxPendiente: number | null } | null;
  colas: ColaLeida[];
  mensajesEnCola: number;
  consumidores: number;
  aparcados: number;
  breakers: BreakerPanel[];
  /** The highest rate use among its dependencies (0..1+), null when it calls none or it is not known yet. */
  usoTasa: number | null;
  mensajesPorMinuto: number | null;
  ultimoError: string | null;
  /** The runtime configuration it applies; null when it reports none (the gateway, an older build, down). */
  configuracion: ConfiguracionPanel | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** `versionConfig`: the gateway's current configuration version (null: not known). */
export function resumirServicio(
  servicio: string,
  url: string,
  salud: SaludLeida,
  colas: ColaLeida[],
  muestras: readonly Counters[],
  versionConfig: number | null = null,
): ServicioPanel {
  const d = salud.detalles;
  const brokerDet = d.broker as Record<string, unknown> | undefined;
  const broker = brokerDet
    ? {
        conectado: brokerDet.connected === true,
        reconexiones: num(brokerDet.reconnects),
        outboxPendiente: num(brokerDet.outboxPending),
      }
    : null;

  const breakers = Object.entries(d)
    .filter(([k]) => k.startsWith('breaker:'))
    .map(([k, v]): BreakerPanel => {
      const dependencia = k.slice('breaker:'.length);
      const limitador = (v.rateLimit && typeof v.rateLimit === 'object' ? v.rateLimit : null) as Record<
        string,
        unknown
      > | null;
      const limites = (limitador?.limits ?? null) as Record<string, unknown> | null;
      const base = num(limites?.rpm);
      const rpm = base === null ? null : Math.round(base * (num(limitador?.factor) ?? 1));
      const llamadasPorMinuto = perMinute(muestras, (c) => c.calls[dependencia] ?? 0);
      return {
        dependencia,
        estado: str(v.state),
        desde: str(v.since),
        ultimoFallo: str(v.lastFailure),
        rpm,
        llamadasPorMinuto,
        uso: rpm && llamadasPorMinuto !== null ? Math.round((llamadasPorMinuto / rpm) * 1000) / 1000 : null,
        limitador,
      };
    })
    .sort((a, b) => a.dependencia.localeCompare(b.dependencia));

  const caidos = Object.entries(d).filter(([, v]) => v.status === 'down');
  const abiertos = breakers.filter((b) => b.estado && b.estado !== 'closed');
  let estado: EstadoServicio = 'activo';
  let motivo: string | null = null;
  if (!salud.alcanzable) {
    estado = 'caido';
    motivo = `no responde: ${salud.error ?? 'sin respuesta'}`;
  } else if (!salud.listo || caidos.length || abiertos.length || broker?.conectado === false) {
    estado = 'degradado';
    const partes = [
      ...caidos.map(([k]) => `${k} caído`),
      ...abiertos.map((b) => `breaker ${b.dependencia} ${b.estado === 'open' ? 'abierto' : 'semiabierto'}`),
      ...(broker?.conectado === false && !caidos.some(([k]) => k === 'broker') ? ['sin conexión al broker'] : []),
    ];
    motivo = partes.join('; ') || salud.error;
  }

  const mensajeDe = (v: Record<string, unknown>) => str(v.message) ?? str(v.lastError) ?? str(v.error);
  const ultimoError =
    (salud.alcanzable ? null : salud.error) ??
    caidos.map(([k, v]) => (mensajeDe(v) ? `${k}: ${mensajeDe(v)}` : null)).find(Boolean) ??
    (brokerDet && str(brokerDet.lastError) ? `broker: ${str(brokerDet.lastError)}` : null) ??
    breakers.map((b) => (b.ultimoFallo ? `${b.dependencia}: ${b.ultimoFallo}` : null)).find(Boolean) ??
    null;

  const configuracion = configuracionAplicada(salud);
  const usos = breakers.map((b) => b.uso).filter((u): u is number => u !== null);
  const sumaDe = (f: (c: ColaLeida) => number | null) => colas.reduce((n, c) => n + (f(c) ?? 0), 0);
  return {
    servicio,
    url,
    estado,
    motivo,
    broker,
    colas,
    mensajesEnCola: sumaDe((c) => c.mensajes),
    consumidores: sumaDe((c) => c.consumidores),
    aparcados: sumaDe((c) => c.aparcados),
    breakers,
    usoTasa: usos.length ? Math.max(...usos) : null,
    mensajesPorMinuto: salud.alcanzable ? perMinute(muestras, (c) => c.consumed) : null,
    ultimoError,
    configuracion: configuracion && {
      ...configuracion,
      alDia: versionConfig === null ? null : alDia(configuracion.version, versionConfig),
    },
  };
}
