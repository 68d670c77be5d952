// What an operator (a test, a demo) changes in SIAL between pulls to play a whole year: a record's
// fields, a student leaving, a record taken off its list, one added (or added back). They are kept as a
// list of edits applied in order over the generated cohort, so the cohort stays a pure function of its
// settings and edits: "advance" to the next revision keeps them, and reset drops them.
//
// How SIAL shows a student who leaves is not known (only its three intake lists are known). The
// stand-in can show it both ways a registry office plausibly would, and Lucy must handle either:
//   - the record stays in its list with estado `baja` or `egresado` (an edit of `estado`);
//   - the record is no longer listed at all (a removal): Lucy only learns it from its absence.
import { z } from 'zod';
import {
  type Cohort,
  ESTADOS_REGISTRO,
  type EstadoRegistro,
  type SialList,
  type SialRecord,
} from './sial.generator.js';
import { SIAL_LISTS } from './sial.generator.js';

/** SIAL's own estado for each list's records. */
export const ESTADO_DE_LISTA: Record<SialList, EstadoRegistro> = {
  aspirantes: 'aspirante',
  preinscriptos: 'preinscripto',
  ingresantes: 'ingresante',
};

/** A record's DNI as ingest reads it: SIAL's may carry dots and spaces. */
export const dniNormalizado = (dni: string): string => dni.replace(/[.\s]/g, '');

/** The path's DNI: digits, with the dots a person types; any other text is no DNI. */
export const DniParam = z
  .string()
  .transform((d) => dniNormalizado(d))
  .pipe(z.string().regex(/^\d{7,8}$/, 'a DNI is 7 or 8 digits (dots and spaces aside)'));

export const ListaParam = z.enum(SIAL_LISTS, { error: `unknown list; one of ${SIAL_LISTS.join(', ')}` });

// A record's fields as SIAL may hold them: any text, even a malformed email or a DNI with dots (SIAL does
// not validate what Lucy does), but each of its type.
const texto = z.string().max(1000);
export const CamposRegistro = z
  .object({
    dni: z.string().min(1).max(40),
    apellido: texto,
    nombre: texto,
    email_personal: texto.nullable(),
    email_institucional: texto.nullable(),
    carrera: texto,
    legajo: z.string().max(40).nullable(),
    fecha_nacimiento: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
    periodo: z.string().max(40),
    anio_ingreso: z.number().int().min(1900).max(2200),
    sede: texto,
    estado: z.enum(ESTADOS_REGISTRO),
  })
  .strict();

/** PATCH: the fields to change, and `lista` to move the record to another list. The DNI is the record's key. */
export const CambioRegistro = CamposRegistro.omit({ dni: true })
  .extend({ lista: ListaParam })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'nothing to change: name at least one field');
export type CambioRegistro = z.infer<typeof CambioRegistro>;

/** POST: a record for a list; fields left out come from the DNI's removed record, when adding it back. */
export const AltaRegistro = CamposRegistro.partial().extend({ lista: ListaParam, dni: z.string() }).strict();
export type AltaRegistro = z.infer<typeof AltaRegistro>;

export type Edicion =
  | { kind: 'patch'; dni: string; lista?: SialList; cambios: CambioRegistro }
  | { kind: 'remove'; dni: string; lista?: SialList }
  | { kind: 'add'; lista: SialList; record: Omit<SialRecord, 'id'> };

/** Added records get ids far from the generated ones (which grow with each revision), stable across revisions. */
const ID_AGREGADOS = 1_000_000;

const coincide = (r: SialRecord, dni: string) => dniNormalizado(r.dni) === dni;

/** The cohort after the edits, in order. Pure: the same cohort and edits give the same lists. */
export function aplicarEdiciones(cohort: Cohort, ediciones: readonly Edicion[]): Cohort {
  const out = Object.fromEntries(SIAL_LISTS.map((l) => [l, [...cohort[l]]])) as Cohort;
  const listas = (lista?: SialList) => (lista ? [lista] : SIAL_LISTS);
  ediciones.forEach((e, i) => {
    if (e.kind === 'add') {
      out[e.lista].push({ ...e.record, id: ID_AGREGADOS + i });
      return;
    }
    const movidos: [SialList, SialRecord][] = [];
    for (const l of listas(e.lista)) {
      const quedan: SialRecord[] = [];
      for (const r of out[l]) {
        if (!coincide(r, e.dni)) quedan.push(r);
        else if (e.kind === 'patch') {
          const { lista: destino, ...campos } = e.cambios;
          const cambiado = { ...r, ...campos };
          // Moved to another list: at its end, with that list's estado unless the edit names one.
          if (destino && destino !== l)
            movidos.push([destino, { ...cambiado, estado: campos.estado ?? ESTADO_DE_LISTA[destino] }]);
          else quedan.push(cambiado);
        }
      }
      out[l] = quedan;
    }
    for (const [l, r] of movidos) out[l].push(r);
  });
  return out;
}

/** Where a DNI is listed (in one list, or in all). */
export function buscar(cohort: Cohort, dni: string, lista?: SialList): { lista: SialList; record: SialRecord }[] {
  return (lista ? [lista] : SIAL_LISTS).flatMap((l) =>
    cohort[l].filter((r) => coincide(r, dni)).map((record) => ({ lista: l, record })),
  );
}
