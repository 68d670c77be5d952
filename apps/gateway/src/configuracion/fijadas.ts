// Which keys an operator has set (`fijadas`): only those reach the services, the others keep each
// service's environment. The rules of how a change moves them, without the database. Pure.
import { Configuracion } from '@lucy/contracts';

const ORDEN = Object.keys(Configuracion.shape);

/**
 * Keys that cannot be given back to the environment, with why (said to the operator as it is):
 * `sincronizacion` and `moodleAlEliminar` are applied by the gateway alone, from the configuration itself; `limites` reach the
 * services as LimitesCambiados, which libs/resilience keeps in Redis with no message for "back to the
 * configured ones". Giving either back would change nothing that runs while the dashboard said otherwise.
 */
export const NO_SE_SUELTAN: Readonly<Record<string, string>> = {
  sincronizacion:
    'la aplica solo el gateway, desde esta configuración: no hay un valor de entorno al que volver. Para cambiar lo que hace, cambiá su valor',
  moodleAlEliminar:
    'la aplica solo el gateway (la baja), desde esta configuración: no hay un valor de entorno al que volver. Para cambiar lo que hace, cambiá su valor',
  retencion:
    'la aplica solo el gateway (la ejecución de retención), desde esta configuración: no hay un valor de entorno al que volver. Para cambiar lo que hace, cambiá su valor',
  alertas:
    'la aplica solo el gateway (las alertas), desde esta configuración: no hay un valor de entorno al que volver. Para cambiar lo que hace, cambiá su valor',
  limites:
    'los servicios los aplican al recibirlos y los guardan en Redis, sin forma de volver a los de su entorno. Para usar esos, poné aquí sus mismos valores',
};

/** Keys in the configuration's own order (a stable answer), any unknown one after them. */
export function ordenarClaves(claves: Iterable<string>): string[] {
  const todas = new Set(claves);
  return [...ORDEN.filter((k) => todas.has(k)), ...[...todas].filter((k) => !ORDEN.includes(k)).sort()];
}

/**
 * The keys set after a change: those set before, plus every key whose value changed and every key the
 * operator named (PATCH's body, an imported file): naming a key with the value it already has is still
 * choosing that value, against whatever a service's environment says.
 */
export const fijadasTras = (
  previas: readonly string[],
  cambios: readonly string[],
  nombradas: readonly string[] = [],
): string[] => ordenarClaves([...previas, ...cambios, ...nombradas]);

/** What a version did to the keys set: those it set (with or without a new value) and those it gave back. */
export function diferencia(
  previas: readonly string[],
  fijadas: readonly string[],
): { fijadasNuevas: string[]; soltadas: string[] } {
  return {
    fijadasNuevas: fijadas.filter((k) => !previas.includes(k)),
    soltadas: previas.filter((k) => !fijadas.includes(k)),
  };
}

/** A change that alters neither a value nor the keys set is not a new version. */
export const sinEfecto = (
  cambios: readonly string[],
  previas: readonly string[],
  fijadas: readonly string[],
): boolean => {
  const d = diferencia(previas, fijadas);
  return !cambios.length && !d.fijadasNuevas.length && !d.soltadas.length;
};

/**
 * Each row's keys set, oldest row first. A row stores its own (`fijadas`); one without them — written
 * before they were stored, or by hand — has the previous row's plus its own `cambios` (before any row
 * stored them, that is every earlier version's `cambios` together).
 */
export function fijadasEnCadena(
  filas: readonly { cambios: readonly string[]; fijadas: readonly string[] | null }[],
  antes: readonly string[] = [],
): string[][] {
  let previas = ordenarClaves(antes);
  return filas.map(
    (f) => (previas = Array.isArray(f.fijadas) ? ordenarClaves(f.fijadas) : fijadasTras(previas, f.cambios)),
  );
}
