// The roll call of a SIAL pull (domain/ausencias.ts) against the registry, in the pull's transaction:
// present students start their count again and follow the list they are in now; those absent from
// enough complete pulls of their list in a row are taken as leaving. Uploads never come here.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlumnoDatos } from '@lucy/contracts';
import { RuntimeConfig } from '@lucy/runtime-config';
import { pasarLista, type ListaLeida } from '../domain/ausencias.js';
import { AlumnoRepository } from '../persistence/alumno.repository.js';

export interface Ausente {
  id: string;
  datos: AlumnoDatos;
  /** The list they were missing from. */
  lista: string;
}

@Injectable()
export class PaseDeListaService {
  constructor(
    private readonly alumnos: AlumnoRepository,
    private readonly runtime: RuntimeConfig<'ausenciasParaBaja'>,
  ) {}

  /** Call after the pull's rows are written (a student a row marked leaving is no longer counted). */
  async pasar(m: EntityManager, leidas: readonly ListaLeida[]): Promise<Ausente[]> {
    const presentes = new Set(leidas.flatMap((l) => [...l.dnis]));
    const listados = await this.alumnos.paraPasarLista(
      m,
      leidas.map((l) => l.lista),
      [...presentes],
    );
    // Read at this pull: an operator may have changed it since the last one.
    const { cambios, bajas } = pasarLista(listados, leidas, this.runtime.get('ausenciasParaBaja'));
    await this.alumnos.fijarLista(m, cambios);
    await this.alumnos.darDeBaja(m, bajas, 'ausente');
    const datos = await this.alumnos.porId(m, bajas);
    const listaDe = new Map(listados.map((a) => [a.id, a.lista!]));
    return bajas.map((id) => ({ id, datos: datos.get(id)!, lista: listaDe.get(id)! }));
  }
}
