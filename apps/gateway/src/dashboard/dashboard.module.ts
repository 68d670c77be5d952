import { Module } from '@nestjs/common';
import { ConfiguracionStore } from '../configuracion/configuracion.store.js';
import { QueueProbe } from '../dlq/queue.probe.js';
import { HistorialService } from './historial.service.js';
import { QueueReader } from './queue.reader.js';
import { PanelController } from './panel.controller.js';
import { PanelService } from './panel.service.js';
import { ServiceReader } from './service.reader.js';
import { SiteController } from './site.controller.js';

/** The dashboard (Spanish) at `/`, and the aggregated health it shows. Wiring only. */
@Module({
  controllers: [SiteController, PanelController],
  providers: [PanelService, HistorialService, ServiceReader, QueueReader, QueueProbe, ConfiguracionStore],
  // The configuration API asks the services which version they apply through the same reader; the DLQ
  // endpoints count queues through the same probe (one broker connection for both).
  exports: [ServiceReader, QueueProbe],
})
export class DashboardModule {}
