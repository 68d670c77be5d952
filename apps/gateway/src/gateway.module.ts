import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { AlumnosController } from './api/alumnos.controller.js';
import { LotesController } from './api/lotes.controller.js';
import { ProblemFilter } from './api/problem.filter.js';
import { SyncController } from './api/sync.controller.js';
import { LoteFallidoHandler } from './handlers/lote-fallido.handler.js';
import { LoteIngestadoHandler } from './handlers/lote-ingestado.handler.js';
import { SAGA_EVENT_HANDLERS } from './handlers/saga-events.handler.js';
import { LoteService } from './lotes/lote.service.js';
import { GatewayInit1763900000000 } from './persistence/migrations/1763900000000-init.js';
import { Sweeper } from './scheduler/sweeper.js';
import { WorkflowQueries } from './workflows/workflow.queries.js';
import { WorkflowService } from './workflows/workflow.service.js';

/** gateway: HTTP API + dashboard, saga coordinator, scheduler, read model. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [MessagingTables1732000000000, GatewayInit1763900000000] }),
    HealthModule,
    MetricsModule,
    MessagingModule.forService(),
  ],
  controllers: [SyncController, LotesController, AlumnosController],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    WorkflowService,
    WorkflowQueries,
    LoteService,
    Sweeper,
    LoteIngestadoHandler,
    LoteFallidoHandler,
    ...SAGA_EVENT_HANDLERS,
  ],
})
export class GatewayModule {}
