// What a row means for the registry, given what it knows of the student: a new student, a known one
// whose data changed (and which fields), one who is leaving (the row says baja or egresado), one who
// had left and is back, someone leaving whom the registry never had, or nothing to do.
import { esSalida, mismosCursos, type AlumnoDatos } from '@lucy/contracts';
import type { CursosEntrantes, DatosEntrantes } from './fila.js';

export const CAMPOS_ALUMNO = [
  'nombre',
  'apellido',
  'emailPersonal',
  'emailInstitucional',
  'carrera',
  'estado',
  'periodo',
  'cursosFuente',
] as const;
export type CampoAlumno = (typeof CAMPOS_ALUMNO)[number];

/** A student of the registry as the comparison needs them. */
export interface Conocido {
  datos: AlumnoDatos;
  /** The registry holds them as leaving (marked so, or absent from SIAL): their accounts are on their way out. */
  deBaja: boolean;
}

export type Resultado =
  | { resultado: 'nuevo'; datos: AlumnoDatos }
  | { resultado: 'actualizado'; datos: AlumnoDatos; cambios: CampoAlumno[]; anterior: AlumnoDatos }
  | { resultado: 'sin_cambios'; datos: AlumnoDatos }
  | { resultado: 'baja'; datos: AlumnoDatos; motivo: 'baja' | 'egresado' }
  | { resultado: 'retorno'; datos: AlumnoDatos; cambios: CampoAlumno[] }
  | { resultado: 'baja_desconocida'; datos: AlumnoDatos; motivo: 'baja' | 'egresado' };

/** The registry's student after the row: a field the row does not state keeps its known value. */
export function aplicar(existente: AlumnoDatos | undefined, entrante: DatosEntrantes): AlumnoDatos {
  const { cursosFuente: _, ...datos } = entrante;
  const cursosFuente = cursosTras(existente?.cursosFuente, entrante.cursosFuente);
  return {
    ...datos,
    emailPersonal: entrante.emailPersonal !== undefined ? entrante.emailPersonal : (existente?.emailPersonal ?? null),
    emailInstitucional:
      entrante.emailInstitucional !== undefined ? entrante.emailInstitucional : (existente?.emailInstitucional ?? null),
    ...(cursosFuente ? { cursosFuente } : {}),
  };
}

/**
 * The source's courses after the row: its whole list, or the known ones with what it adds and without what
 * it removes; a row that states none keeps the known ones. Sorted and without repeats, so two lists that say
 * the same are equal.
 */
export function cursosTras(conocidos: readonly string[] | undefined, entrantes: CursosEntrantes | undefined) {
  if (!entrantes) return conocidos ? [...conocidos] : undefined;
  const cursos =
    'agregar' in entrantes
      ? [...(conocidos ?? []), ...entrantes.agregar].filter(
          (c) => !entrantes.quitar.includes(c) || entrantes.agregar.includes(c),
        )
      : entrantes;
  return [...new Set(cursos)].sort();
}

/** The fields that differ; the source's courses as a set (absent is none). */
export function camposCambiados(antes: AlumnoDatos, despues: AlumnoDatos): CampoAlumno[] {
  return CAMPOS_ALUMNO.filter((c) =>
    c === 'cursosFuente' ? !mismosCursos(antes.cursosFuente, despues.cursosFuente) : antes[c] !== despues[c],
  );
}

/**
 * - Unknown: new, unless the row marks them leaving — nobody is onboarded only to be suspended.
 * - Known and active: leaving when the row says so (whatever else changed, carried in the data),
 *   else updated or unchanged.
 * - Known and leaving: back when the row lists them as active (the data changes ride along); still
 *   leaving is nothing to do, the registry keeps them as they left.
 */
export function clasificar(existente: Conocido | undefined, entrante: DatosEntrantes): Resultado {
  const datos = aplicar(existente?.datos, entrante);
  const sale = esSalida(datos.estado);
  const motivo = datos.estado as 'baja' | 'egresado';
  if (!existente) return sale ? { resultado: 'baja_desconocida', datos, motivo } : { resultado: 'nuevo', datos };
  const cambios = camposCambiados(existente.datos, datos);
  if (existente.deBaja)
    return sale ? { resultado: 'sin_cambios', datos: existente.datos } : { resultado: 'retorno', datos, cambios };
  if (sale) return { resultado: 'baja', datos, motivo };
  return cambios.length > 0
    ? { resultado: 'actualizado', datos, cambios, anterior: existente.datos }
    : { resultado: 'sin_cambios', datos };
}
