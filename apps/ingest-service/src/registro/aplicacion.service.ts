// A lote's plan into the registry, in the handler's transaction: write the new, changed, leaving and
// returning students and the roll call, record the lote and its items, answer the gateway (LoteIngestado),
// send the bajas, retornos and the students held for approval, and release the first window of
// AlumnoCreado / AlumnoActualizado. The plan was made at once, or kept and confirmed: the same writes.
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlumnoDadoDeBaja, AlumnoEnEspera, AlumnoRetornado, LoteIngestado } from '@lucy/contracts';
import { TransientError } from '@lucy/messaging';
import { soloClases, type ItemDelPlan, type Plan } from '../domain/plan.js';
import { LiberacionService, type Publicar } from '../liberacion/liberacion.service.js';
import { AlumnoRepository } from '../persistence/alumno.repository.js';
import type { ReleaseState } from '../persistence/lote-item.entity.js';
import { LoteItemRepository, type ItemNuevo } from '../persistence/lote-item.repository.js';
import { LoteRepository, type LoteNuevo } from '../persistence/lote.repository.js';

export interface Transaccion {
  manager: EntityManager;
  publish: Publicar;
}

/** Bajas and retornos hold no slot in the window (nothing answers them to ingest): they go out now. */
const LIBERACION: Record<ItemDelPlan['resultado'], ReleaseState | null> = {
  nuevo: 'pending',
  actualizado: 'pending',
  baja: 'done',
  retorno: 'done',
  sin_cambios: null,
  invalido: null,
  baja_desconocida: null,
};

@Injectable()
export class AplicacionService {
  private readonly log = new Logger('Registro');

  constructor(
    private readonly alumnos: AlumnoRepository,
    private readonly lotes: LoteRepository,
    private readonly items: LoteItemRepository,
    private readonly liberacion: LiberacionService,
  ) {}

  async aplicar(tx: Transaccion, lote: LoteNuevo, plan: Plan): Promise<void> {
    const m = tx.manager;
    const de = (...r: ItemDelPlan['resultado'][]) => plan.items.filter((i) => r.includes(i.resultado));
    const registrado = (i: ItemDelPlan) => ({ id: i.alumnoId!, datos: i.alumno!, clases: i.clases ?? null });
    const nuevos = de('nuevo');
    const cambiados = de('actualizado');
    const bajas = de('baja');
    const deFila = bajas.filter((b) => b.fila !== null);
    const ausentes = bajas.filter((b) => b.fila === null);
    const retornos = de('retorno');

    await this.alumnos.insertar(m, nuevos.map(registrado));
    await this.alumnos.actualizar(
      m,
      [...cambiados, ...deFila, ...retornos, ...plan.items.filter(soloClases)].map(registrado),
    );
    for (const motivo of ['baja', 'egresado'] as const)
      await this.alumnos.darDeBaja(
        m,
        deFila.filter((b) => b.motivo === motivo).map((b) => b.alumnoId!),
        motivo,
      );
    await this.alumnos.retornar(
      m,
      retornos.map((r) => r.alumnoId!),
    );
    // After the rows: the roll call was planned over the registry as they leave it.
    await this.alumnos.fijarLista(
      m,
      plan.pase.map(({ id, lista, ausencias }) => ({ id, lista, ausencias })),
    );
    await this.alumnos.darDeBaja(
      m,
      ausentes.map((a) => a.alumnoId!),
      'ausente',
    );

    const items: ItemNuevo[] = plan.items.map((i) => ({
      fila: i.fila,
      fuente: i.fuente,
      dni: i.dni,
      alumnoId: i.alumnoId,
      resultado: i.resultado,
      cambios: i.resultado === 'actualizado' || i.resultado === 'retorno' ? i.cambios : null,
      motivo: i.motivo,
      anterior: i.resultado === 'actualizado' ? (i.previo?.datos ?? null) : null,
      releaseState: i.enEspera ? 'held' : LIBERACION[i.resultado],
    }));
    const enMarcha = items.filter((i) => i.releaseState === 'pending').length;
    if (!(await this.lotes.guardarIngestado(m, lote, plan.conteos, enMarcha > 0 ? 'en_curso' : 'completado'))) {
      // Another delivery registered this lote id while we read SIAL: roll back; the retry answers.
      throw new TransientError(`lote ${lote.id} was registered meanwhile`, 'lote-concurrente');
    }
    await this.items.insertar(m, lote.id, items);

    const c = plan.conteos;
    tx.publish(LoteIngestado, {
      loteId: lote.id,
      origen: lote.origen,
      total: c.total,
      nuevos: c.nuevos,
      actualizados: c.actualizados,
      sinCambios: c.sinCambios,
      invalidos: c.filasInvalidas,
      // Those held for approval too: the lote is not done until they are onboarded.
      alumnoIds: items.filter((i) => i.releaseState === 'pending' || i.releaseState === 'held').map((i) => i.alumnoId!),
      bajas: c.bajas,
      retornos: c.retornos,
      bajasDesconocidas: c.bajasDesconocidas,
      avisos: c.avisos ?? [],
    });
    for (const b of bajas)
      tx.publish(AlumnoDadoDeBaja, { alumnoId: b.alumnoId!, loteId: lote.id, alumno: b.alumno!, motivo: b.motivo! });
    for (const r of retornos)
      tx.publish(AlumnoRetornado, { alumnoId: r.alumnoId!, loteId: lote.id, alumno: r.alumno! });
    for (const n of nuevos.filter((i) => i.enEspera))
      tx.publish(AlumnoEnEspera, { alumnoId: n.alumnoId!, loteId: lote.id, alumno: n.alumno!, enEspera: true });
    // A student still waiting for approval from an earlier lote: the gateway shows them with their new data.
    const retenidos = await this.items.retenidos(
      m,
      [...cambiados, ...bajas, ...retornos].map((i) => i.alumnoId!),
    );
    for (const i of [...cambiados, ...bajas, ...retornos].filter((x) => retenidos.has(x.alumnoId!)))
      tx.publish(AlumnoEnEspera, {
        alumnoId: i.alumnoId!,
        loteId: retenidos.get(i.alumnoId!)!,
        alumno: i.alumno!,
        enEspera: true,
      });
    this.log.log({
      msg: 'lote registered',
      loteId: lote.id,
      origen: lote.origen,
      total: c.total,
      nuevos: c.nuevos,
      actualizados: c.actualizados,
      sinCambios: c.sinCambios,
      invalidos: c.filasInvalidas.length,
      bajas: c.bajas,
      retornos: c.retornos,
      bajasDesconocidas: c.bajasDesconocidas.length,
      enEspera: plan.enEspera,
    });
    await this.liberacion.liberar(m, lote.id, tx.publish);
  }
}
