// The SIAL pull as a job: what the scheduler calls at each scheduled time (and an operator's "run now").
// The pull is LoteService.sincronizarSial, as an operator's: lote, audit, tarea; fuentes and periodo are
// read from the configuration when it runs. A scheduled time is claimed in the pull's own transaction, so
// the claim and the lote commit together: no lote without its claim, so no second pull of that time.
import { Injectable } from '@nestjs/common';
import { ConfiguracionService } from '../configuracion/configuracion.service.js';
import { LoteService } from '../lotes/lote.service.js';
import { TrabajoRegistry } from './trabajo.registry.js';

@Injectable()
export class SialTrabajo {
  constructor(registry: TrabajoRegistry, configuracion: ConfiguracionService, lotes: LoteService) {
    registry.registrar({
      nombre: 'sial',
      reclamaEnSuTransaccion: true,
      ejecutar: async (ctx) => {
        const v = await configuracion.actual();
        const s = v.valores.sincronizacion;
        const reclamar = ctx.reclamar;
        const { loteId } = await lotes.sincronizarSial(s.fuentes, ctx.actor, s.periodo ?? undefined, {
          detalle: { ...ctx.detalle, configuracionVersion: v.version },
          enTransaccion: reclamar && ((m, id) => reclamar(m, { tipo: 'lote', id })),
        });
        return { tipo: 'lote', id: loteId };
      },
    });
  }
}
