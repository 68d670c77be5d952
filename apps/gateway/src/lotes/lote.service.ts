// Lotes (batches) as the operator sees them: started here, filled in by ingest-service's reply, and
// their progress counted from the workflows of the students they set in motion.
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  RegistrarLote,
  SincronizarSial,
  type FilaAlumno,
  type FUENTES_SIAL,
  type LoteFallido,
  type LoteIngestado,
} from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { estadoFinal, TareaService } from '../tareas/tarea.service.js';
import { registrar } from '../workflows/auditoria.js';
import { lotes } from './estado-lote.js';
import { PLAN_RECIBIDO, resumir, type FilaLote, type ProgresoLote } from './progreso.js';

export type { ProgresoLote };

export interface OpcionesSincronizacion {
  /** Added to the audit entry's and the tarea's detail (a scheduled pull names its slot). */
  detalle?: Record<string, unknown>;
  /** Runs in the pull's transaction once the lote row exists; if it throws, nothing is recorded or sent. */
  enTransaccion?: (m: EntityManager, loteId: string) => Promise<void>;
  /** A dry run: ingest-service only plans (LotePlanificado); the lote row is the whole record (no audit, no tarea until it is confirmed). */
  simular?: boolean;
}

@Injectable()
export class LoteService {
  private readonly s: string;

  constructor(
    @InjectConfig() config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
    private readonly db: DataSource,
    private readonly tareas: TareaService,
  ) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  /** Records the lote and sends the pull to ingest-service, together. */
  async sincronizarSial(
    fuentes: (typeof FUENTES_SIAL)[number][],
    actor: string,
    periodo?: string,
    opciones: OpcionesSincronizacion = {},
  ): Promise<{ loteId: string; correlationId: string }> {
    const loteId = randomUUID();
    const correlationId = `lote-${loteId}`;
    const detalle = { fuentes, periodo, ...opciones.detalle };
    const simular = opciones.simular ?? false;
    await this.messaging.inTransaction(
      async ({ manager, publish }) => {
        await manager.query(
          `INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id, simulacion) VALUES ($1, 'sial', 'solicitado', $2, $3, $4)`,
          [loteId, actor, correlationId, simular],
        );
        await opciones.enTransaccion?.(manager, loteId);
        if (!simular) {
          await registrar(manager, this.schemaName, {
            loteId,
            evento: 'accion.sincronizar-sial',
            actor,
            correlationId,
            detalle,
          });
          await this.tareas.registrar({ tipo: 'sincronizacion', actor, loteId, detalle }, manager);
        }
        publish(SincronizarSial, { loteId, fuentes, ...(periodo ? { periodo } : {}), ...(simular ? { simular } : {}) });
      },
      { correlationId },
    );
    return { loteId, correlationId };
  }

  /**
   * Records an uploaded lote and hands its rows to ingest-service, together. The rows' shape was checked
   * (lote-archivo.ts); whether each one is a valid student is ingest-service's to say (LoteIngestado.invalidos).
   */
  async registrarUpload(
    filas: FilaAlumno[],
    nombreArchivo: string | null,
    actor: string,
    { simular = false }: { simular?: boolean } = {},
  ): Promise<{ loteId: string; tareaId: string | null }> {
    const loteId = randomUUID();
    const correlationId = `lote-${loteId}`;
    const tareaId = await this.messaging.inTransaction(
      async ({ manager, publish }) => {
        await manager.query(
          `INSERT INTO ${this.s}.lote (id, origen, estado, solicitado_por, correlation_id, nombre_archivo, total, simulacion) VALUES ($1, 'upload', 'solicitado', $2, $3, $4, $5, $6)`,
          [loteId, actor, correlationId, nombreArchivo, filas.length, simular],
        );
        if (simular) {
          publish(RegistrarLote, { loteId, nombreArchivo, filas, simular });
          return null;
        }
        await registrar(manager, this.schemaName, {
          loteId,
          evento: 'accion.cargar-lote',
          actor,
          correlationId,
          detalle: { nombreArchivo, filas: filas.length },
        });
        publish(RegistrarLote, { loteId, nombreArchivo, filas });
        return this.tareas.registrar(
          { tipo: 'carga', actor, loteId, total: filas.length, detalle: { nombreArchivo } },
          manager,
        );
      },
      { correlationId },
    );
    return { loteId, tareaId };
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
      `UPDATE ${this.s}.lote SET estado = 'ingestado', total = $2, nuevos = $3, actualizados = $4, sin_cambios = $5, invalidos = $6,
              bajas = $7, retornos = $8, bajas_desconocidas = $9, ingestado_at = now() WHERE id = $1`,
      [
        e.loteId,
        e.alumnoIds.length,
        e.nuevos,
        e.actualizados,
        e.sinCambios,
        JSON.stringify(e.invalidos),
        e.bajas ?? null,
        e.retornos ?? null,
        JSON.stringify(e.bajasDesconocidas ?? []),
      ],
    );
    if (e.alumnoIds.length) {
      await m.query(
        `INSERT INTO ${this.s}.lote_alumno (lote_id, alumno_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [e.loteId, e.alumnoIds],
      );
    }
    const invalidos = e.invalidos.length;
    await this.tareas.terminarDeLote(m, e.loteId, {
      estado: estadoFinal(e.total - invalidos, invalidos),
      total: e.total,
      exitosos: e.total - invalidos,
      fallidos: invalidos,
      detalle: {
        nuevos: e.nuevos,
        actualizados: e.actualizados,
        sinCambios: e.sinCambios,
        bajas: e.bajas ?? 0,
        retornos: e.retornos ?? 0,
      },
    });
  }

  async onFallido(m: EntityManager, e: LoteFallido): Promise<void> {
    await m.query(`UPDATE ${this.s}.lote SET estado = 'fallido', error = $2 WHERE id = $1`, [e.loteId, e.motivo]);
    await this.tareas.terminarDeLote(m, e.loteId, {
      estado: 'fallida',
      total: 0,
      exitosos: 0,
      fallidos: 0,
      detalle: { error: e.motivo },
    });
  }

  async progreso(loteId: string): Promise<ProgresoLote> {
    const [lote] = await this.db.query(`SELECT * FROM ${lotes(this.s)} l WHERE id = $1`, [loteId]);
    if (!lote) throw new NotFoundException(`no existe el lote ${loteId}`);
    return resumir(lote, await this.conteos([loteId]));
  }

  /**
   * Students of each lote by workflow state, and how many of its plan's items arrived. Released students have a
   * workflow; the rest are 'pendiente', or waiting for approval ('pendiente_aprobacion'), or left before it ('descartado').
   */
  async conteos(loteIds: string[]): Promise<FilaLote[]> {
    if (!loteIds.length) return [];
    return this.db.query(
      `SELECT la.lote_id, coalesce(w.estado, CASE e.estado WHEN 'pendiente' THEN 'pendiente_aprobacion' WHEN 'descartado' THEN 'descartado' END, 'pendiente') AS estado,
              count(*)::int AS n
         FROM ${this.s}.lote_alumno la
         LEFT JOIN ${this.s}.workflow w ON w.alumno_id = la.alumno_id AND w.tipo = 'onboarding'
         LEFT JOIN ${this.s}.alumno_por_aprobar e ON e.alumno_id = la.alumno_id
        WHERE la.lote_id = ANY($1::uuid[]) GROUP BY 1, 2
       UNION ALL
       SELECT lote_id, '${PLAN_RECIBIDO}', count(*)::int FROM ${this.s}.lote_plan WHERE lote_id = ANY($1::uuid[]) GROUP BY 1`,
      [loteIds],
    );
  }
}
