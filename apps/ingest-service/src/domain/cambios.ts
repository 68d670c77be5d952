// What a row means for the registry: a new student, a known one whose data changed (and which fields),
// or nothing to do.
import type { AlumnoDatos } from '@lucy/contracts';
import type { DatosEntrantes } from './fila.js';

export const CAMPOS_ALUMNO = [
  'nombre',
  'apellido',
  'emailPersonal',
  'emailInstitucional',
  'carrera',
  'estado',
  'periodo',
] as const;
export type CampoAlumno = (typeof CAMPOS_ALUMNO)[number];

export type Resultado =
  | { resultado: 'nuevo'; datos: AlumnoDatos }
  | { resultado: 'actualizado'; datos: AlumnoDatos; cambios: CampoAlumno[] }
  | { resultado: 'sin_cambios'; datos: AlumnoDatos };

/** The registry's student after the row: a field the row does not state keeps its known value. */
export function aplicar(existente: AlumnoDatos | undefined, entrante: DatosEntrantes): AlumnoDatos {
  return {
    ...entrante,
    emailPersonal: entrante.emailPersonal !== undefined ? entrante.emailPersonal : (existente?.emailPersonal ?? null),
    emailInstitucional:
      entrante.emailInstitucional !== undefined ? entrante.emailInstitucional : (existente?.emailInstitucional ?? null),
  };
}

export function camposCambiados(antes: AlumnoDatos, despues: AlumnoDatos): CampoAlumno[] {
  return CAMPOS_ALUMNO.filter((c) => antes[c] !== despues[c]);
}

export function clasificar(existente: AlumnoDatos | undefined, entrante: DatosEntrantes): Resultado {
  const datos = aplicar(existente, entrante);
  if (!existente) return { resultado: 'nuevo', datos };
  const cambios = camposCambiados(existente, datos);
  return cambios.length > 0 ? { resultado: 'actualizado', datos, cambios } : { resultado: 'sin_cambios', datos };
}
