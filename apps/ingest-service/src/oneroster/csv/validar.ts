// Every row of a OneRoster 1.1 CSV zip checked against the specification (IMS OneRoster v1.1 CSV Tables):
// the values its table requires, the status and dateLastModified its processing mode asks for ("Bulk and
// delta processing"), each column's format (reglas.ts), sourcedIds unique in their file, and references
// that must resolve. A reference is checked only against a file sent in bulk: that file is the whole set,
// so a GUID missing from it is an error; a file sent as delta, or absent, holds only what changed, and the
// record referred to may be one the sender sent before.
// Each reason names its field; the file and the line are the row's (FilaInvalida.fuente, .fila).
import {
  COLUMNAS_ONEROSTER,
  type ArchivoOneRoster,
  type FilaInvalida,
  type FilaOneRoster,
  type RegistrarLoteOneRoster,
} from '@lucy/contracts';
import { ESTADOS_DE_REGISTRO, motivoDeFormato, REGLAS, separarLista } from './reglas.js';

export type ArchivosOneRoster = RegistrarLoteOneRoster['archivos'];

/** The valid rows of each file by sourcedId, and a FilaInvalida for every other row. */
export interface Validado {
  registros: Record<ArchivoOneRoster, ReadonlyMap<string, FilaOneRoster>>;
  errores: FilaInvalida[];
  modos: Partial<Record<ArchivoOneRoster, 'bulk' | 'delta'>>;
}

export const fuenteDe = (archivo: ArchivoOneRoster) => `${archivo}.csv`;

export function validar(archivos: ArchivosOneRoster): Validado {
  const nombres = Object.keys(COLUMNAS_ONEROSTER) as ArchivoOneRoster[];
  const motivos = new Map<FilaOneRoster, string[]>();
  const ids = {} as Record<ArchivoOneRoster, Set<string>>;

  for (const archivo of nombres) {
    ids[archivo] = new Set();
    const datos = archivos[archivo];
    if (!datos) continue;
    for (const fila of datos.filas) {
      const m = motivosPropios(archivo, datos.modo, fila);
      const id = fila.valores.sourcedId?.trim();
      if (id && ids[archivo].has(id)) m.push(`sourcedId: "${id}" se repite en ${fuenteDe(archivo)}`);
      if (id) ids[archivo].add(id);
      motivos.set(fila, m);
    }
  }

  for (const archivo of nombres) {
    for (const fila of archivos[archivo]?.filas ?? []) {
      for (const [columna, regla] of Object.entries(REGLAS[archivo])) {
        const valor = fila.valores[columna]?.trim();
        if (regla.tipo !== 'ref' || !valor || archivos[regla.a]?.modo !== 'bulk') continue;
        const faltan = (regla.lista ? separarLista(valor) : [valor]).filter((v) => !ids[regla.a].has(v));
        if (faltan.length)
          motivos
            .get(fila)!
            .push(`${columna}: ${faltan.map((v) => `"${v}"`).join(', ')} no está en ${fuenteDe(regla.a)}`);
      }
    }
  }

  const registros = {} as Record<ArchivoOneRoster, Map<string, FilaOneRoster>>;
  const errores: FilaInvalida[] = [];
  const modos: Validado['modos'] = {};
  for (const archivo of nombres) {
    registros[archivo] = new Map();
    const datos = archivos[archivo];
    if (!datos) continue;
    modos[archivo] = datos.modo;
    for (const fila of datos.filas) {
      const m = motivos.get(fila)!;
      if (m.length === 0) registros[archivo].set(fila.valores.sourcedId!.trim(), fila);
      else errores.push({ fila: fila.linea, fuente: fuenteDe(archivo), dni: dniDe(archivo, fila), motivos: m });
    }
  }
  return { registros, errores, modos };
}

/** What the row itself breaks: required values, the mode's status and date, each column's format. */
function motivosPropios(archivo: ArchivoOneRoster, modo: 'bulk' | 'delta', fila: FilaOneRoster): string[] {
  const motivos: string[] = [];
  const valor = (c: string) => fila.valores[c]?.trim() ?? '';
  for (const c of COLUMNAS_ONEROSTER[archivo].requeridas)
    if (!valor(c)) motivos.push(`${c}: falta el valor (la especificación lo requiere)`);

  const status = valor('status');
  if (modo === 'delta') {
    // In delta mode every row says what it is: new or changed (active), or leaving (tobedeleted).
    if (!status) motivos.push('status: falta el valor (en modo delta es obligatorio)');
    if (!valor('dateLastModified')) motivos.push('dateLastModified: falta el valor (en modo delta es obligatorio)');
  }
  if (status && !(ESTADOS_DE_REGISTRO as readonly string[]).includes(status))
    motivos.push(`status: "${status}" no es uno de ${ESTADOS_DE_REGISTRO.join(', ')}`);
  else if (status === 'tobedeleted' && modo === 'bulk')
    motivos.push('status: tobedeleted solo vale en un archivo en modo delta (en bulk, quien no está no sigue)');
  const fecha = valor('dateLastModified');
  const mal = fecha ? motivoDeFormato({ tipo: 'fechaHora' }, fecha) : null;
  if (mal) motivos.push(`dateLastModified: ${mal}`);

  for (const [columna, regla] of Object.entries(REGLAS[archivo])) {
    const v = valor(columna);
    const motivo = v ? motivoDeFormato(regla, v) : null;
    if (motivo) motivos.push(`${columna}: ${motivo}`);
  }
  return motivos;
}

/** A user's identifier is their DNI (mapeo.ts): the operator finds the row by it. */
function dniDe(archivo: ArchivoOneRoster, fila: FilaOneRoster): string | null {
  return archivo === 'users' ? fila.valores.identifier?.trim() || null : null;
}
