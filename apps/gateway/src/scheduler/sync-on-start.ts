// For a newcomer's first `npm start`: pull the sandbox's demo cohort once, so students appear within a
// minute without touching the API. Off unless SYNC_ON_START is set (npm start sets it).
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { FUENTES_SIAL } from '@lucy/contracts';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { LoteService } from '../lotes/lote.service.js';

@Injectable()
export class SyncOnStart implements OnApplicationBootstrap {
  private readonly log = new Logger('SyncOnStart');

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly lotes: LoteService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SYNC_ON_START) return;
    const { loteId } = await this.lotes.sincronizarSial([...FUENTES_SIAL], 'arranque');
    this.log.log({ loteId }, `demo cohort requested: GET /api/v1/lotes/${loteId}`);
  }
}
