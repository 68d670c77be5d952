// A lote's rows into the registry, in the handler's transaction: validate and consolidate, compare with
// the registry, write the new and changed students, record the lote and its items, answer the gateway
// (LoteIngestado) and release the first window of AlumnoCreado / AlumnoActualizado.
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { LoteFallido, LoteIngestado } from '@lucy/contracts';
import { TransientError } from '@lucy/messaging';
import { clasificar } from '../domain/cambios.js';
import { consolidar } from '../domain/consolidar.js';
import type { FilaCruda } from '../domain/fila.js';
import { LiberacionService, type Publicar } from '../liberacion/liberacion.service.js';
import { AlumnoRepository, type AlumnoRegistrado } from '../persistence/alumno.repository.js';
import { LoteItemRepository, type ItemNuevo } from '../persistence/lote-item.repository.js';
import { LoteRepository, type LoteNuevo } from '../persistence/lote.repository.js';

export interface Transaccion {
  manager: EntityManager;
  publish: Publicar;
}

@Injectable()
export class RegistroService {
  private readonly log = new Logger('Registro');

  constructor(
    private readonly alumnos: AlumnoRepository,
    private readonly lotes: LoteRepository,
    private readonly items: LoteItemRepository,
    private readonly liberacion: LiberacionService,
  ) {}

  /**
   * The gateway sent this lote id before (a retry of its own, not a redelivery the inbox catches) and
   * it was registered: answer again with what it came to, and do nothing else. A failed lote may run again.
   */
  async responderSiYaRegistrado(tx: Transaccion, loteId: string): Promise<boolean> {
    const lote = await this.lotes.buscar(tx.manager, loteId);
    if (!lote || lote.estado === 'fallido') return false;
    this.log.log({ msg: 'lote already registered; answering again', loteId });
    tx.publish(LoteIngestado, {
      loteId,
      origen: lote.origen,
      total: lote.total,
      nuevos: lote.nuevos,
      actualizados: lote.actualizados,
      sinCambios: lote.sinCambios,
      invalidos: lote.filasInvalidas,
      alumnoIds: await this.items.alumnosEnMarcha(tx.manager, loteId),
    });
    return true;
  }

  async registrar(tx: Transaccion, lote: LoteNuevo, filas: readonly FilaCruda[]): Promise<void> {
    const m = tx.manager;
    const { alumnos, invalidas } = consolidar(filas);
    const conocidos = await this.alumnos.porDni(m, [
      ...alumnos.map((a) => a.dni),
      ...invalidas.flatMap((i) => (i.dni && /^\d+$/.test(i.dni) ? [i.dni] : [])),
    ]);

    const nuevos: AlumnoRegistrado[] = [];
    const cambiados: AlumnoRegistrado[] = [];
    let sinCambios = 0;
    const items: (ItemNuevo & { orden: number })[] = [];
    const orden = new Map(filas.map((f, i) => [`${f.fuente}#${f.fila}`, i]));
    const posicion = (f: { fuente: string; fila: number }) => orden.get(`${f.fuente}#${f.fila}`) ?? 0;

    for (const a of alumnos) {
      const previo = conocidos.get(a.dni);
      const r = clasificar(previo?.datos, a.datos);
      const id = previo?.id ?? randomUUID();
      if (r.resultado === 'nuevo') nuevos.push({ id, datos: r.datos });
      else if (r.resultado === 'actualizado') cambiados.push({ id, datos: r.datos });
      else sinCambios++;
      items.push({
        orden: posicion(a),
        fila: a.fila,
        fuente: a.fuente,
        dni: a.dni,
        alumnoId: id,
        resultado: r.resultado,
        cambios: r.resultado === 'actualizado' ? r.cambios : null,
        releaseState: r.resultado === 'sin_cambios' ? null : 'pending',
      });
    }
    for (const i of invalidas) {
      items.push({
        orden: posicion(i),
        fila: i.fila,
        fuente: i.fuente,
        dni: i.dni,
        alumnoId: (i.dni && conocidos.get(i.dni)?.id) || null,
        resultado: 'invalido',
        cambios: null,
        releaseState: null,
      });
    }
    items.sort((x, y) => x.orden - y.orden);

    await this.alumnos.insertar(m, nuevos);
    await this.alumnos.actualizar(m, cambiados);
    const enMarcha = nuevos.length + cambiados.length;
    const conteos = {
      total: filas.length,
      nuevos: nuevos.length,
      actualizados: cambiados.length,
      sinCambios,
      filasInvalidas: invalidas,
    };
    if (!(await this.lotes.guardarIngestado(m, lote, conteos, enMarcha > 0 ? 'en_curso' : 'completado'))) {
      // Another delivery registered this lote id while we read SIAL: roll back; the retry answers.
      throw new TransientError(`lote ${lote.id} was registered meanwhile`, 'lote-concurrente');
    }
    await this.items.insertar(
      m,
      lote.id,
      items.map(({ orden: _, ...item }) => item),
    );

    tx.publish(LoteIngestado, {
      loteId: lote.id,
      origen: lote.origen,
      total: conteos.total,
      nuevos: conteos.nuevos,
      actualizados: conteos.actualizados,
      sinCambios,
      invalidos: invalidas,
      alumnoIds: items.filter((i) => i.releaseState === 'pending').map((i) => i.alumnoId!),
    });
    this.log.log({
      msg: 'lote registered',
      loteId: lote.id,
      origen: lote.origen,
      total: conteos.total,
      nuevos: conteos.nuevos,
      actualizados: conteos.actualizados,
      sinCambios,
      invalidos: invalidas.length,
    });
    await this.liberacion.liberar(m, lote.id, tx.publish);
  }

  /** The lote could not be read: recorded, and the gateway told whether retrying could help. */
  async fallido(tx: Transaccion, lote: LoteNuevo, motivo: string, permanente: boolean): Promise<void> {
    await this.lotes.guardarFallido(tx.manager, lote, motivo);
    tx.publish(LoteFallido, { loteId: lote.id, motivo, permanente });
    this.log.warn({ msg: 'lote failed', loteId: lote.id, motivo, permanente });
  }
}
