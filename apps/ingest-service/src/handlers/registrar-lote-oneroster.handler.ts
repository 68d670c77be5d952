import { RegistrarLoteOneRoster } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { lecturaDeOneRoster } from '../oneroster/csv/oneroster-lectura.js';
import { RegistroService } from '../registro/registro.service.js';

@Handler(RegistrarLoteOneRoster)
export class RegistrarLoteOneRosterHandler {
  constructor(private readonly registro: RegistroService) {}

  // An operator uploaded a OneRoster CSV zip: the gateway hands over its files' rows; register the students
  // they state as one lote (or, as a dry run, only say what it would do).
  async handle(cmd: RegistrarLoteOneRoster, ctx: MessageContext) {
    const tx = { manager: ctx.manager, publish: ctx.publish.bind(ctx) };
    await this.registro.registrarSubida(tx, cmd, ctx.correlationId, () => lecturaDeOneRoster(cmd));
  }
}
