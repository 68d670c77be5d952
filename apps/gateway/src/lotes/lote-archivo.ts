// An uploaded file → the rows RegistrarLote carries. Only the shape is checked here (a readable CSV with
// a header, or a JSON array of objects; a mapping naming columns that exist; row and cell limits); whether
// each row is a valid student is ingest-service's to say, row by row, in LoteIngestado.invalidos.
import { isUtf8 } from 'node:buffer';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { FilaAlumno } from '@lucy/contracts';
import { invalidTexts, jsonDepth, MAX_JSON_DEPTH } from '@lucy/platform';
import { UserText } from '../api/schemas.js';

/** The fields ingest-service reads from a row (it also accepts common aliases, e.g. Documento for dni). */
export const CAMPOS = [
  'dni',
  'nombre',
  'apellido',
  'emailPersonal',
  'emailInstitucional',
  'carrera',
  'estado',
  'periodo',
] as const;

/** `{"dni":"Documento","nombre":"Nombres"}`: field → the file's column header. */
export const Mapeo = z
  .partialRecord(z.enum(CAMPOS, { error: `los campos son ${CAMPOS.join(', ')}` }), UserText.min(1).max(200))
  .refine((m) => new Set(Object.values(m)).size === Object.values(m).length, {
    error: 'dos campos no pueden leer la misma columna',
  });
export type Mapeo = z.infer<typeof Mapeo>;

const MAX_CELDA = 1000;
const MAX_COLUMNAS = 100;

export class ArchivoInvalido extends Error {}

export interface Limites {
  maxFilas: number;
}

const celda = z.union(
  [UserText.max(MAX_CELDA, { error: `una celda tiene más de ${MAX_CELDA} caracteres` }), z.number(), z.null()],
  {
    error: 'cada valor debe ser texto, número o null',
  },
);
const FilasJson = z.array(
  z.record(z.string().max(200), celda, { error: 'cada fila debe ser un objeto {columna: valor}' }),
  { error: 'el JSON debe ser un arreglo de filas' },
);

/** The delimiter of the header line: the most frequent of , ; and tab outside quotes (Spanish Excel writes ;). */
export function delimitadorDe(texto: string): string {
  const primera = texto.slice(0, texto.search(/\r?\n|$/)).replace(/"[^"]*"/g, '');
  const cuenta = (c: string) => primera.split(c).length - 1;
  return [',', ';', '\t'].reduce((best, c) => (cuenta(c) > cuenta(best) ? c : best), ',');
}

export function leerCsv(contenido: Buffer, limites: Limites): Record<string, string>[] {
  if (!isUtf8(contenido)) throw new ArchivoInvalido('el archivo no es texto UTF-8: exportalo como CSV UTF-8');
  const texto = contenido.toString('utf8');
  if (texto.includes('\u0000'))
    throw new ArchivoInvalido('el archivo no es texto (¿un Excel .xlsx?): exportalo como CSV UTF-8');
  let filas: Record<string, string>[];
  try {
    filas = parseCsv(texto, {
      columns: (header: string[]) => {
        const nombres = header.map((h) => h.trim());
        const vacia = nombres.findIndex((h) => !h);
        if (vacia >= 0) throw new ArchivoInvalido(`la columna ${vacia + 1} del encabezado no tiene nombre`);
        const repetida = nombres.find((h, i) => nombres.indexOf(h) !== i);
        if (repetida) throw new ArchivoInvalido(`la columna "${repetida}" aparece dos veces en el encabezado`);
        if (nombres.length > MAX_COLUMNAS)
          throw new ArchivoInvalido(`el encabezado tiene más de ${MAX_COLUMNAS} columnas`);
        return nombres;
      },
      bom: true,
      delimiter: delimitadorDe(texto),
      skip_empty_lines: true,
      trim: true,
      to_line: limites.maxFilas + 2, // the header, the allowed rows, and one more to tell it is too long
    });
  } catch (err) {
    if (err instanceof ArchivoInvalido) throw err;
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH')
      throw new ArchivoInvalido(`CSV: la línea ${e.lines} no tiene la misma cantidad de columnas que el encabezado`);
    if (e.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new ArchivoInvalido(`CSV: una comilla abierta no se cierra (desde la línea ${e.lines ?? '?'})`);
    throw new ArchivoInvalido(`CSV ilegible${e.lines ? ` en la línea ${e.lines}` : ''}: ${e.message}`);
  }
  const larga = filas.findIndex((f) => Object.values(f).some((v) => v.length > MAX_CELDA));
  if (larga >= 0) throw new ArchivoInvalido(`fila ${larga + 1}: una celda tiene más de ${MAX_CELDA} caracteres`);
  return filas;
}

export function leerJson(contenido: Buffer | unknown): FilaAlumno[] {
  let json: unknown = contenido;
  if (Buffer.isBuffer(contenido)) {
    // The limits a JSON body has (libs/platform), for a JSON file: UTF-8, bounded nesting, no NUL or lone surrogate.
    if (!isUtf8(contenido)) throw new ArchivoInvalido('el archivo no es texto UTF-8');
    if (jsonDepth(contenido) > MAX_JSON_DEPTH)
      throw new ArchivoInvalido(`el JSON anida más de ${MAX_JSON_DEPTH} niveles`);
    try {
      json = JSON.parse(contenido.toString('utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new ArchivoInvalido(`el archivo no es JSON válido: ${(err as Error).message}`);
    }
    const [texto] = invalidTexts(json);
    if (texto) throw new ArchivoInvalido(`${texto.campo === 'cuerpo' ? 'el archivo' : texto.campo}: ${texto.mensaje}`);
  }
  const r = FilasJson.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const fila = typeof i.path[0] === 'number' ? `fila ${i.path[0] + 1}` : 'archivo';
    throw new ArchivoInvalido(`${fila}${i.path.length > 1 ? `, columna "${String(i.path[1])}"` : ''}: ${i.message}`);
  }
  return r.data;
}

/** Renames the mapped columns to their field names; columns not mapped pass through as they are. */
export function aplicarMapeo(filas: FilaAlumno[], mapeo: Mapeo): FilaAlumno[] {
  const pares = Object.entries(mapeo) as [string, string][];
  if (!pares.length || !filas.length) return filas;
  const columnas = new Set(filas.flatMap((f) => Object.keys(f)));
  const faltan = pares.filter(([, col]) => !columnas.has(col));
  if (faltan.length) {
    throw new ArchivoInvalido(
      `el mapeo nombra columnas que el archivo no tiene: ${faltan.map(([c, col]) => `${c}→"${col}"`).join(', ')} (columnas: ${[...columnas].slice(0, 30).join(', ')})`,
    );
  }
  const mapeadas = new Set(pares.map(([, col]) => col));
  return filas.map((f) => {
    const out: FilaAlumno = {};
    for (const [k, v] of Object.entries(f)) if (!mapeadas.has(k)) out[k] = v;
    for (const [campo, col] of pares) out[campo] = f[col] ?? null;
    return out;
  });
}

/** The rows of an uploaded file, by its kind, mapped, within the limits. */
export function filasDelArchivo(
  archivo: { nombre: string; tipo: string; contenido: Buffer },
  mapeo: Mapeo,
  limites: Limites,
): FilaAlumno[] {
  const json = /\.json$/i.test(archivo.nombre) || /json/.test(archivo.tipo);
  const filas = json ? leerJson(archivo.contenido) : leerCsv(archivo.contenido, limites);
  return validarCantidad(aplicarMapeo(filas, mapeo), limites);
}

export function validarCantidad(filas: FilaAlumno[], limites: Limites): FilaAlumno[] {
  if (filas.length === 0) throw new ArchivoInvalido('el archivo no tiene filas de datos (¿solo el encabezado?)');
  if (filas.length > limites.maxFilas)
    throw new ArchivoInvalido(`el archivo tiene más de ${limites.maxFilas} filas: dividilo en varios lotes`);
  return filas;
}
