// Every service's circuit breakers: the last state each one announced (BreakerCambiado, kept in
// breaker_estado) joined with what the service says right now in /health/ready. A reset is a
// ReiniciarBreaker command; the service answers with BreakerCambiado, which updates the table.
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ReiniciarBreaker, type BreakerCambiado } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { TareaService } from '../tareas/tarea.service.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { BreakerRepository } from './breaker.repository.js';
import { HealthClient } from './health.client.js';

export interface Breaker {
  dependencia: string;
  /** closed, open, half-open; null when only the event table knows of it and the service is unreachable. */
  estado: string | null;
  desde: string | null;
  motivo: string | null;
  /** 'servicio': read live from /health/ready; 'evento': the last BreakerCambiado heard. */
  fuente: 'servicio' | 'evento';
  ultimoEvento: { estado: string; at: string; motivo: string | null } | null;
  limite: unknown;
}

@Injectable()
export class BreakerService {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly auditoria: AuditoriaRepository,
    private readonly db: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly salud: HealthClient,
    private readonly tareas: TareaService,
    private readonly repo: BreakerRepository,
  ) {}

  /** Applies an announced change unless a later one was already recorded (events may arrive out of order). */
  registrarCambio(m: EntityManager, e: BreakerCambiado): Promise<void> {
    return this.repo.registrarCambio(m, e);
  }

  async todos(): Promise<{ servicio: string; alcanzable: boolean; error: string | null; breakers: Breaker[] }[]> {
    const [salud, filas] = await Promise.all([this.salud.todas(), this.repo.todos(this.db.manager)]);
    return salud.map((s) => {
      const eventos = new Map<string, Record<string, any>>(
        filas
          .filter((f: { servicio: string }) => f.servicio === s.servicio)
          .map((f: { dependencia: string }) => [f.dependencia, f]),
      );
      const vivos = Object.entries(s.detalles).filter(([k]) => k.startsWith('breaker:'));
      const nombres = new Set([...vivos.map(([k]) => k.slice('breaker:'.length)), ...eventos.keys()]);
      const breakers = [...nombres].sort().map((dependencia): Breaker => {
        const vivo = s.detalles[`breaker:${dependencia}`] as
          { state?: string; since?: string; lastFailure?: string | null; rateLimit?: unknown } | undefined;
        const ev = eventos.get(dependencia);
        const ultimoEvento = ev ? { estado: ev.estado, at: ev.at.toISOString(), motivo: ev.motivo } : null;
        if (vivo?.state)
          return {
            dependencia,
            estado: vivo.state,
            desde: vivo.since ?? null,
            motivo: vivo.lastFailure ?? null,
            fuente: 'servicio',
            ultimoEvento,
            limite: vivo.rateLimit ?? null,
          };
        return {
          dependencia,
          estado: ev?.estado ?? null,
          desde: ultimoEvento?.at ?? null,
          motivo: ev?.motivo ?? null,
          fuente: 'evento',
          ultimoEvento,
          limite: null,
        };
      });
      return { servicio: s.servicio, alcanzable: s.alcanzable, error: s.error, breakers };
    });
  }

  /** The dependencies a service has a breaker for: what its /health/ready shows now, and what it announced before. */
  private async dependencias(servicio: string): Promise<string[]> {
    const [salud, filas] = await Promise.all([
      this.salud.de(servicio),
      this.repo.dependencias(this.db.manager, servicio),
    ]);
    const vivas = Object.keys(salud.detalles)
      .filter((k) => k.startsWith('breaker:'))
      .map((k) => k.slice('breaker:'.length));
    return [...new Set([...vivas, ...filas])].sort();
  }

  async reiniciar(servicio: string, dependencia: string, actor: string) {
    if (!this.config.SERVICES.includes(servicio))
      throw new NotFoundException(`no hay un servicio "${servicio}" (servicios: ${this.config.SERVICES.join(', ')})`);
    const conocidas = await this.dependencias(servicio);
    if (!conocidas.includes(dependencia)) {
      throw new NotFoundException(
        `${servicio} no tiene un breaker "${dependencia}" (${conocidas.length ? `tiene: ${conocidas.join(', ')}` : 'no informa ninguno: ¿está caído?'})`,
      );
    }
    const correlationId = `breaker-${randomUUID()}`;
    const tareaId = await this.messaging.inTransaction(
      async ({ manager, publish }) => {
        publish(ReiniciarBreaker, { servicio, dependencia });
        await this.auditoria.registrar(manager, {
          evento: 'accion.reiniciar-breaker',
          actor,
          correlationId,
          detalle: { servicio, dependencia },
        });
        return this.tareas.registrar(
          { tipo: 'breaker', actor, estado: 'completada', total: 1, exitosos: 1, detalle: { servicio, dependencia } },
          manager,
        );
      },
      { correlationId },
    );
    return {
      servicio,
      dependencia,
      comando: ReiniciarBreaker.name,
      tareaId,
      nota: 'el servicio responde con BreakerCambiado; GET /api/v1/breakers muestra el estado nuevo',
    };
  }
}
