// The lote list, each with its progress (counted for the whole page in one query).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { WhereClause, likePattern, type Page } from '../api/schemas.js';
import { lotes } from './estado-lote.js';
import { LoteService } from './lote.service.js';
import { resumir, type ProgresoLote } from './progreso.js';

export interface LoteFiltro {
  estado?: string;
  origen?: string;
  solicitadoPor?: string;
  q?: string;
  desde?: string;
  hasta?: string;
}

@Injectable()
export class LotesQueries {
  private readonly s: string;

  constructor(
    @InjectConfig() config: GatewayConfig,
    private readonly db: DataSource,
    private readonly lotes: LoteService,
  ) {
    this.s = `"${config.DB_SCHEMA}"`;
  }

  async listar(f: LoteFiltro, limit: number, offset: number): Promise<Page<ProgresoLote>> {
    const w = new WhereClause()
      .add((p) => `estado = ${p}`, f.estado)
      .add((p) => `origen = ${p}`, f.origen)
      .add((p) => `solicitado_por = ${p}`, f.solicitadoPor)
      .add((p) => `nombre_archivo ILIKE ${p}`, f.q ? likePattern(f.q) : undefined)
      .add((p) => `created_at >= ${p}::timestamptz`, f.desde)
      .add((p) => `created_at < ${p}::timestamptz`, f.hasta);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM ${lotes(this.s)} l ${w.sql}`, w.params);
    const rows = await this.db.query(
      `SELECT * FROM ${lotes(this.s)} l ${w.sql} ORDER BY created_at DESC, id LIMIT ${w.param(limit)} OFFSET ${w.param(offset)}`,
      w.params,
    );
    const conteos = await this.lotes.conteos(rows.map((r: { id: string }) => r.id));
    return { total, limit, offset, items: rows.map((r: Record<string, unknown>) => resumir(r, conteos)) };
  }
}
