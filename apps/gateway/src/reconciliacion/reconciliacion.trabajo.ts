// The weekly reconciliation as a scheduled job (Mondays 6:00 by default; see trabajos/trabajo.registry.ts).
// A scheduled run only reports: repairing starts workflows on students' accounts, which an operator decides
// from the report (POST /api/v1/reconciliaciones/{id}/reparar), as the dry run of a lote is looked at first.
import { Injectable } from '@nestjs/common';
import { TrabajoRegistry } from '../trabajos/trabajo.registry.js';
import { ReconciliacionService } from './reconciliacion.service.js';

@Injectable()
export class ReconciliacionTrabajo {
  constructor(registry: TrabajoRegistry, reconciliaciones: ReconciliacionService) {
    registry.registrar({
      nombre: 'reconciliacion',
      ejecutar: async (ctx) => {
        const { id } = await reconciliaciones.iniciar(ctx.actor, { reparar: false });
        return { tipo: 'reconciliacion', id };
      },
    });
  }
}
