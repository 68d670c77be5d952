// The adapter of a OneRoster 1.1 CSV zip (fuentes/lectura.ts): the rows the specification finds invalid
// (validar.ts) and the students the rest state (mapeo.ts). A users.csv sent in bulk is the whole roster
// (CSV Tables, "Bulk and delta processing"): it is a complete list, and a student it no longer holds counts
// an absence, as a SIAL list read whole does. One sent as delta holds only what changed: no absence counts.
import type { RegistrarLoteOneRoster } from '@lucy/contracts';
import type { ListaLeida } from '../../domain/ausencias.js';
import { leerDni } from '../../domain/dni.js';
import type { AdaptadorFuente, Lectura } from '../../fuentes/lectura.js';
import { esEstudiante, filaDeEstudiante } from '../mapeo.js';
import { validar } from './validar.js';

/** The list a OneRoster roster is, for the roll call (alumno.lista_sial). */
export const LISTA_ONEROSTER = 'oneroster';

export const lecturaDeOneRoster: AdaptadorFuente<Pick<RegistrarLoteOneRoster, 'archivos'>> = ({ archivos }) => {
  const validado = validar(archivos);
  const lectura: Lectura = { filas: [], errores: [...validado.errores] };
  for (const u of validado.registros.users.values()) {
    if (!esEstudiante(u)) continue;
    const r = filaDeEstudiante(validado, u);
    if (r.error) lectura.errores.push(r.error);
    else lectura.filas.push(r.fila);
  }
  if (archivos.users?.modo === 'bulk') lectura.listas = [listaDe(archivos.users.filas)];
  lectura.errores.sort((a, b) => a.fuente.localeCompare(b.fuente) || a.fila - b.fila);
  return lectura;
};

/** Every student's DNI in the file, valid row or not: any row of theirs is presence. */
function listaDe(usuarios: NonNullable<RegistrarLoteOneRoster['archivos']['users']>['filas']): ListaLeida {
  const dnis = new Set<string>();
  for (const u of usuarios) {
    if (u.valores.role?.trim() !== 'student' || u.valores.status?.trim() === 'tobedeleted') continue;
    const dni = leerDni(u.valores.identifier);
    if (dni.ok) dnis.add(dni.dni);
  }
  return { lista: LISTA_ONEROSTER, estado: 'ingresante', dnis, completa: dnis.size > 0 };
}
