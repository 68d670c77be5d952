import { Module } from '@nestjs/common';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { ResilienceModule } from '@lucy/resilience';
import { RuntimeConfigModule, RuntimeConfigTable1764000000000 } from '@lucy/runtime-config';
import { AprobarAlumnoHandler } from './handlers/aprobar-alumno.handler.js';
import { ConfirmarLoteHandler } from './handlers/confirmar-lote.handler.js';
import { CuentaTeamsCreadaHandler } from './handlers/cuenta-teams-creada.handler.js';
import { CuentaTeamsFallidaHandler } from './handlers/cuenta-teams-fallida.handler.js';
import { DescartarLoteHandler } from './handlers/descartar-lote.handler.js';
import { RegistrarLoteHandler } from './handlers/registrar-lote.handler.js';
import { RegistrarLoteOneRosterHandler } from './handlers/registrar-lote-oneroster.handler.js';
import { SincronizarOneRosterHandler } from './handlers/sincronizar-oneroster.handler.js';
import { SincronizarSialHandler } from './handlers/sincronizar-sial.handler.js';
import { LiberacionService } from './liberacion/liberacion.service.js';
import { LiberacionSweeper } from './liberacion/liberacion.sweeper.js';
import { LoteTamanoListener } from './liberacion/lote-tamano.listener.js';
import { AlumnoEntity } from './persistence/alumno.entity.js';
import { AlumnoRepository } from './persistence/alumno.repository.js';
import { LoteItemEntity } from './persistence/lote-item.entity.js';
import { LoteItemRepository } from './persistence/lote-item.repository.js';
import { LoteEntity } from './persistence/lote.entity.js';
import { LoteRepository } from './persistence/lote.repository.js';
import { MarcaRepository } from './persistence/marca.repository.js';
import { IngestInit1763900000000 } from './persistence/migrations/1763900000000-init.js';
import { IngestCiclo1764900000000 } from './persistence/migrations/1764900000000-ciclo.js';
import { IngestPlanes1765000000000 } from './persistence/migrations/1765000000000-planes.js';
import { IngestCursosFuente1765100000000 } from './persistence/migrations/1765100000000-cursos-fuente.js';
import { IngestOneRosterMarca1766000000000 } from './persistence/migrations/1766000000000-oneroster-marca.js';
import { IngestClasesFuente1766100000000 } from './persistence/migrations/1766100000000-clases-fuente.js';
import { PlanEntity } from './persistence/plan.entity.js';
import { PlanRepository } from './persistence/plan.repository.js';
import { AplicacionService } from './registro/aplicacion.service.js';
import { PlanesService } from './registro/planes.service.js';
import { PlanificacionService } from './registro/planificacion.service.js';
import { RegistroService } from './registro/registro.service.js';
import { OneRosterFuente } from './oneroster/rest/oneroster-rest.fuente.js';
import { oneRosterClassifier } from './oneroster/rest/oneroster-rest.errors.js';
import { runtimeConfigOptions } from './runtime-keys.js';
import { SialClient } from './sial/sial.client.js';
import { sialClassifier } from './sial/sial.errors.js';

/** ingest-service: SIAL, the OneRoster server and uploaded batches in, the student registry. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({
      entities: [AlumnoEntity, LoteEntity, LoteItemEntity, PlanEntity],
      migrations: [
        MessagingTables1732000000000,
        IngestInit1763900000000,
        RuntimeConfigTable1764000000000,
        IngestCiclo1764900000000,
        IngestPlanes1765000000000,
        IngestCursosFuente1765100000000,
        IngestOneRosterMarca1766000000000,
        IngestClasesFuente1766100000000,
      ],
    }),
    HealthModule,
    MetricsModule,
    // Answers the gateway's retention runs (libs/messaging retention/): its inbox, outbox and parked messages.
    MessagingModule.forService({ retention: true }),
    // SIAL's breaker pauses no queue (this one also carries uploads and the releases of students
    // waiting for their account): while it is open a pull is deferred at once, attempts untouched.
    ResilienceModule.forDependency({ name: 'sial', env: 'SIAL', rate: false, queues: [], classify: sialClassifier }),
    // The OneRoster server's likewise; its rate (ONEROSTER_RPM) spaces a pull's pages, and a 429's
    // Retry-After pauses them.
    ResilienceModule.forDependency({
      name: 'oneroster',
      env: 'ONEROSTER',
      queues: [],
      classify: oneRosterClassifier,
    }),
    // The release window (BATCH_SIZE until an operator sets loteTamano through the gateway), the
    // absences that make a student leave (AUSENCIAS_PARA_BAJA, ausenciasParaBaja), the safeguard on
    // leavers (UMBRAL_BAJAS_*, umbralBajas) and the approval of new students (APROBACION_NUEVOS, aprobacionNuevos).
    RuntimeConfigModule.forService(runtimeConfigOptions),
  ],
  providers: [
    SialClient,
    OneRosterFuente,
    MarcaRepository,
    AlumnoRepository,
    LoteRepository,
    LoteItemRepository,
    PlanRepository,
    PlanificacionService,
    AplicacionService,
    PlanesService,
    RegistroService,
    LiberacionService,
    LiberacionSweeper,
    LoteTamanoListener,
    SincronizarSialHandler,
    SincronizarOneRosterHandler,
    RegistrarLoteHandler,
    RegistrarLoteOneRosterHandler,
    ConfirmarLoteHandler,
    DescartarLoteHandler,
    AprobarAlumnoHandler,
    CuentaTeamsCreadaHandler,
    CuentaTeamsFallidaHandler,
  ],
})
export class IngestModule {}
