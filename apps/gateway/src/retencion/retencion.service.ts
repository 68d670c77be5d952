// A retention run, as one thing an operator (or, later, the scheduled-jobs registry) starts: the gateway
// records the run and publishes PurgarRetencion to every service in one transaction, purges its own in the
// background, and collects the answers (RetencionAplicada / RetencionFallida) into the run's row. The run
// ends when every service has answered, or at its deadline (RETENCION_PLAZO_MS) with the silent ones
// reported sin_respuesta; its start and its end are in the audit trail.
import { ConflictException, Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { PurgarRetencion, recortarMotivo, type EdadesRetencion } from '@lucy/contracts';
import { MessagingRuntime } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { Page } from '../api/schemas.js';
import type { GatewayConfig } from '../config.js';
import { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { EjecucionRepository, type Ejecucion } from './ejecucion.repository.js';
import { PurgaGateway } from './purga-gateway.js';
import { desenlace, totales, type Resultado } from './retencion.reglas.js';

/** A run as the API shows it: the row, plus what it removed per kind over all services. */
export type InformeRetencion = Ejecucion & { totales: Record<string, number> };

const informe = (e: Ejecucion): InformeRetencion => ({ ...e, totales: totales(e.resultados) });

@Injectable()
export class RetencionService implements OnModuleDestroy {
  private readonly log = new Logger('Retencion');
  private readonly plazos = new Set<NodeJS.Timeout>();
  private readonly propias = new Set<Promise<void>>();
  private readonly cierre = new AbortController();

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly db: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly ejecuciones: EjecucionRepository,
    private readonly auditoria: AuditoriaRepository,
    private readonly configuracion: ConfiguracionService,
    private readonly purga: PurgaGateway,
  ) {}

  /** The gateway and every service it reports on (SERVICES), the gateway first. */
  private get servicios(): string[] {
    return [...new Set([this.config.SERVICE_NAME, ...this.config.SERVICES])];
  }

  /**
   * Starts a run with the configuration's ages (key `retencion`); `simular`: every service only counts.
   * Answers once the run is recorded and the command committed to the outbox, not when it ends. One run
   * at a time: while one is en_curso (before its deadline) another is refused (409).
   */
  async ejecutar(actor: string, opciones: { simular?: boolean } = {}): Promise<{ id: string }> {
    const simular = opciones.simular ?? false;
    const { valores } = await this.configuracion.actual();
    const edades = valores.retencion;
    const id = randomUUID();
    const servicios = this.servicios;
    await this.messaging.inTransaction(async ({ manager, publish }) => {
      const otra = await this.ejecuciones.enCurso(manager);
      if (otra) throw new ConflictException(`ya hay una ejecución de retención en curso: ${otra}`);
      await this.ejecuciones.crear(manager, {
        id,
        simulada: simular,
        actor,
        edades,
        servicios,
        plazoMs: this.config.RETENCION_PLAZO_MS,
      });
      await this.auditoria.registrar(manager, {
        evento: 'retencion.solicitada',
        actor,
        detalle: { ejecucionId: id, simulada: simular, edades, servicios },
      });
      publish(PurgarRetencion, { ejecucionId: id, simular, edades });
    });
    this.armarPlazo();
    this.purgarPropio(id, edades, simular);
    return { id };
  }

  /** A service's answer (or the gateway's own result), in `m`'s transaction. */
  async registrar(m: EntityManager, id: string, servicio: string, resultado: Resultado): Promise<void> {
    const e = await this.ejecuciones.bloquear(m, id);
    // Another gateway's run (a shared broker), or one this gateway no longer waits for.
    if (!e || !e.servicios.includes(servicio)) return;
    if (e.estado !== 'en_curso') {
      this.log.warn(`retención ${id}: ${servicio} respondió después del cierre (${e.estado}); queda sin_respuesta`);
      return;
    }
    if (e.resultados[servicio]) return; // a redelivered answer: the first one stands
    await this.cerrarSiCorresponde(m, e, { ...e.resultados, [servicio]: resultado }, e.vencida);
  }

  /** Closes the runs whose deadline passed, the silent services reported sin_respuesta. */
  async cerrarVencidas(): Promise<void> {
    for (const id of await this.ejecuciones.vencidas(this.db.manager))
      await this.db.transaction(async (m) => {
        const e = await this.ejecuciones.bloquear(m, id);
        if (e?.estado === 'en_curso') await this.cerrarSiCorresponde(m, e, e.resultados, true);
      });
  }

  async listar(limit: number, offset: number): Promise<Page<InformeRetencion>> {
    await this.cerrarVencidas();
    const { total, items } = await this.ejecuciones.listar(this.db.manager, limit, offset);
    return { total, limit, offset, items: items.map(informe) };
  }

  async una(id: string): Promise<InformeRetencion> {
    await this.cerrarVencidas();
    const e = await this.ejecuciones.una(this.db.manager, id);
    if (!e) throw new NotFoundException(`no hay una ejecución de retención ${id}`);
    return informe(e);
  }

  private async cerrarSiCorresponde(
    m: EntityManager,
    e: Ejecucion,
    resultados: Record<string, Resultado>,
    vencida: boolean,
  ): Promise<void> {
    const d = desenlace(e.servicios, resultados, vencida);
    await this.ejecuciones.guardar(m, e.id, d.estado, d.resultados);
    if (d.estado === 'en_curso') return;
    await this.auditoria.registrar(m, {
      evento: d.estado === 'terminada' ? 'retencion.terminada' : 'retencion.fallida',
      actor: e.actor,
      detalle: {
        ejecucionId: e.id,
        simulada: e.simulada,
        edades: e.edades,
        totales: totales(d.resultados),
        servicios: Object.fromEntries(Object.entries(d.resultados).map(([s, r]) => [s, r.estado])),
      },
    });
  }

  /** The gateway's own purge, after the answer: its result is recorded as any service's. */
  private purgarPropio(id: string, edades: EdadesRetencion, simular: boolean): void {
    const yo = this.config.SERVICE_NAME;
    const trabajo = this.purga
      .aplicar(edades, simular, this.cierre.signal)
      .then(
        (purgados): Resultado => ({ estado: 'aplicada', purgados, at: new Date().toISOString() }),
        (err: unknown): Resultado => {
          this.log.error(`retención ${id}: la purga del gateway falló: ${(err as Error).message}`);
          return {
            estado: 'fallida',
            motivo: recortarMotivo(String((err as Error).message)),
            at: new Date().toISOString(),
          };
        },
      )
      .then((r) => this.db.transaction((m) => this.registrar(m, id, yo, r)))
      .catch((err: unknown) =>
        this.log.error(`retención ${id}: no se registró el resultado del gateway: ${String(err)}`),
      )
      .finally(() => this.propias.delete(trabajo));
    this.propias.add(trabajo);
  }

  /** Closes the run at its deadline if answers are missing (also done on every read, after a restart). */
  private armarPlazo(): void {
    const t = setTimeout(() => {
      this.plazos.delete(t);
      this.cerrarVencidas().catch((err: unknown) => this.log.warn(`retención: cierre por plazo falló: ${String(err)}`));
    }, this.config.RETENCION_PLAZO_MS + 100);
    t.unref();
    this.plazos.add(t);
  }

  async onModuleDestroy(): Promise<void> {
    for (const t of this.plazos) clearTimeout(t);
    // A purge under way stops after its batch and records what it did before the pool closes.
    this.cierre.abort();
    await Promise.allSettled([...this.propias]);
  }
}
