// An uploaded OneRoster 1.1 CSV zip → what RegistrarLoteOneRoster carries. Here only what makes the zip
// unusable as a whole is checked, and refused with its reason (4xx, nothing recorded): a zip that cannot be
// read, a manifest that is missing or does not say 1.1 or a valid mode for the files Lucy reads (IMS
// OneRoster v1.1 CSV Tables, "manifest.csv"), a file declared but missing, a CSV that cannot be parsed or
// whose header lacks a column the table requires. Whether each row is valid is ingest-service's to say, with
// the file, line and field. Files Lucy does not read are noted and ignored.
import { isUtf8 } from 'node:buffer';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  ARCHIVOS_DEL_MANIFIESTO,
  ARCHIVOS_ONEROSTER,
  COLUMNAS_ONEROSTER,
  MODOS_ONEROSTER,
  type ArchivoOneRoster,
  type FilaOneRoster,
  type ModoOneRoster,
  type RegistrarLoteOneRoster,
} from '@lucy/contracts';
import { ArchivoInvalido, type Limites } from './lote-archivo.js';
import { leerZip, type LimitesZip } from './oneroster-zip.js';

export interface OneRosterLeido {
  archivos: RegistrarLoteOneRoster['archivos'];
  /** The students' rows in users.csv: the lote's size as the operator counts it. */
  estudiantes: number;
  /** Files of the zip Lucy does not read, each with why. */
  ignorados: string[];
}

const MANIFIESTO = 'manifest.csv';
/** Never carried past the gateway (CSV Tables users.csv has it; Lucy makes its own credentials). */
const COLUMNAS_QUE_NO_VIAJAN = new Set(['password']);
/** Each data file: at most this many rows (the command's bound). */
const MAX_FILAS_ARCHIVO = 200_000;

export const esZip = (archivo: { nombre: string; tipo: string }) =>
  /\.zip$/i.test(archivo.nombre) || /(^|\/)(x-)?zip(-compressed)?$/.test(archivo.tipo);

export async function leerOneRoster(contenido: Buffer, limites: Limites & LimitesZip): Promise<OneRosterLeido> {
  const leibles = new Set([MANIFIESTO, ...ARCHIVOS_ONEROSTER.map((a) => `${a}.csv`)]);
  const zip = await leerZip(contenido, (n) => leibles.has(n), limites);
  const manifiesto = zip.archivos.get(MANIFIESTO);
  if (!manifiesto) throw new ArchivoInvalido('el zip no tiene manifest.csv en su raíz: no es un paquete OneRoster 1.1');
  const modos = leerManifiesto(manifiesto);

  const ignorados = zip.otros.map((n) => `${n}: Lucy no lo lee`);
  const archivos: RegistrarLoteOneRoster['archivos'] = {};
  for (const archivo of ARCHIVOS_ONEROSTER) {
    const nombre = `${archivo}.csv`;
    const bytes = zip.archivos.get(nombre);
    const modo = modos[archivo];
    if (modo === 'absent') {
      if (bytes) ignorados.push(`${nombre}: el manifiesto lo declara absent`);
      continue;
    }
    if (!bytes)
      throw new ArchivoInvalido(`manifest.csv declara file.${archivo} = ${modo} pero el zip no tiene ${nombre}`);
    archivos[archivo] = { modo, filas: leerTabla(archivo, bytes) };
  }
  if (!archivos.users)
    throw new ArchivoInvalido('manifest.csv declara file.users = absent: el paquete no trae alumnos');
  const estudiantes = archivos.users.filas.filter((f) => f.valores.role?.trim() === 'student').length;
  if (estudiantes === 0) throw new ArchivoInvalido('users.csv no tiene ningún usuario con role = student');
  if (estudiantes > limites.maxFilas)
    throw new ArchivoInvalido(`users.csv tiene más de ${limites.maxFilas} alumnos: dividilo en varios lotes`);
  return { archivos, estudiantes, ignorados };
}

/** CSV Tables, "manifest.csv": propertyName,value; manifest.version 1.0, oneroster.version 1.1, file.* modes. */
function leerManifiesto(bytes: Buffer): Record<ArchivoOneRoster, ModoOneRoster> {
  const filas = csv(MANIFIESTO, bytes, (encabezado) => {
    if (!encabezado.includes('propertyName') || !encabezado.includes('value'))
      throw new ArchivoInvalido('manifest.csv: el encabezado debe ser propertyName,value');
  });
  const props = new Map(filas.map(({ record }) => [record.propertyName ?? '', record.value ?? '']));
  if (props.get('manifest.version') !== '1.0')
    throw new ArchivoInvalido(
      `manifest.csv: manifest.version debe ser 1.0 (dice "${props.get('manifest.version') ?? ''}")`,
    );
  if (props.get('oneroster.version') !== '1.1')
    throw new ArchivoInvalido(
      `manifest.csv: oneroster.version debe ser 1.1 (dice "${props.get('oneroster.version') ?? ''}"): Lucy lee OneRoster 1.1`,
    );
  const modos = {} as Record<ArchivoOneRoster, ModoOneRoster>;
  for (const archivo of ARCHIVOS_DEL_MANIFIESTO) {
    const modo = props.get(`file.${archivo}`);
    const leido = (ARCHIVOS_ONEROSTER as readonly string[]).includes(archivo);
    if (modo === undefined && !leido) continue;
    if (!(MODOS_ONEROSTER as readonly (string | undefined)[]).includes(modo))
      throw new ArchivoInvalido(
        `manifest.csv: file.${archivo} debe ser ${MODOS_ONEROSTER.join(', ')} (dice "${modo ?? 'nada'}")`,
      );
    if (leido) modos[archivo as ArchivoOneRoster] = modo as ModoOneRoster;
  }
  return modos;
}

/** A data file's rows with their line numbers; its header must have every column its table requires. */
function leerTabla(archivo: ArchivoOneRoster, bytes: Buffer): FilaOneRoster[] {
  const nombre = `${archivo}.csv`;
  const filas = csv(nombre, bytes, (encabezado) => {
    const { requeridas } = COLUMNAS_ONEROSTER[archivo];
    const faltan = [...requeridas, 'status', 'dateLastModified'].filter((c) => !encabezado.includes(c));
    if (faltan.length)
      throw new ArchivoInvalido(`${nombre}: al encabezado le faltan las columnas ${faltan.join(', ')}`);
  });
  if (filas.length > MAX_FILAS_ARCHIVO)
    throw new ArchivoInvalido(`${nombre} tiene más de ${MAX_FILAS_ARCHIVO} filas: dividilo en varios lotes`);
  return filas.map(({ record, info }) => ({
    linea: info.lines,
    valores: Object.fromEntries(Object.entries(record).filter(([c]) => !COLUMNAS_QUE_NO_VIAJAN.has(c))),
  }));
}

type Registro = { record: Record<string, string>; info: { lines: number } };

function csv(nombre: string, bytes: Buffer, alEncabezado?: (columnas: string[]) => void): Registro[] {
  if (!isUtf8(bytes)) throw new ArchivoInvalido(`${nombre} no es texto UTF-8`);
  try {
    return parseCsv(bytes.toString('utf8'), {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      columns: (header: string[]) => {
        const columnas = header.map((h) => h.trim());
        const repetida = columnas.find((c, i) => columnas.indexOf(c) !== i);
        if (repetida)
          throw new ArchivoInvalido(`${nombre}: la columna "${repetida}" aparece dos veces en el encabezado`);
        alEncabezado?.(columnas);
        return columnas;
      },
    }) as unknown as Registro[];
  } catch (err) {
    if (err instanceof ArchivoInvalido) throw err;
    const e = err as { lines?: number; message: string };
    throw new ArchivoInvalido(`${nombre} no es un CSV legible${e.lines ? ` (línea ${e.lines})` : ''}: ${e.message}`);
  }
}
