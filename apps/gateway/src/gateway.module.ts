import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { APP_CONFIG, DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import type { GatewayConfig } from './config.js';
import { AccionesController } from './acciones/acciones.controller.js';
import { AccionesService } from './acciones/acciones.service.js';
import { AlumnosController } from './alumnos/alumnos.controller.js';
import { AlumnosQueries } from './alumnos/alumnos.queries.js';
import { AlumnoPorAprobarRepository } from './alumnos/alumno-por-aprobar.repository.js';
import { AprobacionService } from './alumnos/aprobacion.service.js';
import { ContentTypeMiddleware } from './api/content-type.middleware.js';
import { DocsSetup } from './api/docs.setup.js';
import { ProblemFilter } from './api/problem.filter.js';
import { SchemaPipe } from './api/schema.pipe.js';
import { AuthGuard } from './auth/auth.guard.js';
import { TokenRepository } from './auth/token.repository.js';
import { TokenService } from './auth/token.service.js';
import { TokensController } from './auth/tokens.controller.js';
import { BreakerRepository } from './breakers/breaker.repository.js';
import { BreakerService } from './breakers/breaker.service.js';
import { BreakersController } from './breakers/breakers.controller.js';
import { HealthClient } from './breakers/health.client.js';
import { ConfiguracionController } from './configuracion/configuracion.controller.js';
import { ConfiguracionService } from './configuracion/configuracion.service.js';
import { ConfiguracionStore } from './configuracion/configuracion.store.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DlqController } from './dlq/dlq.controller.js';
import { DlqService } from './dlq/dlq.service.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { AlumnoEnEsperaHandler } from './handlers/alumno-en-espera.handler.js';
import { BreakerCambiadoHandler } from './handlers/breaker-cambiado.handler.js';
import { LoteFallidoHandler } from './handlers/lote-fallido.handler.js';
import { LoteIngestadoHandler } from './handlers/lote-ingestado.handler.js';
import { LotePlanParteHandler } from './handlers/lote-plan-parte.handler.js';
import { LotePlanificadoHandler } from './handlers/lote-planificado.handler.js';
import { SAGA_EVENT_HANDLERS } from './handlers/saga-events.handler.js';
import { LoteRepository } from './lotes/lote.repository.js';
import { LoteService } from './lotes/lote.service.js';
import { LotesController } from './lotes/lotes.controller.js';
import { LotesQueries } from './lotes/lotes.queries.js';
import { PlanRepository } from './lotes/plan.repository.js';
import { PlanService } from './lotes/plan.service.js';
import { SyncController } from './lotes/sync.controller.js';
import { GatewayInit1763900000000 } from './persistence/migrations/1763900000000-init.js';
import { GatewayApi1764000000000 } from './persistence/migrations/1764000000000-api.js';
import { GatewaySincronizacionProgramada1764300000000 } from './persistence/migrations/1764300000000-sincronizacion-programada.js';
import { GatewayConfiguracionFijadas1764400000000 } from './persistence/migrations/1764400000000-configuracion-fijadas.js';
import { GatewayCiclo1764800000000 } from './persistence/migrations/1764800000000-ciclo.js';
import { GatewayIdsEnPasos1764700000000 } from './persistence/migrations/1764700000000-ids-en-pasos.js';
import { GatewayIdempotency1764480000000 } from './persistence/migrations/1764480000000-idempotency.js';
import { GatewayLoteBajas1764910000000 } from './persistence/migrations/1764910000000-lote-bajas.js';
import { GatewayPlanes1765010000000 } from './persistence/migrations/1765010000000-planes.js';
import { GatewayRetencion1765100000000 } from './persistence/migrations/1765100000000-retencion.js';
import { GatewayReconciliacion1765300000000 } from './persistence/migrations/1765300000000-reconciliacion.js';
import { GatewayLoteAlumnoPorAlumno1765400000000 } from './persistence/migrations/1765400000000-lote-alumno-por-alumno.js';
import { GatewayLoteAvisos1765500000000 } from './persistence/migrations/1765500000000-lote-avisos.js';
import {
  DiferenciasEncontradasHandler,
  ReconciliacionParcialFallidaHandler,
  ReconciliacionParcialTerminadaHandler,
} from './handlers/reconciliacion.handlers.js';
import { ReconciliacionConsultas } from './reconciliacion/reconciliacion.consultas.js';
import { ReconciliacionController } from './reconciliacion/reconciliacion.controller.js';
import { ReconciliacionRepository } from './reconciliacion/reconciliacion.repository.js';
import { ReconciliacionService } from './reconciliacion/reconciliacion.service.js';
import { ReconciliacionTareas } from './reconciliacion/reconciliacion.tareas.js';
import { ReconciliacionTrabajo } from './reconciliacion/reconciliacion.trabajo.js';
import { GatewayTrabajos1765200000000 } from './persistence/migrations/1765200000000-trabajos.js';
import { ProgramacionController } from './programacion/programacion.controller.js';
import { EjecucionRepository } from './retencion/ejecucion.repository.js';
import { PurgaGateway } from './retencion/purga-gateway.js';
import { RetencionController } from './retencion/retencion.controller.js';
import { RetencionService } from './retencion/retencion.service.js';
import { RetencionTrabajo } from './retencion/retencion.trabajo.js';
import { RetencionAplicadaHandler } from './handlers/retencion-aplicada.handler.js';
import { RetencionFallidaHandler } from './handlers/retencion-fallida.handler.js';
import { AlertaEnviadaHandler, AlertaFallidaHandler } from './handlers/alerta.handlers.js';
import { AlertasMetrics } from './alertas/alertas.metrics.js';
import { AlertasService } from './alertas/alertas.service.js';
import { SyncScheduler } from './scheduler/sync.scheduler.js';
import { Sweeper } from './scheduler/sweeper.js';
import { CalendarioController } from './calendario/calendario.controller.js';
import { CalendarioRepository } from './calendario/calendario.repository.js';
import { CalendarioService } from './calendario/calendario.service.js';
import { SialTrabajo } from './trabajos/sial.trabajo.js';
import { OneRosterTrabajo } from './trabajos/oneroster.trabajo.js';
import { TrabajoRegistry } from './trabajos/trabajo.registry.js';
import { TrabajosController } from './trabajos/trabajos.controller.js';
import { TrabajosService } from './trabajos/trabajos.service.js';
import { TrabajosStore } from './trabajos/trabajos.store.js';
import { TareaRepository } from './tareas/tarea.repository.js';
import { TareaService } from './tareas/tarea.service.js';
import { TareasController } from './tareas/tareas.controller.js';
import { AuditoriaRepository } from './workflows/auditoria.repository.js';
import { WorkflowListaQueries } from './workflows/workflow-lista.queries.js';
import { WorkflowQueries } from './workflows/workflow.queries.js';
import { WorkflowService } from './workflows/workflow.service.js';
import { WorkflowRepository } from './workflows/workflow.repository.js';
import { WorkflowMetrics } from './workflows/workflow.metrics.js';
import { CicloRepository } from './ciclo/ciclo.repository.js';
import { CicloService } from './ciclo/ciclo.service.js';
import { WorkflowsController } from './workflows/workflows.controller.js';

/** gateway: HTTP API + dashboard, saga coordinator, scheduler, read model. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({
      entities: [],
      migrations: [
        MessagingTables1732000000000,
        GatewayInit1763900000000,
        GatewayApi1764000000000,
        GatewaySincronizacionProgramada1764300000000,
        GatewayConfiguracionFijadas1764400000000,
        GatewayIdempotency1764480000000,
        GatewayIdsEnPasos1764700000000,
        GatewayCiclo1764800000000,
        GatewayLoteBajas1764910000000,
        GatewayPlanes1765010000000,
        GatewayRetencion1765100000000,
        GatewayTrabajos1765200000000,
        GatewayReconciliacion1765300000000,
        GatewayLoteAlumnoPorAlumno1765400000000,
        GatewayLoteAvisos1765500000000,
      ],
    }),
    HealthModule,
    MetricsModule,
    MessagingModule.forService(),
    DashboardModule,
    IdempotencyModule,
    // Uploads are held in memory (they go into one RegistrarLote message anyway), bounded here.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // defParamCharset: a file name as browsers send it (UTF-8 bytes), not read as Latin-1 (multer's default, mojibake).
      useFactory: (c: GatewayConfig) => ({
        defParamCharset: 'utf8',
        limits: { fileSize: c.UPLOAD_MAX_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 },
      }),
    }),
  ],
  controllers: [
    TokensController,
    AlumnosController,
    AccionesController,
    LotesController,
    SyncController,
    WorkflowsController,
    TareasController,
    DlqController,
    BreakersController,
    ConfiguracionController,
    ProgramacionController,
    RetencionController,
    ReconciliacionController,
    TrabajosController,
    CalendarioController,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_PIPE, useClass: SchemaPipe },
    DocsSetup,
    TokenService,
    TokenRepository,
    TareaService,
    TareaRepository,
    AuditoriaRepository,
    WorkflowService,
    WorkflowRepository,
    WorkflowMetrics,
    CicloRepository,
    CicloService,
    WorkflowQueries,
    WorkflowListaQueries,
    AlumnosQueries,
    AprobacionService,
    AlumnoPorAprobarRepository,
    AccionesService,
    LoteService,
    LoteRepository,
    LotesQueries,
    PlanService,
    PlanRepository,
    DlqService,
    HealthClient,
    BreakerService,
    BreakerRepository,
    ConfiguracionService,
    ConfiguracionStore,
    Sweeper,
    SyncScheduler,
    TrabajoRegistry,
    TrabajosStore,
    TrabajosService,
    SialTrabajo,
    OneRosterTrabajo,
    ReconciliacionTrabajo,
    RetencionTrabajo,
    CalendarioRepository,
    CalendarioService,
    LoteIngestadoHandler,
    LoteFallidoHandler,
    LotePlanificadoHandler,
    LotePlanParteHandler,
    AlumnoEnEsperaHandler,
    BreakerCambiadoHandler,
    RetencionService,
    EjecucionRepository,
    PurgaGateway,
    RetencionAplicadaHandler,
    RetencionFallidaHandler,
    AlertaEnviadaHandler,
    AlertaFallidaHandler,
    AlertasMetrics,
    AlertasService,
    ReconciliacionRepository,
    ReconciliacionService,
    ReconciliacionConsultas,
    ReconciliacionTareas,
    DiferenciasEncontradasHandler,
    ReconciliacionParcialTerminadaHandler,
    ReconciliacionParcialFallidaHandler,
    ...SAGA_EVENT_HANDLERS,
  ],
})
export class GatewayModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ContentTypeMiddleware).forRoutes('api/*path');
  }
}
