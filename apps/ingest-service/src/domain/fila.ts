// One row from a source (a SIAL list or an upload), checked field by field. Every reason a row is
// unusable is reported, not just the first, so an operator fixes a file in one pass.
import { ESTADOS_ALUMNO, type AlumnoDatos, type EstadoAlumno } from '@lucy/contracts';
import type { ClasesEntrantes } from './clases.js';
import { leerDni, type Dni } from './dni.js';
import { leerEstado, motivoEmail, normalizarEmail, normalizarTexto } from './normalizar.js';

/** A row as its source gives it: `undefined` means the source has no such column. */
export interface FilaCruda {
  /** 1-based position in its source. */
  fila: number;
  /** The SIAL list or the uploaded file the row came from. */
  fuente: string;
  dni: unknown;
  nombre: unknown;
  apellido: unknown;
  emailPersonal?: unknown;
  emailInstitucional?: unknown;
  carrera: unknown;
  estado: unknown;
  periodo: unknown;
  /**
   * The classes the source states (a OneRoster roster), whose Moodle courses are the student's cursosFuente
   * (domain/clases.ts); absent: it states none.
   */
  clasesFuente?: ClasesEntrantes;
}

/**
 * The student as the row states it. An email is `undefined` when the source has no column for it: the
 * registry then keeps what it knows instead of erasing it.
 */
export type DatosEntrantes = Omit<AlumnoDatos, 'emailPersonal' | 'emailInstitucional' | 'cursosFuente'> & {
  emailPersonal?: string | null;
  emailInstitucional?: string | null;
  clasesFuente?: ClasesEntrantes;
};

export interface FilaLeida {
  fila: number;
  fuente: string;
  /** The normalized DNI, or as typed when invalid (so the operator can find the row), or null. */
  dni: Dni | null;
  dniValido: boolean;
  /** Normalized values, also for an invalid row (to compare rows sharing a DNI). */
  valores: Record<Exclude<keyof AlumnoDatos, 'cursosFuente'>, string | null | undefined>;
  clasesFuente?: ClasesEntrantes;
  motivos: string[];
}

const LARGO_MAXIMO: Partial<Record<keyof AlumnoDatos, number>> = {
  nombre: 200,
  apellido: 200,
  carrera: 200,
  periodo: 20,
};

export function leerFila(cruda: FilaCruda): FilaLeida {
  const motivos: string[] = [];
  const dni = leerDni(cruda.dni);
  if (!dni.ok) motivos.push(dni.motivo);

  const requerido = (campo: 'nombre' | 'apellido' | 'carrera' | 'periodo', falta: string) => {
    const v = normalizarTexto(cruda[campo]);
    if (v === null) motivos.push(falta);
    else if (v.length > LARGO_MAXIMO[campo]!)
      motivos.push(`${campo} demasiado largo (máximo ${LARGO_MAXIMO[campo]} caracteres)`);
    return v;
  };
  const nombre = requerido('nombre', 'falta el nombre');
  const apellido = requerido('apellido', 'falta el apellido');
  const carrera = requerido('carrera', 'falta la carrera');
  const periodo = requerido('periodo', 'falta el periodo');

  const email = (valor: unknown, etiqueta: string) => {
    if (valor === undefined) return undefined;
    const v = normalizarEmail(valor);
    const motivo = v === null ? null : motivoEmail(v);
    if (motivo) motivos.push(`email ${etiqueta} inválido: ${motivo}`);
    return v;
  };
  const emailPersonal = email(cruda.emailPersonal, 'personal');
  const emailInstitucional = email(cruda.emailInstitucional, 'institucional');

  let estado: EstadoAlumno | string | null = leerEstado(cruda.estado);
  if (estado === null) {
    const tal = normalizarTexto(cruda.estado);
    motivos.push(tal === null ? 'falta el estado' : `estado desconocido: "${tal}" (${ESTADOS_ALUMNO.join(', ')})`);
    estado = tal;
  }

  return {
    fila: cruda.fila,
    fuente: cruda.fuente,
    dni: dni.ok ? dni.dni : dni.tal,
    dniValido: dni.ok,
    valores: {
      dni: dni.ok ? dni.dni : null,
      nombre,
      apellido,
      emailPersonal,
      emailInstitucional,
      carrera,
      estado,
      periodo,
    },
    ...(cruda.clasesFuente ? { clasesFuente: cruda.clasesFuente } : {}),
    motivos,
  };
}

/** The student a valid row states (call only when `motivos` is empty). */
export function datosDe(f: FilaLeida): DatosEntrantes {
  const v = f.valores;
  return {
    dni: v.dni!,
    nombre: v.nombre!,
    apellido: v.apellido!,
    carrera: v.carrera!,
    estado: v.estado as EstadoAlumno,
    periodo: v.periodo!,
    ...(v.emailPersonal !== undefined ? { emailPersonal: v.emailPersonal } : {}),
    ...(v.emailInstitucional !== undefined ? { emailInstitucional: v.emailInstitucional } : {}),
    ...(f.clasesFuente ? { clasesFuente: f.clasesFuente } : {}),
  };
}
