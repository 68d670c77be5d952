// Tareas: one record per thing an operator set going — a SIAL sync, an upload, a bulk
// action, a retry — with its counts, details and start/end. Written in the caller's transaction when
// there is one, so a tarea exists exactly when its work was committed.
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Page } from '../api/schemas.js';
import { TareaRepository, type FiltroTareas } from './tarea.repository.js';

export const TIPOS_TAREA = [
  'sincronizacion',
  'carga',
  'accion',
  'reintento',
  'dlq',
  'breaker',
  'configuracion',
] as const;
export type TipoTarea = (typeof TIPOS_TAREA)[number];
export const ESTADOS_TAREA = ['en_curso', 'completada', 'con_errores', 'fallida'] as const;
export type EstadoTarea = (typeof ESTADOS_TAREA)[number];

export interface NuevaTarea {
  tipo: TipoTarea;
  actor: string;
  estado?: EstadoTarea;
  loteId?: string | null;
  total?: number;
  exitosos?: number;
  fallidos?: number;
  detalle?: Record<string, unknown>;
}

export interface Tarea {
  id: string;
  tipo: TipoTarea;
  estado: EstadoTarea;
  actor: string;
  loteId: string | null;
  total: number;
  exitosos: number;
  fallidos: number;
  detalle: Record<string, unknown>;
  inicio: string;
  fin: string | null;
}

const tarea = (r: Record<string, any>): Tarea => ({
  id: r.id,
  tipo: r.tipo,
  estado: r.estado,
  actor: r.actor,
  loteId: r.lote_id,
  total: r.total,
  exitosos: r.exitosos,
  fallidos: r.fallidos,
  detalle: r.detalle,
  inicio: r.started_at.toISOString(),
  fin: r.finished_at?.toISOString() ?? null,
});

/** A finished tarea's state from its counts. */
export const estadoFinal = (exitosos: number, fallidos: number): EstadoTarea =>
  fallidos === 0 ? 'completada' : exitosos === 0 ? 'fallida' : 'con_errores';

@Injectable()
export class TareaService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: TareaRepository,
  ) {}

  /** Records a tarea; one that is not en_curso is recorded as finished now. */
  async registrar(t: NuevaTarea, m: EntityManager = this.db.manager): Promise<string> {
    const id = randomUUID();
    const estado = t.estado ?? 'en_curso';
    await this.repo.insertar(m, {
      id,
      tipo: t.tipo,
      estado,
      actor: t.actor,
      loteId: t.loteId ?? null,
      total: t.total ?? 0,
      exitosos: t.exitosos ?? 0,
      fallidos: t.fallidos ?? 0,
      detalle: t.detalle ?? {},
    });
    return id;
  }

  /** The lote a sync or upload started was taken (or refused) by ingest-service: its tarea ends. */
  async terminarDeLote(
    m: EntityManager,
    loteId: string,
    r: { estado: EstadoTarea; total: number; exitosos: number; fallidos: number; detalle: Record<string, unknown> },
  ): Promise<void> {
    await this.repo.terminarDeLote(m, loteId, r);
  }

  async una(id: string): Promise<Tarea> {
    const row = await this.repo.leer(this.db.manager, id);
    if (!row) throw new NotFoundException(`no existe la tarea ${id}`);
    return tarea(row);
  }

  async listar(q: FiltroTareas): Promise<Page<Tarea>> {
    const { total, rows } = await this.repo.listar(this.db.manager, q);
    return { total, limit: q.limit, offset: q.offset, items: rows.map(tarea) };
  }
}
