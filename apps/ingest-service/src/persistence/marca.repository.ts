// Each pulled source's mark: the instant its next incremental pull asks changes from. Read and written in
// the pull's own transaction, so a mark moves only with the lote it belongs to.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { qualifiedTable } from './qualified-table.js';

@Injectable()
export class MarcaRepository {
  async leer(m: EntityManager, fuente: string): Promise<Date | null> {
    const [fila] = (await m.query(`SELECT marca FROM ${qualifiedTable(m, 'fuente_marca')} WHERE fuente = $1`, [
      fuente,
    ])) as { marca: Date }[];
    return fila ? new Date(fila.marca) : null;
  }

  /** Never backwards: a late pull (redelivered, or started before another applied) keeps the later mark. */
  async avanzar(m: EntityManager, fuente: string, marca: Date, loteId: string): Promise<void> {
    await m.query(
      `INSERT INTO ${qualifiedTable(m, 'fuente_marca')} AS f (fuente, marca, lote_id) VALUES ($1, $2, $3)
       ON CONFLICT (fuente) DO UPDATE SET marca = excluded.marca, lote_id = excluded.lote_id, updated_at = now()
         WHERE f.marca < excluded.marca`,
      [fuente, marca, loteId],
    );
  }
}
