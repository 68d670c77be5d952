// The breaker_estado rows: the last state each service announced for each of its breakers.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BreakerCambiado } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';

export interface FilaBreaker {
  servicio: string;
  dependencia: string;
  estado: string;
  motivo: string | null;
  at: Date;
}

@Injectable()
export class BreakerRepository {
  private readonly t: string;

  constructor(@InjectConfig() config: Pick<GatewayConfig, 'DB_SCHEMA'>) {
    this.t = `"${config.DB_SCHEMA}".breaker_estado`;
  }

  /** Applies an announced change unless a later one was already recorded (events may arrive out of order). */
  async registrarCambio(m: EntityManager, e: BreakerCambiado): Promise<void> {
    await m.query(
      `INSERT INTO ${this.t} (servicio, dependencia, estado, motivo, at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (servicio, dependencia) DO UPDATE SET estado = excluded.estado, motivo = excluded.motivo, at = excluded.at
        WHERE ${this.t}.at <= excluded.at`,
      [e.servicio, e.dependencia, e.estado, e.motivo ?? null, e.at],
    );
  }

  /** Every row, by service and dependency. */
  todos(m: EntityManager): Promise<FilaBreaker[]> {
    return m.query(`SELECT * FROM ${this.t} ORDER BY servicio, dependencia`);
  }

  /** The dependencies a service announced a breaker for. */
  async dependencias(m: EntityManager, servicio: string): Promise<string[]> {
    const filas: { dependencia: string }[] = await m.query(`SELECT dependencia FROM ${this.t} WHERE servicio = $1`, [
      servicio,
    ]);
    return filas.map((f) => f.dependencia);
  }
}
