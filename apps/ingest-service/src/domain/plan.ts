// What a lote would do to the registry, decided before anything is written: each row's outcome (new,
// updated, unchanged, leaving, back, an unknown leaver, invalid), the roll call of a SIAL pull, and the
// counts. The same plan is applied at once, or kept and shown (a dry run, or one the safeguard holds) and
// applied later exactly as it was shown. Each item remembers what the registry held when it was planned,
// so a plan applied later can tell when the registry has changed under it (desactualizados).
import type { AlumnoDatos, AvisoLote, BajaDesconocida, FilaInvalida, ItemPlan } from '@lucy/contracts';
import { pasarLista, type ListaLeida, type Listado } from './ausencias.js';
import type { MapaClases } from '../oneroster/cursos.js';
import { camposCambiados, clasificar } from './cambios.js';
import { mismasClases, type ClaseFuente } from './clases.js';
import type { LoteConsolidado } from './consolidar.js';

/** A student as the registry holds them. */
export interface Registrado {
  id: string;
  datos: AlumnoDatos;
  /** Held as leaving (marked so, or absent from SIAL). */
  deBaja: boolean;
  /** The SIAL list they were last seen in, and complete pulls of it in a row that missed them. */
  lista: string | null;
  ausencias: number;
  /** The classes their source stated (domain/clases.ts); null or absent: none kept. */
  clases?: ClaseFuente[] | null;
}

/** What the registry held for a student when the plan was made. */
export type Previo = Omit<Registrado, 'id'>;

export interface ItemDelPlan extends ItemPlan {
  /** The registry's student when planned; null: a DNI it did not know. */
  previo: Previo | null;
  /** The student's classes after the plan (kept by the registry, not shown); absent: none. */
  clases?: ClaseFuente[];
}

/**
 * An unchanged student whose classes change (another class gives the same courses): nothing to tell
 * anybody, but the registry writes the classes, or a later delta would start from the old ones.
 */
export const soloClases = (i: ItemDelPlan) =>
  i.resultado === 'sin_cambios' && !!i.alumnoId && !!i.clases && !mismasClases(i.clases, i.previo?.clases);

/** A roll-call change: the student's list and count of absences after this pull, and what they were. */
export interface CambioDeLista {
  id: string;
  lista: string | null;
  ausencias: number;
  /** Null for a student this plan creates. */
  previo: { lista: string | null; ausencias: number } | null;
}

export interface ConteosPlan {
  total: number;
  nuevos: number;
  actualizados: number;
  sinCambios: number;
  filasInvalidas: FilaInvalida[];
  bajas: number;
  retornos: number;
  bajasDesconocidas: BajaDesconocida[];
  /** What the source stated that is not acted on (fuentes/lectura.ts Lectura.avisos); absent from plans kept before. */
  avisos?: AvisoLote[];
}

export interface Plan {
  /** Rows in source order, then the students absent from SIAL. */
  items: ItemDelPlan[];
  pase: CambioDeLista[];
  conteos: ConteosPlan;
  /** New students who wait for approval. */
  enEspera: number;
}

export interface EntradaPlan {
  /** Every row of the lote, for the order of the items and the total. */
  filas: readonly { fila: number; fuente: string }[];
  lote: LoteConsolidado;
  /** The registry's students whose DNI the rows name. */
  conocidos: ReadonlyMap<string, Registrado>;
  /** An id for a new student (kept: the plan applied later creates them with it). */
  nuevoId: () => string;
  /** New students wait for an operator's approval (aprobacionNuevos). */
  conAprobacion: boolean;
  /**
   * A SIAL pull's roll call: the lists it read whole, the active students they concern (those of the lists
   * read and those listed anywhere; as the registry holds them before this lote) and ausenciasParaBaja.
   * None for an upload, which is no list of anybody.
   */
  paseDeLista?: { leidas: readonly ListaLeida[]; activos: readonly Registrado[]; ausenciasParaBaja: number };
  /** The source's notes, carried into the counts. */
  avisos?: readonly AvisoLote[];
  /** cursosOneRoster in force: a student's classes → their courses of the source. */
  mapa?: MapaClases;
}

const previoDe = (r: Registrado): Previo => ({
  datos: r.datos,
  deBaja: r.deBaja,
  lista: r.lista,
  ausencias: r.ausencias,
  clases: r.clases ?? null,
});

export function planificar(e: EntradaPlan): Plan {
  const orden = new Map(e.filas.map((f, i) => [`${f.fuente}#${f.fila}`, i]));
  const posicion = (f: { fuente: string; fila: number }) => orden.get(`${f.fuente}#${f.fila}`) ?? 0;
  const filas: (Omit<ItemDelPlan, 'orden'> & { pos: number })[] = [];
  const vacio = () => ({ cambios: [] as string[], motivo: null, motivos: [] as string[], enEspera: false });

  for (const a of e.lote.alumnos) {
    const conocido = e.conocidos.get(a.dni);
    const r = clasificar(conocido, a.datos, e.mapa);
    const base = {
      ...vacio(),
      pos: posicion(a),
      fila: a.fila,
      fuente: a.fuente,
      dni: a.dni,
      alumnoId: conocido?.id ?? null,
      alumno: r.datos,
      anterior: conocido?.datos ?? null,
      previo: conocido ? previoDe(conocido) : null,
      ...(r.clases ? { clases: r.clases } : {}),
    };
    switch (r.resultado) {
      case 'nuevo':
        filas.push({ ...base, resultado: 'nuevo', alumnoId: e.nuevoId(), enEspera: e.conAprobacion });
        break;
      case 'actualizado':
      case 'retorno':
        filas.push({ ...base, resultado: r.resultado, cambios: r.cambios });
        break;
      case 'sin_cambios':
        filas.push({ ...base, resultado: 'sin_cambios' });
        break;
      case 'baja':
        // Whatever else the row changes rides along with the leave (its data is written with it).
        filas.push({
          ...base,
          resultado: 'baja',
          motivo: r.motivo,
          cambios: camposCambiados(conocido!.datos, r.datos),
        });
        break;
      case 'baja_desconocida':
        filas.push({ ...base, resultado: 'baja_desconocida', alumnoId: null });
        break;
    }
  }
  for (const i of e.lote.invalidas) {
    const conocido = i.dni ? e.conocidos.get(i.dni) : undefined;
    filas.push({
      ...vacio(),
      pos: posicion(i),
      resultado: 'invalido',
      fila: i.fila,
      fuente: i.fuente,
      dni: i.dni,
      alumnoId: conocido?.id ?? null,
      alumno: null,
      anterior: conocido?.datos ?? null,
      motivos: i.motivos,
      previo: null,
    });
  }
  filas.sort((x, y) => x.pos - y.pos);
  const items: ItemDelPlan[] = filas.map(({ pos: _, ...item }) => ({ orden: 0, ...item }));

  const pase = e.paseDeLista ? pasarListaTras(items, e.paseDeLista) : { cambios: [], ausentes: [] };
  for (const a of pase.ausentes)
    items.push({
      ...vacio(),
      orden: 0,
      resultado: 'baja',
      fila: null,
      fuente: a.lista!,
      dni: a.datos.dni,
      alumnoId: a.id,
      alumno: a.datos,
      anterior: a.datos,
      motivo: 'ausente',
      previo: previoDe(a),
      ...(a.clases ? { clases: a.clases } : {}),
    });
  items.forEach((item, i) => (item.orden = i + 1));

  const cuantos = (r: ItemPlan['resultado']) => items.filter((i) => i.resultado === r).length;
  return {
    items,
    pase: pase.cambios,
    conteos: {
      total: e.filas.length,
      nuevos: cuantos('nuevo'),
      actualizados: cuantos('actualizado'),
      sinCambios: cuantos('sin_cambios'),
      filasInvalidas: e.lote.invalidas,
      bajas: cuantos('baja'),
      retornos: cuantos('retorno'),
      bajasDesconocidas: items
        .filter((i) => i.resultado === 'baja_desconocida')
        .map((i) => ({
          fila: i.fila!,
          fuente: i.fuente,
          dni: i.dni!,
          estado: i.alumno!.estado as 'baja' | 'egresado',
        })),
      avisos: [...(e.avisos ?? [])],
    },
    enEspera: items.filter((i) => i.enEspera).length,
  };
}

/**
 * The roll call as the registry will be once the rows are written: a student the rows mark leaving is no
 * longer counted, one they bring back is (from nothing), a new one is, and each counts with the estado the
 * rows give them (it chooses their list when they are in several).
 */
function pasarListaTras(
  items: readonly ItemDelPlan[],
  p: NonNullable<EntradaPlan['paseDeLista']>,
): { cambios: CambioDeLista[]; ausentes: Registrado[] } {
  const activos = new Map(p.activos.map((a) => [a.id, a]));
  const despues = new Map<string, Listado>(
    p.activos.map((a) => [
      a.id,
      { id: a.id, dni: a.datos.dni, estado: a.datos.estado, lista: a.lista, ausencias: a.ausencias },
    ]),
  );
  for (const i of items) {
    if (!i.alumnoId || !i.alumno) continue;
    const antes = despues.get(i.alumnoId);
    switch (i.resultado) {
      case 'nuevo':
        despues.set(i.alumnoId, { id: i.alumnoId, dni: i.dni!, estado: i.alumno.estado, lista: null, ausencias: 0 });
        break;
      case 'retorno':
        despues.set(i.alumnoId, {
          id: i.alumnoId,
          dni: i.dni!,
          estado: i.alumno.estado,
          lista: i.previo?.lista ?? null,
          ausencias: 0,
        });
        break;
      case 'baja':
        despues.delete(i.alumnoId);
        break;
      case 'actualizado':
        if (antes) antes.estado = i.alumno.estado;
        break;
    }
  }
  const { cambios, bajas } = pasarLista([...despues.values()], p.leidas, p.ausenciasParaBaja);
  const deLosItems = new Map(items.flatMap((i) => (i.alumnoId ? [[i.alumnoId, i] as const] : [])));
  const previoDeLista = (id: string) => {
    const a = activos.get(id);
    if (a) return { lista: a.lista, ausencias: a.ausencias };
    const previo = deLosItems.get(id)?.previo;
    return previo ? { lista: previo.lista, ausencias: previo.ausencias } : null;
  };
  return {
    cambios: cambios.map((c) => ({ ...c, previo: previoDeLista(c.id) })),
    ausentes: bajas.map((id) => activos.get(id)!),
  };
}

/** What the registry holds now for the students a stored plan touches: by id, and the DNIs it knows. */
export interface RegistroActual {
  porId: ReadonlyMap<string, Registrado>;
  dnis: ReadonlySet<string>;
}

/**
 * The DNIs of the students a stored plan would write whose registry entry is no longer what the plan saw
 * (another lote changed them since): applying it then would not do what was shown. Rows the plan leaves
 * alone (unchanged, invalid, unknown leavers) do not count.
 */
export function desactualizados(plan: Pick<Plan, 'items' | 'pase'>, actual: RegistroActual): string[] {
  const mismo = (a: Registrado | undefined, p: Previo) =>
    !!a &&
    a.deBaja === p.deBaja &&
    JSON.stringify(ordenado(a.datos)) === JSON.stringify(ordenado(p.datos)) &&
    mismasClases(a.clases, p.clases);
  const fuera = new Set<string>();
  for (const i of plan.items) {
    if (i.resultado === 'nuevo') {
      if (actual.dnis.has(i.dni!)) fuera.add(i.dni!);
    } else if (['actualizado', 'baja', 'retorno'].includes(i.resultado) || soloClases(i)) {
      if (!i.previo || !mismo(actual.porId.get(i.alumnoId!), i.previo)) fuera.add(i.dni!);
    }
  }
  for (const c of plan.pase) {
    if (!c.previo) continue;
    const a = actual.porId.get(c.id);
    if (!a || a.lista !== c.previo.lista || a.ausencias !== c.previo.ausencias) fuera.add(a?.datos.dni ?? c.id);
  }
  return [...fuera];
}

const ordenado = (d: AlumnoDatos) => Object.fromEntries(Object.entries(d).sort(([x], [y]) => x.localeCompare(y)));
