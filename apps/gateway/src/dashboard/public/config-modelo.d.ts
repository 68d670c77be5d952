// Types of config-modelo.js, for its unit test (the page's modules are plain JS, served as they are).
export const MARCAS_UPN: string[];
export const VARIABLES_EMAIL: string[];
export const VARIABLES_ALERTA: string[];
export const MAX_DESTINATARIOS: number;
export const ESTADOS: string[];
export const FUENTES: string[];
export const ALUMNO_EJEMPLO: { dni: string; nombre: string; apellido: string };
export const NO_SE_SUELTAN: string[];
export function upnDeEjemplo(
  patron: string,
  dominio: string,
  alumno?: { dni: string; nombre: string; apellido: string },
): { upn?: string; problema?: string };
export interface FilaCursos {
  estado: string;
  periodo: string;
  cursos: string;
}
export function cursosAFilas(cursos: Record<string, Record<string, string[]>> | undefined): FilaCursos[];
export function filasACursos(filas: FilaCursos[]): {
  cursos: Record<string, Record<string, string[]>>;
  problemas: { fila: number; mensaje: string }[];
};
export function clasesALineas(mapa: Record<string, string> | undefined): string;
export function lineasAClases(texto: string): { mapa: Record<string, string>; problemas: string[] };
export function leerDestinatarios(texto: string): { destinatarios: string[]; problemas: string[] };
export function ubicarProblemas(
  problemas: { campo: string; mensaje: string }[],
  campos: string[],
): { campo: string | null; ruta: string; mensaje: string }[];
export function canonico(v: unknown): string;
export function cambiosEntre(antes: Record<string, unknown>, despues: Record<string, unknown>): string[];
export function fusionar<T extends Record<string, unknown>>(
  base: T,
  editada: T,
  nueva: T,
): { valores: T; conservadas: string[]; enConflicto: string[] };
export interface ServicioAplicando {
  servicio: string;
  version: number | null;
  alDia: boolean;
  rechazadas: { clave: string; motivo: string }[];
  error: string | null;
}
export function estadoAplicacion(
  aplicacion: unknown,
  version: number,
): { servicios: ServicioAplicando[]; todos: boolean } | null;
export function resumenVersion(v: { cambios?: string[]; fijadasNuevas?: string[]; soltadas?: string[] }): string;
