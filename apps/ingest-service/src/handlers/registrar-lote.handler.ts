import { RegistrarLote } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { RegistroService } from '../registro/registro.service.js';
import { lecturaDeUpload } from '../upload/upload-lectura.js';

@Handler(RegistrarLote)
export class RegistrarLoteHandler {
  constructor(private readonly registro: RegistroService) {}

  // An operator uploaded a file: the gateway hands over its rows; register them as one lote (or, as a dry
  // run, only say what it would do).
  async handle(cmd: RegistrarLote, ctx: MessageContext) {
    const tx = { manager: ctx.manager, publish: ctx.publish.bind(ctx) };
    await this.registro.registrarSubida(tx, cmd, ctx.correlationId, () => lecturaDeUpload(cmd));
  }
}
