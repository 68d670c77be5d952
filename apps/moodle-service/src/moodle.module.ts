import { Module } from '@nestjs/common';
import {
  ActualizarInscripciones,
  ActualizarUsuarioMoodle,
  CuentaTeamsCreada,
  DesenrolarMoodle,
  EliminarUsuarioMoodle,
  EnrolarMoodle,
  InscribirCursos,
} from '@lucy/contracts';
import { MessagingLeases1764700000000, MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { ResilienceModule } from '@lucy/resilience';
import { RuntimeConfigModule, RuntimeConfigTable1764000000000 } from '@lucy/runtime-config';
import { runtimeConfigOptions } from './runtime-keys.js';
import { ActualizacionUsuarioService } from './enrolamiento/actualizacion-usuario.service.js';
import { CambioDeCursosService } from './enrolamiento/cambio-de-cursos.service.js';
import { DesenrolamientoService } from './enrolamiento/desenrolamiento.service.js';
import { EliminacionUsuarioService } from './enrolamiento/eliminacion-usuario.service.js';
import { EnrolamientoService } from './enrolamiento/enrolamiento.service.js';
import { UsuarioMoodleService } from './enrolamiento/usuario-moodle.service.js';
import { ActualizarInscripcionesHandler } from './handlers/actualizar-inscripciones.handler.js';
import { ActualizarUsuarioMoodleHandler } from './handlers/actualizar-usuario-moodle.handler.js';
import { CuentaTeamsCreadaHandler } from './handlers/cuenta-teams-creada.handler.js';
import { DesenrolarMoodleHandler } from './handlers/desenrolar-moodle.handler.js';
import { EliminarUsuarioMoodleHandler } from './handlers/eliminar-usuario-moodle.handler.js';
import { EnrolarMoodleHandler } from './handlers/enrolar-moodle.handler.js';
import { InscribirCursosHandler } from './handlers/inscribir-cursos.handler.js';
import { ReconciliarMoodleHandler } from './handlers/reconciliar-moodle.handler.js';
import { RegistroMoodleRepository } from './reconciliacion/registro.repository.js';
import { CursosCatalog } from './moodle/cursos.catalog.js';
import { MoodleClient } from './moodle/moodle.client.js';
import { moodleClassifier } from './moodle/moodle.errors.js';
import { Inscripcion } from './persistence/inscripcion.entity.js';
import { MoodleInit1763900000000 } from './persistence/migrations/1763900000000-init.js';
import { MoodleUsuario } from './persistence/moodle-usuario.entity.js';
import { MoodleUsuarioRepository } from './persistence/moodle-usuario.repository.js';
import { InscripcionRepository } from './persistence/inscripcion.repository.js';

/** moodle-service: Moodle users and enrolments through Moodle Web Services. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({
      entities: [MoodleUsuario, Inscripcion],
      // The leases: the reconciliation's runs take turns (its handler has transactions of its own).
      migrations: [
        MessagingTables1732000000000,
        MoodleInit1763900000000,
        RuntimeConfigTable1764000000000,
        MessagingLeases1764700000000,
      ],
    }),
    HealthModule,
    MetricsModule,
    // Answers the gateway's retention runs (libs/messaging retention/): its inbox, outbox and parked messages.
    MessagingModule.forService({ retention: true }),
    // Every Moodle call: the shared rate limit (MOODLE_RPM) and the breaker that pauses this service's queue while Moodle is down.
    // `calls`: what each message makes in the usual case (an enrolment: find the user, create them, enrol;
    // a change of courses: find the user, unenrol, check and enrol; an update: find the user, update it),
    // reserved and waited for before its transaction opens.
    ResilienceModule.forDependency({
      name: 'moodle',
      env: 'MOODLE',
      classify: moodleClassifier,
      calls: {
        [CuentaTeamsCreada.id]: { read: 2, write: 2 },
        [EnrolarMoodle.id]: { read: 2, write: 2 },
        [DesenrolarMoodle.id]: { read: 1, write: 1 },
        [ActualizarUsuarioMoodle.id]: { read: 1, write: 1 },
        [ActualizarInscripciones.id]: { read: 3, write: 2 },
        [InscribirCursos.id]: { read: 3, write: 1 },
        [EliminarUsuarioMoodle.id]: { read: 1, write: 1 },
      },
    }),
    // cursos, cursosAnteriores, moodleAuth, zonaHoraria as an operator sets them through the gateway, read when used.
    RuntimeConfigModule.forService(runtimeConfigOptions),
  ],
  providers: [
    MoodleClient,
    CursosCatalog,
    InscripcionRepository,
    MoodleUsuarioRepository,
    UsuarioMoodleService,
    EnrolamientoService,
    DesenrolamientoService,
    ActualizacionUsuarioService,
    CambioDeCursosService,
    EliminacionUsuarioService,
    CuentaTeamsCreadaHandler,
    EnrolarMoodleHandler,
    DesenrolarMoodleHandler,
    ActualizarUsuarioMoodleHandler,
    ActualizarInscripcionesHandler,
    InscribirCursosHandler,
    EliminarUsuarioMoodleHandler,
    RegistroMoodleRepository,
    ReconciliarMoodleHandler,
  ],
})
export class MoodleModule {}
