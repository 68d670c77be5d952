import { Module } from '@nestjs/common';
import { ColasProbe } from '../dlq/colas.probe.js';
import { ColasLector } from './colas.lector.js';
import { PanelController } from './panel.controller.js';
import { PanelService } from './panel.service.js';
import { ServicioLector } from './servicio.lector.js';
import { SitioController } from './sitio.controller.js';

/** The dashboard (Spanish) at `/`, and the aggregated health it shows. Wiring only. */
@Module({
  controllers: [SitioController, PanelController],
  providers: [PanelService, ServicioLector, ColasLector, ColasProbe],
  // The configuration API asks the services which version they apply through the same reader; the DLQ
  // endpoints count queues through the same probe (one broker connection for both).
  exports: [ServicioLector, ColasProbe],
})
export class DashboardModule {}
