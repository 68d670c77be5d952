import { DescartarLote } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { PlanesService } from '../registro/planes.service.js';

@Handler(DescartarLote)
export class DescartarLoteHandler {
  constructor(private readonly planes: PlanesService) {}

  // An operator dropped the lote's plan: it is never applied.
  async handle(cmd: DescartarLote, ctx: MessageContext) {
    await this.planes.descartar({ manager: ctx.manager, publish: ctx.publish.bind(ctx) }, cmd);
  }
}
