// A SIAL record → a row for the registry. SIAL's estado is the list the record comes from (a student
// left in an old list keeps that list's estado; consolidation sorts that out), except for a student
// leaving: SIAL keeps them in their list with the record's estado `baja` or `egresado`, and that is the
// estado the row takes (whatever else the record's estado says, the list decides).
import { esSalida, type EstadoAlumno } from '@lucy/contracts';
import type { FilaCruda } from '../domain/fila.js';
import { leerEstado, normalizarTexto } from '../domain/normalizar.js';
import type { ListaSial, RegistroSial } from './sial.client.js';

export const ESTADO_DE_LISTA: Record<ListaSial, EstadoAlumno> = {
  aspirantes: 'aspirante',
  preinscriptos: 'preinscripto',
  ingresantes: 'ingresante',
};

/**
 * With `periodo`, only that period's records are taken; a record without one is taken as of it.
 * Rows keep their 1-based position in their list either way.
 */
export function filasDeSial(lista: ListaSial, registros: readonly RegistroSial[], periodo?: string): FilaCruda[] {
  const filas: FilaCruda[] = [];
  registros.forEach((r, i) => {
    const suyo = normalizarTexto(r.periodo);
    if (periodo !== undefined && suyo !== null && suyo !== periodo) return;
    filas.push({
      fila: i + 1,
      fuente: lista,
      dni: r.dni,
      nombre: r.nombre,
      apellido: r.apellido,
      emailPersonal: r.email_personal ?? null,
      emailInstitucional: r.email_institucional ?? null,
      carrera: r.carrera,
      estado: estadoDe(lista, r),
      periodo: suyo ?? periodo ?? null,
    });
  });
  return filas;
}

function estadoDe(lista: ListaSial, r: RegistroSial): EstadoAlumno {
  const propio = leerEstado(r.estado);
  return propio !== null && esSalida(propio) ? propio : ESTADO_DE_LISTA[lista];
}
