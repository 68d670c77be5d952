// An operator changed loteTamano (the gateway's config API, applied by libs/runtime-config): a larger
// window lets more students of the lotes already in progress go now, not at their next reply or sweep.
// Every replica runs this pass once it applies the change. A smaller window needs none: nothing released
// is recalled, and nobody new goes until fewer than the new size are in flight (domain/ventana.ts).
//
// Unlike the sweep, this pass waits for a lote's lock instead of skipping it: the holder may be moving
// the window with the old size (a reply handled by a replica that has not applied the change yet), and
// only a move after it is sure to fill the window with the new one. One lote per transaction, as every
// other move takes them, so the wait is one move long and cannot deadlock.
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessagingRuntime } from '@lucy/messaging';
import { RuntimeConfig } from '@lucy/runtime-config';
import { ventanaAmpliada } from '../domain/ventana.js';
import { LoteRepository } from '../persistence/lote.repository.js';
import { LiberacionService } from './liberacion.service.js';

@Injectable()
export class LoteTamanoListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('LoteTamanoListener');
  private tamano = 0;
  private running?: Promise<void>;
  private again = false;
  private closed = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly runtime: RuntimeConfig<'loteTamano'>,
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly lotes: LoteRepository,
    private readonly liberacion: LiberacionService,
  ) {}

  onApplicationBootstrap(): void {
    // From here on: the value read at start (the stored version's, if any) is the one lotes already use.
    this.tamano = this.runtime.get('loteTamano');
    this.unsubscribe = this.runtime.onChange((keys) => {
      if (!keys.includes('loteTamano')) return;
      const antes = this.tamano;
      this.tamano = this.runtime.get('loteTamano');
      if (ventanaAmpliada(antes, this.tamano)) this.programar();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    await this.running;
  }

  /** One pass at a time; a change during a pass earns one more after it (lotes it already moved). */
  private programar(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.liberarConVentanaNueva()
      .catch((err) =>
        this.log.warn({
          msg: 'release pass after a loteTamano change failed; replies and the sweep move those lotes',
          err: String(err),
        }),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.programar();
        }
      });
  }

  /** Moves the window of every lote with students still pending, each under its lock, at the size now in force. */
  async liberarConVentanaNueva(): Promise<void> {
    for (const { id, correlationId } of await this.lotes.enCursoConPendientes(this.dataSource.manager)) {
      if (this.closed) return;
      await this.messaging
        .inTransaction(
          async ({ manager, publish }) => {
            const lote = await this.lotes.bloquear(manager, id);
            if (lote?.estado === 'en_curso') await this.liberacion.liberar(manager, id, publish);
          },
          { correlationId, causationId: null },
        )
        // One lote failing (a database blip) must not keep the others waiting for their next reply.
        .catch((err) =>
          this.log.warn({
            msg: 'could not widen a lote after a loteTamano change; its replies and the sweep move it',
            loteId: id,
            err: String(err),
          }),
        );
    }
  }
}
