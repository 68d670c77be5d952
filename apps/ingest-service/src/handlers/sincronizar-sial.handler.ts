import { LoteFallido, SincronizarSial } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { RegistroService } from '../registro/registro.service.js';
import { lecturaDeSial, type PullSial } from '../sial/sial-lectura.js';
import { SialClient } from '../sial/sial.client.js';

// Bad credentials will not heal by retrying; anything else is retried by the transport, and on the last
// attempt the gateway is told (not left waiting for a message parked here). SIAL's breaker open is no
// failure of this pull: it waits in RabbitMQ, even past its last attempt, until SIAL is back.
@Handler(SincronizarSial, {
  onFailure: { event: LoteFallido, payload: (cmd, fallo) => ({ loteId: cmd.loteId, ...fallo }) },
})
export class SincronizarSialHandler {
  constructor(
    private readonly sial: SialClient,
    private readonly registro: RegistroService,
  ) {}

  // The gateway asks for a pull: read the lists from SIAL and register what they bring, as one lote (or,
  // as a dry run, only say what it would do).
  async handle(cmd: SincronizarSial, ctx: MessageContext) {
    const tx = { manager: ctx.manager, publish: ctx.publish.bind(ctx) };
    if (await this.registro.responderSiYaRegistrado(tx, cmd.loteId)) return;
    const lote = {
      id: cmd.loteId,
      origen: 'sial' as const,
      descripcion: cmd.fuentes.join(', '),
      correlationId: ctx.correlationId,
    };

    this.registro.anotarSiFalla(ctx, lote, cmd.simular);

    const listas: PullSial['listas'][number][] = [];
    for (const lista of cmd.fuentes) listas.push({ lista, registros: await this.sial.listar(lista) });
    const lectura = lecturaDeSial({ listas, ...(cmd.periodo ? { periodo: cmd.periodo } : {}) });
    await this.registro.registrar(tx, lote, lectura, { simular: cmd.simular });
  }
}
