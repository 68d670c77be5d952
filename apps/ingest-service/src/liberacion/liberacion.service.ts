// Moves a lote's release window (domain/ventana.ts) in the database: expires overdue replies, releases
// the next items as AlumnoCreado / AlumnoActualizado through the caller's outbox, completes the lote. A
// new student held for an operator's approval takes no turn until approved (aprobar).
// Every move happens under the lote's row lock, so replicas and redeliveries never release an item
// twice, and it commits with the events it publishes, so a crash leaves no item released unpublished.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlumnoActualizado, AlumnoCreado, AlumnoEnEspera } from '@lucy/contracts';
import type { TransactionScope } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import { RuntimeConfig } from '@lucy/runtime-config';
import type { IngestConfig } from '../config.js';
import { loteCompleto, planificarLiberacion, vencidos } from '../domain/ventana.js';
import { AlumnoRepository } from '../persistence/alumno.repository.js';
import { LoteItemRepository, type ItemPorLiberar } from '../persistence/lote-item.repository.js';
import { LoteRepository } from '../persistence/lote.repository.js';

export type Publicar = TransactionScope['publish'];

/** Pending items read per round at most: bounds memory when a long run of updates is released at once. */
const TANDA = 500;

@Injectable()
export class LiberacionService {
  constructor(
    @InjectConfig() private readonly config: IngestConfig,
    private readonly runtime: RuntimeConfig<'loteTamano'>,
    private readonly lotes: LoteRepository,
    private readonly items: LoteItemRepository,
    private readonly alumnos: AlumnoRepository,
  ) {}

  /** Releases what the lote's window allows. The caller holds the lote's row lock (or just inserted it). */
  async liberar(m: EntityManager, loteId: string, publicar: Publicar): Promise<void> {
    const { items: liberados, ahora } = await this.items.enVuelo(m, loteId);
    const viejos = vencidos(liberados, ahora, this.config.BATCH_RELEASE_TIMEOUT_MS);
    await this.items.vencer(
      m,
      viejos.map((i) => i.id),
    );
    let enVuelo = liberados.length - viejos.length;
    // Read under the lote's lock, at this move: an operator may have changed it since the last one.
    const tamano = this.runtime.get('loteTamano');

    // A round reads (and locks) as many items as there are free slots: a reply frees one slot, and reading
    // 500 rows to release one was most of the rows ingest read under load. Updates take no slot, so a round
    // released whole reads again, twice as many, up to TANDA.
    let limite = Math.min(TANDA, Math.max(1, tamano - enVuelo));
    for (let despuesDe = '0'; ; limite = Math.min(TANDA, Math.max(tamano - enVuelo, 2 * limite))) {
      const pendientes = await this.items.pendientes(m, loteId, despuesDe, limite);
      if (pendientes.length === 0) break;
      const plan = planificarLiberacion(
        tamano,
        enVuelo,
        pendientes.map((p) => ({ ...p, esperaRespuesta: p.resultado === 'nuevo' })),
      );
      await this.publicar(m, loteId, plan.liberar, publicar);
      enVuelo += plan.liberar.filter((i) => i.esperaRespuesta).length;
      if (plan.lleno || plan.liberar.length < pendientes.length) break;
      despuesDe = pendientes.at(-1)!.id;
    }
    if (loteCompleto((await this.items.hayPendientes(m, loteId)) ? 1 : 0, enVuelo))
      await this.lotes.completar(m, loteId);
  }

  /**
   * A student's critical step answered (CuentaTeamsCreada or CuentaTeamsFallida): their slot is free in
   * every lote that awaited them, and those lotes release their next items.
   */
  async alumnoTerminado(m: EntityManager, alumnoId: string, publicar: Publicar): Promise<void> {
    // Lock the lotes first, then their items: the same order as every other move of a window.
    for (const loteId of await this.items.lotesQueEsperanA(m, alumnoId)) {
      const lote = await this.lotes.bloquear(m, loteId);
      if (!lote || lote.estado !== 'en_curso') continue;
      if ((await this.items.terminarDeAlumno(m, loteId, alumnoId)) === 0) continue;
      await this.liberar(m, loteId, publicar);
    }
  }

  /**
   * An operator approved a student held for approval: in each lote that holds them (usually one) they take
   * their turn in its window — reopened if it had completed meanwhile. One who left while waiting (marked
   * leaving, or absent) is not onboarded: their item is done and the gateway told they no longer wait.
   * Nothing for a student who does not wait (approved before, or never held).
   */
  async aprobar(m: EntityManager, alumnoId: string, publicar: Publicar): Promise<void> {
    for (const loteId of await this.items.lotesQueRetienenA(m, alumnoId)) {
      const lote = await this.lotes.bloquear(m, loteId);
      if (!lote) continue;
      if (await this.alumnos.deBaja(m, alumnoId)) {
        if ((await this.items.soltar(m, loteId, alumnoId, 'done')) === 0) continue;
        const alumno = (await this.alumnos.porId(m, [alumnoId])).get(alumnoId)!;
        publicar(AlumnoEnEspera, { alumnoId, loteId, alumno, enEspera: false });
        continue;
      }
      if ((await this.items.soltar(m, loteId, alumnoId, 'pending')) === 0) continue;
      await this.lotes.reabrir(m, loteId);
      await this.liberar(m, loteId, publicar);
    }
  }

  private async publicar(
    m: EntityManager,
    loteId: string,
    items: readonly ItemPorLiberar[],
    publicar: Publicar,
  ): Promise<void> {
    if (items.length === 0) return;
    const alumnos = await this.alumnos.porId(
      m,
      items.map((i) => i.alumnoId),
    );
    // A student still held for approval has no onboarding to update: their AlumnoCreado, when approved,
    // carries the registry's latest data (the gateway heard the change as AlumnoEnEspera).
    const retenidos = await this.items.retenidos(
      m,
      items.filter((i) => i.resultado === 'actualizado').map((i) => i.alumnoId),
    );
    for (const item of items) {
      const alumno = alumnos.get(item.alumnoId)!;
      if (item.resultado === 'nuevo') publicar(AlumnoCreado, { alumnoId: item.alumnoId, loteId, alumno });
      else if (retenidos.has(item.alumnoId)) continue;
      else
        publicar(AlumnoActualizado, {
          alumnoId: item.alumnoId,
          loteId,
          alumno,
          cambios: item.cambios ?? [],
          ...(item.anterior ? { anterior: item.anterior } : {}),
        });
    }
    await this.items.marcarLiberados(
      m,
      items.filter((i) => i.resultado === 'nuevo').map((i) => i.id),
      items.filter((i) => i.resultado !== 'nuevo').map((i) => i.id),
    );
  }
}
