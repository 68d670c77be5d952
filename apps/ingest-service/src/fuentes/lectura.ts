// The plug-in seam between a source and the registry. A source adapter (SIAL's lists, an uploaded file of
// rows, a OneRoster CSV zip, …) turns what it read into a Lectura; everything after it — each row checked,
// rows consolidated by DNI, the plan against the registry, the safeguard, applying it — is one path for all.
// A new source is one adapter: its input → Lectura, and a handler that hands the Lectura to the registry.
import type { AvisoLote, FilaInvalida } from '@lucy/contracts';
import type { ListaLeida } from '../domain/ausencias.js';
import type { FilaCruda } from '../domain/fila.js';

export interface Lectura {
  /** The students the source states, in source order, as it states them (domain/fila.ts checks each). */
  filas: FilaCruda[];
  /**
   * Rows the adapter itself found unusable for reasons only it can see (a value outside its format's
   * enumeration, a reference that does not resolve): each reason names the file, the line and the field.
   */
  errores: FilaInvalida[];
  /**
   * The lists the source read, whole (`completa`) or only in part, for leavers by absence. None: the source
   * is no list of anybody (a file of rows), and an absence from it never counts.
   */
  listas?: ListaLeida[];
  /** What the source states that Lucy does not act on, no row made invalid by it (a class with no Moodle course). */
  avisos?: AvisoLote[];
}

/** A source: what it receives → a Lectura. Pure, so each adapter is tested on its own. */
export type AdaptadorFuente<Entrada> = (entrada: Entrada) => Lectura;
