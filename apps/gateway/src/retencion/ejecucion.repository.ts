// The retention runs (retencion_ejecucion): one row per run, its estado, and each service's result,
// updated under the row's lock so answers arriving together, the gateway's own result and the deadline
// never overwrite one another.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EdadesRetencion } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import type { EstadoEjecucion, Resultado } from './retencion.reglas.js';

export interface Ejecucion {
  id: string;
  estado: EstadoEjecucion;
  simulada: boolean;
  actor: string;
  edades: EdadesRetencion;
  servicios: string[];
  resultados: Record<string, Resultado>;
  iniciadaAt: string;
  venceAt: string;
  terminadaAt: string | null;
}

const ejecucion = (r: Record<string, any>): Ejecucion => ({
  id: r.id,
  estado: r.estado,
  simulada: r.simulada,
  actor: r.actor,
  edades: r.edades,
  servicios: r.servicios,
  resultados: r.resultados,
  iniciadaAt: r.iniciada_at.toISOString(),
  venceAt: r.vence_at.toISOString(),
  terminadaAt: r.terminada_at?.toISOString() ?? null,
});

@Injectable()
export class EjecucionRepository {
  private readonly t: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.t = `"${config.DB_SCHEMA}".retencion_ejecucion`;
  }

  async crear(
    m: EntityManager,
    e: { id: string; simulada: boolean; actor: string; edades: EdadesRetencion; servicios: string[]; plazoMs: number },
  ): Promise<void> {
    await m.query(
      `INSERT INTO ${this.t} (id, estado, simulada, actor, edades, servicios, vence_at)
       VALUES ($1, 'en_curso', $2, $3, $4, $5, now() + ($6 || ' milliseconds')::interval)`,
      [e.id, e.simulada, e.actor, JSON.stringify(e.edades), JSON.stringify(e.servicios), String(e.plazoMs)],
    );
  }

  /**
   * The run still en_curso (before its deadline), if any; taken under a transaction-scoped advisory lock, so
   * two requests at once cannot both find none and both start one.
   */
  async enCurso(m: EntityManager): Promise<string | undefined> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.t]);
    const [r] = await m.query(`SELECT id FROM ${this.t} WHERE estado = 'en_curso' AND vence_at > now() LIMIT 1`);
    return r?.id;
  }

  /** The run, locked until `m`'s transaction ends; `vencida`: its deadline has passed (the database's clock). */
  async bloquear(m: EntityManager, id: string): Promise<(Ejecucion & { vencida: boolean }) | undefined> {
    const [r] = await m.query(`SELECT *, vence_at <= now() AS vencida FROM ${this.t} WHERE id = $1 FOR UPDATE`, [id]);
    return r ? { ...ejecucion(r), vencida: r.vencida } : undefined;
  }

  async guardar(m: EntityManager, id: string, estado: EstadoEjecucion, resultados: Record<string, Resultado>) {
    await m.query(
      `UPDATE ${this.t} SET estado = $2, resultados = $3,
              terminada_at = CASE WHEN $2 = 'en_curso' THEN NULL ELSE coalesce(terminada_at, now()) END
        WHERE id = $1`,
      [id, estado, JSON.stringify(resultados)],
    );
  }

  /** Runs still en_curso past their deadline. */
  async vencidas(m: EntityManager): Promise<string[]> {
    const rows = await m.query(`SELECT id FROM ${this.t} WHERE estado = 'en_curso' AND vence_at <= now()`);
    return rows.map((r: { id: string }) => r.id);
  }

  async una(m: EntityManager, id: string): Promise<Ejecucion | undefined> {
    const [r] = await m.query(`SELECT * FROM ${this.t} WHERE id = $1`, [id]);
    return r ? ejecucion(r) : undefined;
  }

  async listar(m: EntityManager, limit: number, offset: number): Promise<{ total: number; items: Ejecucion[] }> {
    const [{ total }] = await m.query(`SELECT count(*)::int AS total FROM ${this.t}`);
    const rows = await m.query(`SELECT * FROM ${this.t} ORDER BY iniciada_at DESC, id LIMIT $1 OFFSET $2`, [
      limit,
      offset,
    ]);
    return { total, items: rows.map(ejecucion) };
  }
}
