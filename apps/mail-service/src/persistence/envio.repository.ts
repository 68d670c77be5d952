// The envio rows. Two kinds of write, on purpose:
// - the lock and the first read run in the handler's transaction (ctx.manager);
// - the intent and the outcome are committed on their own, through the DataSource's pool, the moment
//   they are true: the intent before the email leaves (so a crash mid-send leaves a trace that stops a
//   blind resend), the outcome as soon as the server answered (so a failure of the handler's own
//   transaction afterwards cannot erase the fact that the email went out; the redelivery repeats the
//   event instead). Each is one statement, committed by itself.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ClaveEnvio } from '../domain/envio.js';
import { Envio } from './envio.entity.js';

export type Resultado = Pick<Envio, 'estado'> &
  Partial<Pick<Envio, 'permanente' | 'motivo' | 'codigo' | 'respuestaSmtp' | 'enviadoAt'>>;

@Injectable()
export class EnvioRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Serializes the tries for one clave, across replicas, until the handler's transaction ends. */
  async bloquear(manager: EntityManager, clave: ClaveEnvio): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `mail:envio:${clave.alumnoId}:${clave.plantilla}:${clave.credencialVersion}`,
    ]);
  }

  buscar(manager: EntityManager, clave: ClaveEnvio): Promise<Envio | null> {
    return manager.findOneBy(Envio, {
      alumnoId: clave.alumnoId,
      plantilla: clave.plantilla,
      credencialVersion: clave.credencialVersion,
    });
  }

  /** Commits "we are about to send this" (a new row, or another try of one the server refused for now). */
  async registrarIntento(
    previo: Envio | null,
    nuevo: Pick<
      Envio,
      'id' | 'alumnoId' | 'plantilla' | 'credencialVersion' | 'destinatario' | 'messageId' | 'correlationId'
    >,
  ): Promise<Envio> {
    const m = this.dataSource.manager;
    const limpio = {
      estado: 'enviando' as const,
      permanente: null,
      motivo: null,
      codigo: null,
      respuestaSmtp: null,
      enviadoAt: null,
    };
    if (previo) {
      const intento = {
        ...limpio,
        destinatario: nuevo.destinatario,
        correlationId: nuevo.correlationId,
        intentos: previo.intentos + 1,
      };
      await m.update(Envio, { id: previo.id }, intento);
      return { ...previo, ...intento };
    }
    const envio = m.create(Envio, { ...nuevo, ...limpio, intentos: 1 });
    await m.insert(Envio, envio);
    return envio;
  }

  /** Commits what the server said to this try (a later try's row is left alone). */
  async registrarResultado(envio: Envio, resultado: Resultado): Promise<Envio> {
    await this.dataSource.manager.update(Envio, { id: envio.id, intentos: envio.intentos }, resultado);
    return { ...envio, ...resultado };
  }
}
