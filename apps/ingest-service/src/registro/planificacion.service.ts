// A lote's plan against the registry (domain/plan.ts), in the caller's transaction, writing nothing: the
// registry's students the rows name, and for a SIAL pull the active students its roll call concerns. The
// runtime keys are read now: the plan is made, and later applied, with the values in force at this pull
// (cursosOneRoster derives the courses of the classes a row states and of those the registry holds).
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { RuntimeConfig } from '@lucy/runtime-config';
import { consolidar } from '../domain/consolidar.js';
import { planificar, type Plan } from '../domain/plan.js';
import type { Lectura } from '../fuentes/lectura.js';
import { AlumnoRepository } from '../persistence/alumno.repository.js';

export interface PlanDelLote {
  plan: Plan;
  /** Active students in the registry before the lote. */
  activos: number;
}

@Injectable()
export class PlanificacionService {
  constructor(
    private readonly alumnos: AlumnoRepository,
    private readonly runtime: RuntimeConfig<'ausenciasParaBaja' | 'aprobacionNuevos' | 'cursosOneRoster'>,
  ) {}

  /**
   * The lists the source read (if any) make the roll call; the rows the adapter found unusable join the
   * lote's invalid rows, in their place among the rest.
   */
  async planificar(
    m: EntityManager,
    { filas: crudas, errores, listas: leidas, avisos }: Lectura,
  ): Promise<PlanDelLote> {
    const lote = consolidar(crudas);
    lote.invalidas.push(...errores);
    const filas = [...crudas, ...errores];
    const conocidos = await this.alumnos.porDni(m, [
      ...lote.alumnos.map((a) => a.dni),
      ...lote.invalidas.flatMap((i) => (i.dni && /^\d+$/.test(i.dni) ? [i.dni] : [])),
    ]);
    const paseDeLista = leidas && {
      leidas,
      activos: await this.alumnos.paraPasarLista(
        m,
        leidas.map((l) => l.lista),
        [...new Set(leidas.flatMap((l) => [...l.dnis]))],
      ),
      ausenciasParaBaja: this.runtime.get('ausenciasParaBaja'),
    };
    const plan = planificar({
      filas,
      lote,
      conocidos,
      nuevoId: randomUUID,
      conAprobacion: this.runtime.get('aprobacionNuevos'),
      paseDeLista,
      avisos,
      mapa: this.runtime.get('cursosOneRoster'),
    });
    return { plan, activos: await this.alumnos.activos(m) };
  }
}
