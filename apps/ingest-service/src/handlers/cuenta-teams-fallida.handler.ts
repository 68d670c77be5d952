import { CuentaTeamsFallida } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { LiberacionService } from '../liberacion/liberacion.service.js';

@Handler(CuentaTeamsFallida)
export class CuentaTeamsFallidaHandler {
  constructor(private readonly liberacion: LiberacionService) {}

  // A student's account could not be made: their onboarding ends there, and their slot is free.
  async handle(evento: CuentaTeamsFallida, ctx: MessageContext) {
    await this.liberacion.alumnoTerminado(ctx.manager, evento.alumnoId, ctx.publish.bind(ctx));
  }
}
