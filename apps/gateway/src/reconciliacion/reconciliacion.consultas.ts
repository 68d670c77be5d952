// What the API shows of reconciliation runs: read only, on the gateway's pool.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReconciliacionRepository, type ReconciliacionRow } from './reconciliacion.repository.js';

const resumen = (r: ReconciliacionRow, diferencias: number) => ({
  id: r.id,
  estado: r.estado,
  actor: r.actor,
  reparar: r.reparar,
  simular: r.simular,
  alumnos: r.alumnos,
  sistemas: r.sistemas,
  diferencias,
  error: r.error,
  reparacion: r.reparacion,
  inicio: r.createdAt.toISOString(),
  fin: r.finishedAt?.toISOString() ?? null,
});

@Injectable()
export class ReconciliacionConsultas {
  constructor(
    private readonly db: DataSource,
    private readonly repo: ReconciliacionRepository,
  ) {}

  async listar(limit: number, offset: number) {
    const { total, rows } = await this.repo.listar(this.db.manager, limit, offset);
    return {
      total,
      limit,
      offset,
      items: rows.map((r: ReconciliacionRow & { diferencias: number }) => resumen(r, r.diferencias)),
    };
  }

  async una(id: string, f: { tipo?: string; sistema?: string; limit: number; offset: number }) {
    const m = this.db.manager;
    const r = await this.repo.leer(m, id);
    if (!r) return null;
    const porTipo = await this.repo.porTipo(m, id);
    const diferencias = Object.values(porTipo).reduce((a, b) => a + b, 0);
    const { total, items } = await this.repo.items(m, id, f);
    return {
      ...resumen(r, diferencias),
      porTipo,
      items: {
        total,
        limit: f.limit,
        offset: f.offset,
        items: items.map(({ alumnoId, ...i }) => ({ alumno: alumnoId, ...i })),
      },
      resultadoReparacion: r.resultadoReparacion,
    };
  }
}
