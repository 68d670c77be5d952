// What a row means for the registry, given what it knows of the student: a new student, a known one
// whose data changed (and which fields), one who is leaving (the row says baja or egresado), one who
// had left and is back, someone leaving whom the registry never had, or nothing to do.
import { esSalida, mismosCursos, type AlumnoDatos } from '@lucy/contracts';
import type { MapaClases } from '../oneroster/cursos.js';
import { clasesTras, cursosDe, type ClaseFuente } from './clases.js';
import type { DatosEntrantes } from './fila.js';

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
  /** The classes the source stated (domain/clases.ts); null or absent: none kept. */
  clases?: readonly ClaseFuente[] | null;
}

/** Every outcome carries the student after the row and, when any are kept, their classes after it. */
export type Resultado = { clases?: ClaseFuente[] } & (
  | { resultado: 'nuevo'; datos: AlumnoDatos }
  | { resultado: 'actualizado'; datos: AlumnoDatos; cambios: CampoAlumno[]; anterior: AlumnoDatos }
  | { resultado: 'sin_cambios'; datos: AlumnoDatos }
  | { resultado: 'baja'; datos: AlumnoDatos; motivo: 'baja' | 'egresado' }
  | { resultado: 'retorno'; datos: AlumnoDatos; cambios: CampoAlumno[] }
  | { resultado: 'baja_desconocida'; datos: AlumnoDatos; motivo: 'baja' | 'egresado' }
);

/**
 * The registry's student after the row: a field the row does not state keeps its known value. Their
 * courses of the source are derived from their classes through `mapa` (cursosOneRoster) whenever the row
 * states classes, so a changed map reaches every student a row names again.
 */
export function aplicar(
  existente: Pick<Conocido, 'datos' | 'clases'> | undefined,
  entrante: DatosEntrantes,
  mapa: MapaClases = {},
): { datos: AlumnoDatos; clases?: ClaseFuente[] } {
  const { clasesFuente: _, ...datos } = entrante;
  const { cursos: cursosFuente, clases } = fuenteTras(existente, entrante, mapa);
  return {
    datos: {
      ...datos,
      emailPersonal:
        entrante.emailPersonal !== undefined ? entrante.emailPersonal : (existente?.datos.emailPersonal ?? null),
      emailInstitucional:
        entrante.emailInstitucional !== undefined
          ? entrante.emailInstitucional
          : (existente?.datos.emailInstitucional ?? null),
      ...(cursosFuente ? { cursosFuente } : {}),
    },
    ...(clases ? { clases } : {}),
  };
}

/**
 * The classes and courses after the row. A row that states no classes keeps both as known. A student with
 * courses but no classes kept was registered before the registry kept them: a delta is applied to their
 * courses, as it was then, until a whole list (a bulk zip, a pull) states their classes.
 */
function fuenteTras(
  existente: Pick<Conocido, 'datos' | 'clases'> | undefined,
  entrante: DatosEntrantes,
  mapa: MapaClases,
): { cursos?: string[]; clases?: ClaseFuente[] } {
  const conocidas = existente?.clases ?? undefined;
  const conocidos = existente?.datos.cursosFuente;
  const e = entrante.clasesFuente;
  if (!e) return { cursos: conocidos && [...conocidos], clases: conocidas && [...conocidas] };
  if ('agregar' in e && !conocidas && conocidos)
    return { cursos: cursosTras(conocidos, { agregar: cursosDe(e.agregar, mapa), quitar: cursosDe(e.quitar, mapa) }) };
  const clases = clasesTras(conocidas, e);
  return { clases, cursos: cursosDe(clases, mapa) };
}

/**
 * Courses after a change stated as courses: the known ones with what it adds and without what it removes
 * (a course both added and removed stays). Sorted and without repeats, so two lists that say the same are
 * equal.
 */
export function cursosTras(
  conocidos: readonly string[],
  cambio: { agregar: readonly string[]; quitar: readonly string[] },
) {
  const cursos = [...conocidos, ...cambio.agregar].filter(
    (c) => !cambio.quitar.includes(c) || cambio.agregar.includes(c),
  );
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
export function clasificar(
  existente: Conocido | undefined,
  entrante: DatosEntrantes,
  mapa: MapaClases = {},
): Resultado {
  const { datos, clases } = aplicar(existente, entrante, mapa);
  const conClases = (r: Resultado): Resultado => (clases ? { ...r, clases } : r);
  const sale = esSalida(datos.estado);
  const motivo = datos.estado as 'baja' | 'egresado';
  if (!existente)
    return conClases(sale ? { resultado: 'baja_desconocida', datos, motivo } : { resultado: 'nuevo', datos });
  const cambios = camposCambiados(existente.datos, datos);
  if (existente.deBaja && sale) {
    const { clases: comoSalio } = existente;
    return { resultado: 'sin_cambios', datos: existente.datos, ...(comoSalio ? { clases: [...comoSalio] } : {}) };
  }
  if (existente.deBaja) return conClases({ resultado: 'retorno', datos, cambios });
  if (sale) return conClases({ resultado: 'baja', datos, motivo });
  return conClases(
    cambios.length > 0
      ? { resultado: 'actualizado', datos, cambios, anterior: existente.datos }
      : { resultado: 'sin_cambios', datos },
  );
}
