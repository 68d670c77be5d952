// Lotes (batches) as the operator sees them: started here, filled in by ingest-service's reply, and
// their progress counted from the workflows of the students they set in motion (seed 002).
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { SincronizarSial, type FUENTES_SIAL, type LoteFallido, type LoteIngestado } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { registrar } from '../workflows/auditoria.js';

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
  ingesta: { nuevos: number | null; actualizados: number | null; sinCambios: number | null; invalidos: unknown[] };
}

@Injectable()
export class LoteService {
  private readonly s: string;

  constructor(
    @InjectConfig() config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
    private readonly db: DataSource,
  ) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  /** Records the lote and sends the pull to ingest-service, together. */
  async sincronizarSial(fuentes: (typeof FUENTES_SIAL)[number][], actor: string, periodo?: string): Promise<{ loteId: string; correlationId: string }> {
    const loteId = randomUUID();
    const correlationId = `lote-${loteId}`;
    await this.messaging.inTransaction(
      async ({ manager, publish }) => {
        await manager.query(`INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id) VALUES ($1, 'sial', 'solicitado', $2, $3)`, [loteId, actor, correlationId]);
        await registrar(manager, this.schemaName, { loteId, evento: 'accion.sincronizar-sial', actor, correlationId, detalle: { fuentes, periodo } });
        publish(SincronizarSial, { loteId, fuentes, ...(periodo ? { periodo } : {}) });
      },
      { correlationId },
    );
    return { loteId, correlationId };
  }

  private get schemaName() {
    return this.s.slice(1, -1);
  }

  async onIngestado(m: EntityManager, e: LoteIngestado): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id) VALUES ($1, $2, 'ingestado', 'sistema', $3) ON CONFLICT (id) DO NOTHING`,
      [e.loteId, e.origen, `lote-${e.loteId}`],
    );
    await m.query(
      `UPDATE ${this.s}.lote SET estado = 'ingestado', total = $2, nuevos = $3, actualizados = $4, sin_cambios = $5, invalidos = $6, ingestado_at = now() WHERE id = $1`,
      [e.loteId, e.alumnoIds.length, e.nuevos, e.actualizados, e.sinCambios, JSON.stringify(e.invalidos)],
    );
    if (e.alumnoIds.length) {
      await m.query(`INSERT INTO ${this.s}.lote_alumno (lote_id, alumno_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [e.loteId, e.alumnoIds]);
    }
  }

  async onFallido(m: EntityManager, e: LoteFallido): Promise<void> {
    await m.query(`UPDATE ${this.s}.lote SET estado = 'fallido', error = $2 WHERE id = $1`, [e.loteId, e.motivo]);
  }

  async progreso(loteId: string): Promise<ProgresoLote> {
    const [lote] = await this.db.query(`SELECT * FROM ${this.s}.lote WHERE id = $1`, [loteId]);
    if (!lote) throw new NotFoundException(`no existe el lote ${loteId}`);
    // Students released by ingest have a workflow; the rest are still waiting their turn (pendientes).
    const rows: { estado: string; n: number }[] = await this.db.query(
      `SELECT coalesce(w.estado, 'pendiente') AS estado, count(*)::int AS n
         FROM ${this.s}.lote_alumno la LEFT JOIN ${this.s}.workflow w ON w.alumno_id = la.alumno_id AND w.tipo = 'onboarding'
        WHERE la.lote_id = $1 GROUP BY 1`,
      [loteId],
    );
    const desglose = Object.fromEntries(rows.map((r) => [r.estado, r.n]));
    const n = (...estados: string[]) => estados.reduce((acc, e) => acc + (desglose[e] ?? 0), 0);
    const total = lote.total ?? 0;
    const completados = n('completado');
    const conAvisos = n('completado_con_avisos');
    const fallidos = n('fallido', 'compensacion_fallida');
    const terminados = completados + conAvisos + fallidos + n('compensado');
    return {
      id: lote.id,
      origen: lote.origen,
      estado: lote.estado === 'ingestado' && total > 0 && terminados === total ? 'terminado' : lote.estado,
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
      pendientes: n('pendiente'),
      porcentaje: total ? Math.round((terminados / total) * 1000) / 10 : lote.estado === 'ingestado' ? 100 : 0,
      desglose,
      ingesta: { nuevos: lote.nuevos, actualizados: lote.actualizados, sinCambios: lote.sin_cambios, invalidos: lote.invalidos },
    };
  }
}
