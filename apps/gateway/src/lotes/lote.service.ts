// Lotes (batches) as the operator sees them: started here, filled in by ingest-service's reply, and
// their progress counted from the workflows of the students they set in motion.
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  RegistrarLote,
  RegistrarLoteOneRoster,
  SincronizarOneRoster,
  SincronizarSial,
  type FilaAlumno,
  type FUENTES_SIAL,
  type LoteFallido,
  type LoteIngestado,
} from '@lucy/contracts';
import { MessagingRuntime, type TransactionScope } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { estadoFinal, TareaService } from '../tareas/tarea.service.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { LoteRepository } from './lote.repository.js';
import type { OneRosterLeido } from './oneroster-archivo.js';
import { resumir, type FilaLote, type ProgresoLote } from './progreso.js';

type Publish = TransactionScope['publish'];

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
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly auditoria: AuditoriaRepository,
    private readonly messaging: MessagingRuntime,
    private readonly db: DataSource,
    private readonly tareas: TareaService,
    private readonly lotes: LoteRepository,
  ) {}

  /** Records the lote and sends the SIAL pull to ingest-service, together. */
  async sincronizarSial(
    fuentes: (typeof FUENTES_SIAL)[number][],
    actor: string,
    periodo?: string,
    opciones: OpcionesSincronizacion = {},
  ): Promise<{ loteId: string; correlationId: string }> {
    const pull = { origen: 'sial', evento: 'accion.sincronizar-sial', detalle: { fuentes, periodo } } as const;
    return this.sincronizar(pull, actor, opciones, (publish, loteId, simular) =>
      publish(SincronizarSial, { loteId, fuentes, ...(periodo ? { periodo } : {}), ...(simular ? { simular } : {}) }),
    );
  }

  /**
   * Records the lote and sends the OneRoster pull to ingest-service, together, as the SIAL pull above:
   * only what changed since the last pull applied, or (`completa`) everything.
   */
  async sincronizarOneRoster(
    completa: boolean,
    actor: string,
    opciones: OpcionesSincronizacion = {},
  ): Promise<{ loteId: string; correlationId: string }> {
    const pull = { origen: 'oneroster', evento: 'accion.sincronizar-oneroster', detalle: { completa } } as const;
    return this.sincronizar(pull, actor, opciones, (publish, loteId, simular) =>
      publish(SincronizarOneRoster, { loteId, completa, ...(simular ? { simular } : {}) }),
    );
  }

  /** A pull's lote row, its audit entry and tarea (not for a dry run), and its command: one transaction. */
  private async sincronizar(
    pull: { origen: 'sial' | 'oneroster'; evento: string; detalle: Record<string, unknown> },
    actor: string,
    opciones: OpcionesSincronizacion,
    enviar: (publish: Publish, loteId: string, simular: boolean) => void,
  ): Promise<{ loteId: string; correlationId: string }> {
    const loteId = randomUUID();
    const correlationId = `lote-${loteId}`;
    const detalle = { ...pull.detalle, ...opciones.detalle };
    const simular = opciones.simular ?? false;
    await this.messaging.inTransaction(
      async ({ manager, publish }) => {
        await this.lotes.registrarPull(manager, { loteId, actor, correlationId, simulacion: simular }, pull.origen);
        await opciones.enTransaccion?.(manager, loteId);
        if (!simular) {
          await this.auditoria.registrar(manager, { loteId, evento: pull.evento, actor, correlationId, detalle });
          await this.tareas.registrar({ tipo: 'sincronizacion', actor, loteId, detalle }, manager);
        }
        enviar(publish, loteId, simular);
      },
      { correlationId },
    );
    return { loteId, correlationId };
  }

  /**
   * Records an uploaded lote and hands its rows to ingest-service, together. The rows' shape was checked
   * (lote-archivo.ts); whether each one is a valid student is ingest-service's to say (LoteIngestado.invalidos).
   */
  registrarUpload(
    filas: FilaAlumno[],
    nombreArchivo: string | null,
    actor: string,
    { simular = false }: { simular?: boolean } = {},
  ): Promise<{ loteId: string; tareaId: string | null }> {
    return this.registrarCarga({ total: filas.length, nombreArchivo, actor, simular }, (publish, loteId) =>
      publish(RegistrarLote, { loteId, nombreArchivo, filas, ...(simular ? { simular } : {}) }),
    );
  }

  /**
   * An uploaded OneRoster CSV zip, as the upload above: its manifest and headers were checked
   * (oneroster-archivo.ts); its rows are ingest-service's to check. The files it ignored are in the audit
   * entry and the tarea.
   */
  registrarOneRoster(
    leido: OneRosterLeido,
    nombreArchivo: string | null,
    actor: string,
    { simular = false }: { simular?: boolean } = {},
  ): Promise<{ loteId: string; tareaId: string | null }> {
    const carga = { total: leido.estudiantes, nombreArchivo, actor, simular, detalle: { ignorados: leido.ignorados } };
    return this.registrarCarga(carga, (publish, loteId) =>
      publish(RegistrarLoteOneRoster, {
        loteId,
        nombreArchivo,
        archivos: leido.archivos,
        ...(simular ? { simular } : {}),
      }),
    );
  }

  /** The lote row, its audit entry and tarea (not for a dry run), and the command to ingest-service: together. */
  private async registrarCarga(
    c: {
      total: number;
      nombreArchivo: string | null;
      actor: string;
      simular: boolean;
      detalle?: Record<string, unknown>;
    },
    enviar: (publish: Publish, loteId: string) => void,
  ): Promise<{ loteId: string; tareaId: string | null }> {
    const loteId = randomUUID();
    const correlationId = `lote-${loteId}`;
    const { total, nombreArchivo, actor, simular } = c;
    const tareaId = await this.messaging.inTransaction(
      async ({ manager, publish }) => {
        await this.lotes.registrarUpload(manager, {
          loteId,
          actor,
          correlationId,
          nombreArchivo,
          total,
          simulacion: simular,
        });
        enviar(publish, loteId);
        if (simular) return null;
        await this.auditoria.registrar(manager, {
          loteId,
          evento: 'accion.cargar-lote',
          actor,
          correlationId,
          detalle: { nombreArchivo, filas: total, ...c.detalle },
        });
        return this.tareas.registrar(
          { tipo: 'carga', actor, loteId, total, detalle: { nombreArchivo, ...c.detalle } },
          manager,
        );
      },
      { correlationId },
    );
    return { loteId, tareaId };
  }

  async onIngestado(m: EntityManager, e: LoteIngestado): Promise<void> {
    await this.lotes.ingestado(m, e);
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
    await this.lotes.fallido(m, e.loteId, e.motivo);
    await this.tareas.terminarDeLote(m, e.loteId, {
      estado: 'fallida',
      total: 0,
      exitosos: 0,
      fallidos: 0,
      detalle: { error: e.motivo },
    });
  }

  async progreso(loteId: string): Promise<ProgresoLote> {
    const lote = await this.lotes.leer(this.db.manager, loteId);
    if (!lote) throw new NotFoundException(`no existe el lote ${loteId}`);
    return resumir(lote, await this.conteos([loteId]));
  }

  /**
   * Students of each lote by workflow state, and how many of its plan's items arrived. Released students have a
   * workflow; the rest are 'pendiente', or waiting for approval ('pendiente_aprobacion'), or left before it ('descartado').
   */
  conteos(loteIds: string[]): Promise<FilaLote[]> {
    return this.lotes.conteos(this.db.manager, loteIds);
  }
}
