import { LoteFallido, SincronizarOneRoster } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import { RuntimeConfig } from '@lucy/runtime-config';
import type { IngestConfig } from '../config.js';
import { LISTA_ONEROSTER } from '../oneroster/csv/oneroster-lectura.js';
import { OneRosterFuente } from '../oneroster/rest/oneroster-rest.fuente.js';
import { lecturaDeOneRosterRest } from '../oneroster/rest/oneroster-rest.lectura.js';
import { MarcaRepository } from '../persistence/marca.repository.js';
import { RegistroService } from '../registro/registro.service.js';

// As SIAL's pull: bad credentials or a source not configured will not heal by retrying; anything else is
// retried by the transport, and on the last attempt the gateway is told.
@Handler(SincronizarOneRoster, {
  onFailure: { event: LoteFallido, payload: (cmd, fallo) => ({ loteId: cmd.loteId, ...fallo }) },
})
export class SincronizarOneRosterHandler {
  constructor(
    private readonly oneroster: OneRosterFuente,
    private readonly registro: RegistroService,
    private readonly marcas: MarcaRepository,
    @InjectConfig() private readonly config: IngestConfig,
    private readonly runtime: RuntimeConfig<'cursosOneRoster'>,
  ) {}

  // The gateway asks for a pull of the OneRoster server: what changed since the mark (or everything, asked
  // so or with no mark yet), registered as one lote. The mark moves to this pull's start, less the clocks'
  // allowance, in the transaction that applies the lote: the server stamps each change when it is made, so
  // the start misses nothing changed while we paged, which the latest dateLastModified seen would. A pull
  // that fails, a dry run, or a plan held for an operator leaves it where it was (the next pull reads
  // those changes again; reading one twice is harmless).
  async handle(cmd: SincronizarOneRoster, ctx: MessageContext) {
    const tx = { manager: ctx.manager, publish: ctx.publish.bind(ctx) };
    if (await this.registro.responderSiYaRegistrado(tx, cmd.loteId)) return;
    const inicio = new Date(Date.now() - this.config.ONEROSTER_CLOCK_SKEW_MS);
    const marca = cmd.completa ? null : await this.marcas.leer(ctx.manager, LISTA_ONEROSTER);
    const lote = {
      id: cmd.loteId,
      origen: 'oneroster' as const,
      descripcion: marca ? `cambios desde ${marca.toISOString()}` : 'completa',
      correlationId: ctx.correlationId,
    };

    this.registro.anotarSiFalla(ctx, lote, cmd.simular);

    // Their classes map to Moodle courses by the map in force now (the courses are read only for it).
    const cursosOneRoster = this.runtime.get('cursosOneRoster');
    const leido = await this.oneroster.leer(marca, { cursos: Object.keys(cursosOneRoster).length > 0 });
    const lectura = lecturaDeOneRosterRest({ ...leido, cursosOneRoster });
    const hecho = await this.registro.registrar(tx, lote, lectura, { simular: cmd.simular });
    if (hecho === 'aplicado') await this.marcas.avanzar(ctx.manager, LISTA_ONEROSTER, inicio, cmd.loteId);
  }
}
