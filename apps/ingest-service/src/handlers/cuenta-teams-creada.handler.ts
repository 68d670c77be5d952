import { CuentaTeamsCreada } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { LiberacionService } from '../liberacion/liberacion.service.js';

@Handler(CuentaTeamsCreada)
export class CuentaTeamsCreadaHandler {
  constructor(private readonly liberacion: LiberacionService) {}

  // A student has their account: their lote's window has room for the next one.
  async handle(evento: CuentaTeamsCreada, ctx: MessageContext) {
    await this.liberacion.alumnoTerminado(ctx.manager, evento.alumnoId, ctx.publish.bind(ctx));
  }
}
