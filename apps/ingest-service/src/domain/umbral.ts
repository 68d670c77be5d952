// The safeguard against a source gone wrong: a SIAL that suddenly lists nobody in a career, or an upload of
// the wrong file, would take hundreds of students as leaving and suspend their accounts overnight. A lote
// whose plan suspends more than a share of the active students, or more than a fixed number of them, does
// not act: it waits, with its plan and this reason, for an operator to approve it or drop it.
import type { Retencion } from '@lucy/contracts';

export interface Umbral {
  /** More than this % of the active students (0–100). */
  porcentaje: number;
  /** More than this many students. */
  cantidad: number;
}

/** Why a plan that suspends `bajas` of `activos` active students must wait for approval, or null when it need not. */
export function retener(bajas: number, activos: number, umbral: Umbral): Retencion | null {
  if (bajas === 0) return null;
  const porcentaje = activos > 0 ? (bajas / activos) * 100 : 100;
  const motivos: string[] = [];
  if (porcentaje > umbral.porcentaje) motivos.push(`más del ${formato(umbral.porcentaje)} % de los activos`);
  if (bajas > umbral.cantidad) motivos.push(`más de ${umbral.cantidad}`);
  if (motivos.length === 0) return null;
  return {
    motivo: `suspendería ${bajas} de ${activos} alumnos activos (${formato(porcentaje)} %): ${motivos.join(' y ')}; espera la aprobación de un operador`,
    bajas,
    activos,
    umbral,
  };
}

const formato = (n: number) => (Math.round(n * 10) / 10).toLocaleString('es-AR');
