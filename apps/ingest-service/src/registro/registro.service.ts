// A lote's rows into the registry, in the handler's transaction: validate and consolidate, compare with
// the registry, write the new, changed, leaving and returning students, take the roll call of a SIAL
// pull, record the lote and its items, answer the gateway (LoteIngestado), send the bajas and retornos,
// and release the first window of AlumnoCreado / AlumnoActualizado.
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AlumnoDadoDeBaja, AlumnoRetornado, LoteFallido, LoteIngestado, type BajaDesconocida } from '@lucy/contracts';
import { TransientError } from '@lucy/messaging';
import type { ListaLeida } from '../domain/ausencias.js';
import { clasificar } from '../domain/cambios.js';
import { consolidar } from '../domain/consolidar.js';
import type { FilaCruda } from '../domain/fila.js';
import { LiberacionService, type Publicar } from '../liberacion/liberacion.service.js';
import type { MotivoBajaRegistro } from '../persistence/alumno.entity.js';
import { AlumnoRepository, type AlumnoRegistrado } from '../persistence/alumno.repository.js';
import { LoteItemRepository, type ItemNuevo } from '../persistence/lote-item.repository.js';
import { LoteRepository, type LoteNuevo } from '../persistence/lote.repository.js';
import { PaseDeListaService } from './pase-de-lista.service.js';

export interface Transaccion {
  manager: EntityManager;
  publish: Publicar;
}

interface Baja extends AlumnoRegistrado {
  motivo: MotivoBajaRegistro;
}

@Injectable()
export class RegistroService {
  private readonly log = new Logger('Registro');

  constructor(
    private readonly alumnos: AlumnoRepository,
    private readonly lotes: LoteRepository,
    private readonly items: LoteItemRepository,
    private readonly liberacion: LiberacionService,
    private readonly paseDeLista: PaseDeListaService,
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
      bajas: lote.bajas,
      retornos: lote.retornos,
      bajasDesconocidas: lote.bajasDesconocidas,
    });
    return true;
  }

  /**
   * `leidas`: the SIAL lists a pull read whole, for its roll call of absences; none for an upload, which
   * is no list of anybody (absences never count on it).
   */
  async registrar(
    tx: Transaccion,
    lote: LoteNuevo,
    filas: readonly FilaCruda[],
    leidas?: readonly ListaLeida[],
  ): Promise<void> {
    const m = tx.manager;
    const { alumnos, invalidas } = consolidar(filas);
    const conocidos = await this.alumnos.porDni(m, [
      ...alumnos.map((a) => a.dni),
      ...invalidas.flatMap((i) => (i.dni && /^\d+$/.test(i.dni) ? [i.dni] : [])),
    ]);

    const nuevos: AlumnoRegistrado[] = [];
    const cambiados: AlumnoRegistrado[] = [];
    const bajas: Baja[] = [];
    const retornos: AlumnoRegistrado[] = [];
    const bajasDesconocidas: BajaDesconocida[] = [];
    let sinCambios = 0;
    const items: (ItemNuevo & { orden: number })[] = [];
    const orden = new Map(filas.map((f, i) => [`${f.fuente}#${f.fila}`, i]));
    const posicion = (f: { fuente: string; fila: number }) => orden.get(`${f.fuente}#${f.fila}`) ?? 0;

    for (const a of alumnos) {
      const previo = conocidos.get(a.dni);
      const r = clasificar(previo, a.datos);
      const id = previo?.id ?? randomUUID();
      const item = { orden: posicion(a), fila: a.fila, fuente: a.fuente, dni: a.dni, alumnoId: id, cambios: null };
      switch (r.resultado) {
        case 'nuevo':
          nuevos.push({ id, datos: r.datos });
          items.push({ ...item, resultado: 'nuevo', releaseState: 'pending' });
          break;
        case 'actualizado':
          cambiados.push({ id, datos: r.datos });
          items.push({
            ...item,
            resultado: 'actualizado',
            cambios: r.cambios,
            anterior: r.anterior,
            releaseState: 'pending',
          });
          break;
        case 'sin_cambios':
          sinCambios++;
          items.push({ ...item, resultado: 'sin_cambios', releaseState: null });
          break;
        // Bajas and retornos hold no slot in the window (nothing answers them to ingest): they go out now.
        case 'baja':
          bajas.push({ id, datos: r.datos, motivo: r.motivo });
          items.push({ ...item, resultado: 'baja', motivo: r.motivo, releaseState: 'done' });
          break;
        case 'retorno':
          retornos.push({ id, datos: r.datos });
          items.push({ ...item, resultado: 'retorno', cambios: r.cambios, releaseState: 'done' });
          break;
        case 'baja_desconocida':
          bajasDesconocidas.push({ fila: a.fila, fuente: a.fuente, dni: a.dni, estado: r.motivo });
          items.push({ ...item, alumnoId: null, resultado: 'baja_desconocida', releaseState: null });
          break;
      }
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
    await this.alumnos.actualizar(m, [...cambiados, ...bajas, ...retornos]);
    for (const motivo of ['baja', 'egresado'] as const)
      await this.alumnos.darDeBaja(
        m,
        bajas.filter((b) => b.motivo === motivo).map((b) => b.id),
        motivo,
      );
    await this.alumnos.retornar(
      m,
      retornos.map((r) => r.id),
    );
    // After the rows: a student this lote marked leaving is no longer counted, one it brought back is.
    for (const ausente of leidas ? await this.paseDeLista.pasar(m, leidas) : []) {
      bajas.push({ id: ausente.id, datos: ausente.datos, motivo: 'ausente' });
      items.push({
        orden: filas.length,
        fila: null,
        fuente: ausente.lista,
        dni: ausente.datos.dni,
        alumnoId: ausente.id,
        resultado: 'baja',
        cambios: null,
        motivo: 'ausente',
        releaseState: 'done',
      });
    }

    const enMarcha = nuevos.length + cambiados.length;
    const conteos = {
      total: filas.length,
      nuevos: nuevos.length,
      actualizados: cambiados.length,
      sinCambios,
      filasInvalidas: invalidas,
      bajas: bajas.length,
      retornos: retornos.length,
      bajasDesconocidas,
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
      bajas: conteos.bajas,
      retornos: conteos.retornos,
      bajasDesconocidas,
    });
    for (const b of bajas)
      tx.publish(AlumnoDadoDeBaja, { alumnoId: b.id, loteId: lote.id, alumno: b.datos, motivo: b.motivo });
    for (const r of retornos) tx.publish(AlumnoRetornado, { alumnoId: r.id, loteId: lote.id, alumno: r.datos });
    this.log.log({
      msg: 'lote registered',
      loteId: lote.id,
      origen: lote.origen,
      total: conteos.total,
      nuevos: conteos.nuevos,
      actualizados: conteos.actualizados,
      sinCambios,
      invalidos: invalidas.length,
      bajas: conteos.bajas,
      retornos: conteos.retornos,
      bajasDesconocidas: bajasDesconocidas.length,
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
