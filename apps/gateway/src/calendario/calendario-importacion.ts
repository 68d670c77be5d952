// Reading a calendar file into periods, all or nothing: a file with one bad line is refused whole, naming
// the line, so an import never leaves half a year behind.
// - CSV (csv-parse, as uploads of lotes): a header with desde, hasta, nombre, tipo (hasta empty: one day;
//   tipo empty: feriado), separated by , ; or tab; dates as AAAA-MM-DD or DD/MM/AAAA.
// - iCalendar (.ics): through LectorIcs below; the reader is lector-ics.ts (ical.js).
import { parse as parseCsv } from 'csv-parse/sync';
import { isRealDate } from '../api/schemas.js';
import { delimitadorDe } from '../lotes/lote-archivo.js';
import type { PeriodoNoLaborable } from '../trabajos/agenda.js';

/** A file the calendar cannot take; `linea` is the file's line (1 = the first, the header in a CSV). */
export class CalendarioInvalido extends Error {
  constructor(
    readonly linea: number | null,
    mensaje: string,
  ) {
    super(linea ? `línea ${linea}: ${mensaje}` : mensaje);
  }
}

export const MAX_PERIODOS = 1000;
const MAX_NOMBRE = 200;

/**
 * An iCalendar reader: VEVENTs to periods (DTSTART;VALUE=DATE → desde; DTEND is exclusive in iCalendar, so
 * hasta is the day before; SUMMARY → nombre; tipo feriado for a one-day event, receso for a longer one).
 * Throws CalendarioInvalido with the line of what it cannot read.
 */
export interface LectorIcs {
  leer(texto: string): PeriodoNoLaborable[];
}

/** A date as AAAA-MM-DD, from AAAA-MM-DD or DD/MM/AAAA; undefined when it is not a date that exists. */
export function fechaDe(s: string): string | undefined {
  const dma = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const iso = dma ? `${dma[3]}-${dma[2]!.padStart(2, '0')}-${dma[1]!.padStart(2, '0')}` : s;
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && isRealDate(iso) ? iso : undefined;
}

/** One period, checked as the API checks one (see calendario.schema.ts). */
export function periodoDe(
  crudo: { desde?: string; hasta?: string; nombre?: string; tipo?: string },
  linea: number | null,
): PeriodoNoLaborable {
  const desde = fechaDe(crudo.desde?.trim() ?? '');
  if (!desde)
    throw new CalendarioInvalido(linea, `desde "${crudo.desde ?? ''}" no es una fecha (AAAA-MM-DD o DD/MM/AAAA)`);
  const hastaTexto = crudo.hasta?.trim() ?? '';
  const hasta = hastaTexto ? fechaDe(hastaTexto) : desde;
  if (!hasta) throw new CalendarioInvalido(linea, `hasta "${hastaTexto}" no es una fecha (AAAA-MM-DD o DD/MM/AAAA)`);
  if (hasta < desde) throw new CalendarioInvalido(linea, `hasta (${hasta}) es anterior a desde (${desde})`);
  const nombre = crudo.nombre?.trim() ?? '';
  if (!nombre) throw new CalendarioInvalido(linea, 'falta el nombre');
  if (nombre.length > MAX_NOMBRE || nombre.includes('\u0000'))
    throw new CalendarioInvalido(linea, `el nombre es demasiado largo (máximo ${MAX_NOMBRE}) o no es texto`);
  const tipo = (crudo.tipo?.trim() || 'feriado').toLowerCase();
  if (tipo !== 'feriado' && tipo !== 'receso')
    throw new CalendarioInvalido(linea, `tipo "${crudo.tipo}" no es feriado ni receso`);
  return { desde, hasta, nombre, tipo };
}

const COLUMNAS = ['desde', 'hasta', 'nombre', 'tipo'];

export function leerCsvCalendario(texto: string): PeriodoNoLaborable[] {
  let registros: { record: Record<string, string>; info: { lines: number } }[];
  try {
    registros = parseCsv(texto.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => {
        const nombres = header.map((h) => h.trim().toLowerCase());
        const faltan = ['desde', 'nombre'].filter((c) => !nombres.includes(c));
        if (faltan.length)
          throw new CalendarioInvalido(
            1,
            `el encabezado debe tener las columnas ${COLUMNAS.join(', ')} (falta ${faltan.join(', ')})`,
          );
        const otra = nombres.find((n) => !COLUMNAS.includes(n));
        if (otra)
          throw new CalendarioInvalido(1, `columna desconocida "${otra}" (las columnas son ${COLUMNAS.join(', ')})`);
        return nombres;
      },
      delimiter: delimitadorDe(texto),
      skip_empty_lines: true,
      trim: true,
      info: true,
      to_line: MAX_PERIODOS + 2,
    });
  } catch (err) {
    if (err instanceof CalendarioInvalido) throw err;
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code?.startsWith('CSV_RECORD_INCONSISTENT'))
      throw new CalendarioInvalido(e.lines ?? null, 'no tiene la misma cantidad de columnas que el encabezado');
    if (e.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new CalendarioInvalido(e.lines ?? null, 'una comilla abierta no se cierra');
    throw new CalendarioInvalido(e.lines ?? null, `CSV ilegible: ${e.message}`);
  }
  if (!registros.length)
    throw new CalendarioInvalido(null, 'el archivo no tiene ningún período (solo el encabezado, o vacío)');
  if (registros.length > MAX_PERIODOS)
    throw new CalendarioInvalido(null, `el archivo tiene más de ${MAX_PERIODOS} períodos`);
  return registros.map((r) => periodoDe(r.record, r.info.lines));
}
