// How a service stands with the runtime configuration, as the panel reports it (ServicioPanel.configuracion:
// the version it applies, whether that is the gateway's current one, the keys it refused): shared by the
// overview and the service's page so both say it in the same words.
import { insignia } from './dom.js';

const plural = (n, uno, varios) => `${n} ${n === 1 ? uno : varios}`;

/** Behind, ahead (the gateway's database went back) or up to date; null when it cannot be told. */
export function situacion(c, actual) {
  if (!c || c.alDia === null || c.alDia === undefined || actual === null || actual === undefined) return null;
  if (c.alDia) return { texto: 'al día', tono: 'bien' };
  if (c.version < actual) return { texto: `atrasada (la actual es la ${actual})`, tono: 'alerta' };
  return { texto: `adelantada (la del gateway es la ${actual})`, tono: 'alerta' };
}

export const versionAplicada = (c) => (c.version === 0 ? 'versión 0 (solo su entorno)' : `versión ${c.version}`);

export const rechazadasDe = (c) => Object.entries(c?.rechazadas ?? {});

/** The badges that need an operator's eye: not on the current version, keys refused. Empty when all is well. */
export function avisosConfiguracion(c, actual) {
  const s = situacion(c, actual);
  const rechazadas = rechazadasDe(c);
  return [
    s && s.tono !== 'bien' ? insignia(`Configuración v${c.version}: ${s.texto}`, s.tono) : null,
    rechazadas.length ? insignia(plural(rechazadas.length, 'clave rechazada', 'claves rechazadas'), 'alerta') : null,
  ].filter(Boolean);
}
