// The OneRoster pulls as jobs: `oneroster` asks for what changed since the last pull applied (hourly by
// default), `oneroster-completa` for everything (weekly), to catch what changes alone miss (a class moved
// to another term, a server's stamp that went wrong) and to count absences. Registered only when the
// source is configured: a job without an action is listed, never run. As SIAL's job, a scheduled time is
// claimed in the pull's own transaction.
import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { LoteService } from '../lotes/lote.service.js';
import { TrabajoRegistry, type ContextoEjecucion } from './trabajo.registry.js';

@Injectable()
export class OneRosterTrabajo {
  constructor(
    registry: TrabajoRegistry,
    lotes: LoteService,
    @InjectConfig() config: Pick<GatewayConfig, 'ONEROSTER_URL'>,
  ) {
    if (!config.ONEROSTER_URL) return;
    const ejecutar = (completa: boolean) => async (ctx: ContextoEjecucion) => {
      const reclamar = ctx.reclamar;
      const { loteId } = await lotes.sincronizarOneRoster(completa, ctx.actor, {
        detalle: ctx.detalle,
        enTransaccion: reclamar && ((m, id) => reclamar(m, { tipo: 'lote', id })),
      });
      return { tipo: 'lote', id: loteId };
    };
    registry.registrar({ nombre: 'oneroster', reclamaEnSuTransaccion: true, ejecutar: ejecutar(false) });
    registry.registrar({ nombre: 'oneroster-completa', reclamaEnSuTransaccion: true, ejecutar: ejecutar(true) });
  }
}
