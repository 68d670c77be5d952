// Retention as a scheduled job (see trabajos/trabajo.registry.ts). Safe to repeat, as the scheduler asks: a
// second run finds nothing older than the ages left to remove; while one is still open, RetencionService
// refuses another (409), which the job's history records as fallido with that reason.
import { Injectable } from '@nestjs/common';
import { TrabajoRegistry } from '../trabajos/trabajo.registry.js';
import { RetencionService } from './retencion.service.js';

@Injectable()
export class RetencionTrabajo {
  constructor(registry: TrabajoRegistry, retencion: RetencionService) {
    registry.registrar({
      nombre: 'retencion',
      ejecutar: async (ctx) => {
        const { id } = await retencion.ejecutar(ctx.actor);
        return { tipo: 'retencion', id };
      },
    });
  }
}
