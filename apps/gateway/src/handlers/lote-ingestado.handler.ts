import { LoteIngestado } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { LoteService } from '../lotes/lote.service.js';

/** ingest-service took the pull or upload: record its counts, invalid rows and students. */
@Handler(LoteIngestado)
export class LoteIngestadoHandler {
  constructor(private readonly lotes: LoteService) {}

  handle(evento: LoteIngestado, ctx: MessageContext) {
    return this.lotes.onIngestado(ctx.manager, evento);
  }
}
