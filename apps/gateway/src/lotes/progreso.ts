// A lote's progress, counted from the workflows of the students it set in motion (seed 002). Pure.

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
  };
}

/** One count: in lote `lote_id`, `n` students whose workflow is in `estado` ('pendiente': not released yet). */
export interface FilaLote {
  lote_id: string;
  estado: string;
  n: number;
}

export function resumir(lote: Record<string, any>, filas: readonly FilaLote[]): ProgresoLote {
  const desglose = Object.fromEntries(filas.filter((r) => r.lote_id === lote.id).map((r) => [r.estado, r.n]));
  const n = (...estados: string[]) => estados.reduce((acc, e) => acc + (desglose[e] ?? 0), 0);
  // Until ingest answers, an upload's total is its row count; after, the students it set in motion.
  const total = lote.total ?? 0;
  const completados = n('completado');
  const conAvisos = n('completado_con_avisos');
  const fallidos = n('fallido', 'compensacion_fallida');
  const terminados = completados + conAvisos + fallidos + n('compensado');
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
    pendientes: ingestado ? n('pendiente') : total,
    porcentaje: ingestado ? (total ? Math.round((terminados / total) * 1000) / 10 : 100) : 0,
    desglose,
    ingesta: {
      nuevos: lote.nuevos,
      actualizados: lote.actualizados,
      sinCambios: lote.sin_cambios,
      invalidos: lote.invalidos,
      bajas: lote.bajas ?? null,
      retornos: lote.retornos ?? null,
      bajasDesconocidas: lote.bajas_desconocidas ?? [],
    },
  };
}
