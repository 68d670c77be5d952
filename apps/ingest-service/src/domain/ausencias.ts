// Absence from SIAL. A student SIAL stops listing has most likely left, but one pull is not enough to say
// so: a list read while the registry office is mid-edit, or a student moved between lists, looks the
// same for a day. So a student is taken as leaving (motivo ausente) only after `n` complete pulls of the
// list they were in, in a row, without them. What counts:
//   - only lists read whole: a pull that failed never reaches here, and a list that came back empty is
//     taken as SIAL failing rather than everyone leaving (completa: false);
//   - only the lists this pull read: a pull of ingresantes says nothing of the aspirantes;
//   - any row with their DNI, valid or not and of any period, is presence;
//   - an upload is no list at all: it never counts (and never calls this).
import type { EstadoAlumno } from '@lucy/contracts';

/** One SIAL list as a pull read it. */
export interface ListaLeida {
  lista: string;
  /** The estado this list gives its records (aspirantes → aspirante, …). */
  estado: EstadoAlumno;
  /** Every DNI the list holds, normalized, whatever else its row says. */
  dnis: ReadonlySet<string>;
  /** Read whole and not empty: only then does an absence from it count. */
  completa: boolean;
}

/** An active student of the registry, as the roll call needs them. */
export interface Listado {
  id: string;
  dni: string;
  estado: EstadoAlumno;
  /** The SIAL list they were last seen in; null: never seen in SIAL (an upload's). */
  lista: string | null;
  /** Complete pulls of that list in a row without them, so far. */
  ausencias: number;
}

export interface PaseDeLista {
  /** The students whose list or count of absences changes, with the new values. */
  cambios: { id: string; lista: string | null; ausencias: number }[];
  /** Absent from `n` complete pulls of their list in a row: leaving. */
  bajas: string[];
}

/**
 * The roll call of one pull over the active students it may concern. `n` is ausenciasParaBaja: 0 counts
 * nothing (nobody leaves for being absent, and nobody's count grows towards a later, smaller `n`).
 */
export function pasarLista(alumnos: readonly Listado[], leidas: readonly ListaLeida[], n: number): PaseDeLista {
  const cambios: PaseDeLista['cambios'] = [];
  const bajas: string[] = [];
  for (const a of alumnos) {
    const donde = leidas.filter((l) => l.dnis.has(a.dni));
    if (donde.length > 0) {
      // Present: the count starts again, and their list is where they are now (the one of their
      // estado when they are in several, as an admitted student still listed as aspirante is).
      const lista = (donde.find((l) => l.estado === a.estado) ?? donde[0]!).lista;
      if (lista !== a.lista || a.ausencias !== 0) cambios.push({ id: a.id, lista, ausencias: 0 });
      continue;
    }
    if (n === 0 || !leidas.some((l) => l.lista === a.lista && l.completa)) continue;
    const ausencias = a.ausencias + 1;
    cambios.push({ id: a.id, lista: a.lista, ausencias });
    if (ausencias >= n) bajas.push(a.id);
  }
  return { cambios, bajas };
}
