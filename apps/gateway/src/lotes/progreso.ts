// A lote's progress, counted from the workflows of the students it set in motion, and its plan
// while it waits for an operator. Pure.
import type { Retencion } from '@lucy/contracts';

/** The count row that says how many of a lote's plan items arrived (not a workflow state). */
export const PLAN_RECIBIDO = '_plan';

/** A lote's plan, as ingest-service announced it, and what an operator decided. */
export interface PlanLote {
  /** A dry run; false: a real run the safeguard held. */
  simulado: boolean;
  /** Set when the plan trips the safeguard: why it waits (a dry run says so too). */
  retencion: Retencion | null;
  activos: number;
  /** What it does, per action. */
  acciones: {
    crear: number;
    actualizar: number;
    suspender: number;
    retornar: number;
    ninguna: number;
    invalidas: number;
    bajasDesconocidas: number;
    /** New students who will wait for approval. */
    enEspera: number;
  };
  /** Its items, and how many have arrived (they come in parts): it is shown, and confirmed, whole. */
  items: number;
  recibidos: number;
  completo: boolean;
  resolucion: { accion: string; por: string; at: string } | null;
  links: { plan: string };
}

export interface ProgresoLote {
  id: string;
  origen: string;
  estado: string;
  nombreArchivo: string | null;
  solicitadoPor: string;
  creadoAt: string;
  ingestadoAt: string | null;
  error: string | null;
  total: number;
  completados: number;
  conAvisos: number;
  fallidos: number;
  enCurso: number;
  pendientes: number;
  porcentaje: number;
  desglose: Record<string, number>;
  /** Students waiting for an operator's approval before their onboarding. */
  esperanAprobacion: number;
  /** The lote was asked as a dry run. */
  simulacion: boolean;
  /** Its plan, when ingest-service answered with one (a dry run, or held by the safeguard); null otherwise. */
  plan: PlanLote | null;
  ingesta: {
    nuevos: number | null;
    actualizados: number | null;
    sinCambios: number | null;
    invalidos: unknown[];
    /** Students taken as leaving, and back (null: not answered yet, or by an ingest that did not count them). */
    bajas: number | null;
    retornos: number | null;
    /** Rows of unknown students marked leaving: not onboarded. */
    bajasDesconocidas: unknown[];
    /** What the rows stated that was not acted on, no row made invalid by it (a class with no Moodle course). */
    avisos: unknown[];
  };
}

/** One count: in lote `lote_id`, `n` students whose workflow is in `estado` ('pendiente': not released yet). */
export interface FilaLote {
  lote_id: string;
  estado: string;
  n: number;
}

export function resumir(lote: Record<string, any>, filas: readonly FilaLote[]): ProgresoLote {
  const propias = filas.filter((r) => r.lote_id === lote.id);
  const desglose = Object.fromEntries(propias.filter((r) => r.estado !== PLAN_RECIBIDO).map((r) => [r.estado, r.n]));
  const recibidos = propias.find((r) => r.estado === PLAN_RECIBIDO)?.n ?? 0;
  const n = (...estados: string[]) => estados.reduce((acc, e) => acc + (desglose[e] ?? 0), 0);
  // Until ingest answers, an upload's total is its row count; after, the students it set in motion.
  const total = lote.total ?? 0;
  const completados = n('completado');
  const conAvisos = n('completado_con_avisos');
  const fallidos = n('fallido', 'compensacion_fallida');
  // A student who left while waiting for approval is never onboarded: settled, like a final state.
  const terminados = completados + conAvisos + fallidos + n('compensado', 'descartado');
  // `estado` comes derived from SQL (estado-lote.ts): `terminado` is an ingested lote with nothing left to do.
  const ingestado = lote.estado === 'ingestado' || lote.estado === 'terminado';
  return {
    id: lote.id,
    origen: lote.origen,
    estado: lote.estado,
    nombreArchivo: lote.nombre_archivo,
    solicitadoPor: lote.solicitado_por,
    creadoAt: lote.created_at.toISOString(),
    ingestadoAt: lote.ingestado_at?.toISOString() ?? null,
    error: lote.error,
    total,
    completados,
    conAvisos,
    fallidos,
    enCurso: n('creando_cuenta', 'enrolando_y_notificando', 'compensando'),
    pendientes: ingestado ? n('pendiente', 'pendiente_aprobacion') : total,
    porcentaje: ingestado ? (total ? Math.round((terminados / total) * 1000) / 10 : 100) : 0,
    desglose,
    esperanAprobacion: n('pendiente_aprobacion'),
    simulacion: lote.simulacion ?? false,
    plan: lote.plan ? planDe(lote, recibidos) : null,
    ingesta: {
      nuevos: lote.nuevos,
      actualizados: lote.actualizados,
      sinCambios: lote.sin_cambios,
      invalidos: lote.invalidos,
      bajas: lote.bajas ?? null,
      retornos: lote.retornos ?? null,
      bajasDesconocidas: lote.bajas_desconocidas ?? [],
      // A lote only planned (a dry run, or held) has its plan's notes: the same it will have once applied.
      avisos: lote.avisos?.length ? lote.avisos : (lote.plan?.avisos ?? []),
    },
  };
}

function planDe(lote: Record<string, any>, recibidos: number): PlanLote {
  const p = lote.plan;
  return {
    simulado: p.simulado,
    retencion: p.retencion ?? null,
    activos: p.activos,
    acciones: {
      crear: p.nuevos,
      actualizar: p.actualizados,
      suspender: p.bajas,
      retornar: p.retornos,
      ninguna: p.sinCambios,
      invalidas: p.invalidos?.length ?? 0,
      bajasDesconocidas: p.bajasDesconocidas?.length ?? 0,
      enEspera: p.enEspera ?? 0,
    },
    items: p.items,
    recibidos,
    completo: recibidos >= p.items,
    resolucion: lote.resolucion
      ? { accion: lote.resolucion, por: lote.resuelto_por, at: lote.resuelto_at.toISOString() }
      : null,
    links: { plan: `/api/v1/lotes/${lote.id}/plan` },
  };
}
