// An uploaded row (as the gateway hands it over: one object per row, columns already mapped) → a row
// for the registry. Column names are matched loosely (case, accents, `_`/`-`/space, camelCase), so
// `email_personal`, `emailPersonal` and `Email personal` are the same column.
import type { FilaAlumno } from '@lucy/contracts';
import type { FilaCruda } from '../domain/fila.js';

// An upload of rows states no courses of its own: only the configuration's for estado/periodo count.
type Campo = Exclude<keyof FilaCruda, 'fila' | 'fuente' | 'clasesFuente'>;

const COLUMNAS: Record<Campo, string[]> = {
  dni: ['dni', 'documento', 'nrodocumento'],
  nombre: ['nombre', 'nombres'],
  apellido: ['apellido', 'apellidos'],
  emailPersonal: ['emailpersonal', 'email', 'correo', 'correopersonal'],
  emailInstitucional: ['emailinstitucional', 'correoinstitucional'],
  carrera: ['carrera'],
  estado: ['estado'],
  periodo: ['periodo'],
};

const clave = (k: string) =>
  k
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** Row numbers are 1-based positions among the uploaded rows. A column the file lacks stays `undefined`. */
export function filasDeUpload(fuente: string, filas: readonly FilaAlumno[]): FilaCruda[] {
  return filas.map((f, i) => {
    const porClave = new Map(Object.entries(f).map(([k, v]) => [clave(k), v]));
    const valor = (campo: Campo) => COLUMNAS[campo].map((c) => porClave.get(c)).find((v) => v !== undefined);
    return {
      fila: i + 1,
      fuente,
      dni: valor('dni'),
      nombre: valor('nombre'),
      apellido: valor('apellido'),
      emailPersonal: valor('emailPersonal'),
      emailInstitucional: valor('emailInstitucional'),
      carrera: valor('carrera'),
      estado: valor('estado'),
      periodo: valor('periodo'),
    };
  });
}
