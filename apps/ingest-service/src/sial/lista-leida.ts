// What one SIAL list says about who is in it, for the roll call of absences (domain/ausencias.ts): every
// DNI it holds, whatever its row's period or validity, and whether it counts at all.
import type { ListaLeida } from '../domain/ausencias.js';
import { leerDni } from '../domain/dni.js';
import { ESTADO_DE_LISTA } from './sial-fila.js';
import type { ListaSial, RegistroSial } from './sial.client.js';

/**
 * The client returns a list only once it has read it whole (every page, as many records as SIAL counted).
 * An empty one still does not count: a SIAL that answers "nobody" is far likelier broken than empty.
 */
export function listaLeida(lista: ListaSial, registros: readonly RegistroSial[]): ListaLeida {
  const dnis = new Set<string>();
  for (const r of registros) {
    const dni = leerDni(r.dni);
    if (dni.ok) dnis.add(dni.dni);
  }
  return { lista, estado: ESTADO_DE_LISTA[lista], dnis, completa: registros.length > 0 };
}
