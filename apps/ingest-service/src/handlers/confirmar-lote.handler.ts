import { ConfirmarLote } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { PlanesService } from '../registro/planes.service.js';
import { RegistroService } from '../registro/registro.service.js';

@Handler(ConfirmarLote)
export class ConfirmarLoteHandler {
  constructor(
    private readonly registro: RegistroService,
    private readonly planes: PlanesService,
  ) {}

  // An operator saw the lote's plan and confirmed (or approved) it: apply it as it was shown, once.
  async handle(cmd: ConfirmarLote, ctx: MessageContext) {
    const tx = { manager: ctx.manager, publish: ctx.publish.bind(ctx) };
    if (await this.registro.responderSiRegistrado(tx, cmd.loteId)) return;
    await this.planes.confirmar(tx, cmd);
  }
}
