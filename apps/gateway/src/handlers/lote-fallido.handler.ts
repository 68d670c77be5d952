import { LoteFallido } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { LoteService } from '../lotes/lote.service.js';

/** The pull or upload could not be taken at all (SIAL refused us, for instance). */
@Handler(LoteFallido)
export class LoteFallidoHandler {
  constructor(private readonly lotes: LoteService) {}

  handle(evento: LoteFallido, ctx: MessageContext) {
    return this.lotes.onFallido(ctx.manager, evento);
  }
}
