// Who publishes which event: each service owns the events it answers with, and the broker lets its user
// put on lucy.events only their routing keys (libs/messaging/src/access/, RabbitMQ's topic permissions).
// A service that starts publishing a new event adds it here, or the broker refuses it; tools/
// publicaciones.spec.ts reads each service's code for the events it publishes and checks they are here.
// Commands need no such list: only the coordinator (the gateway) may write to lucy.commands at all.
import type { MessageDefinition } from './message.js';
import { AlumnoActualizado } from './events/alumno-actualizado.js';
import { AlumnoCreado } from './events/alumno-creado.js';
import { AlumnoDadoDeBaja, AlumnoRetornado } from './events/alumno-ciclo.js';
import { AlumnoEnEspera } from './events/alumno-en-espera.js';
import { AvisoRetornoEnviado, AvisoRetornoFallido } from './events/aviso-retorno.js';
import { BreakerCambiado } from './events/breaker-cambiado.js';
import { ConfiguracionCambiada } from './events/configuracion-cambiada.js';
import {
  CuentaTeamsActualizacionFallida,
  CuentaTeamsActualizada,
  CuentaTeamsDeshabilitacionFallida,
  CuentaTeamsDeshabilitada,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  CuentaTeamsHabilitacionFallida,
  CuentaTeamsHabilitada,
  PasswordRestablecida,
  RestablecimientoPasswordFallido,
} from './events/cuenta-teams-replies.js';
import { CuentaTeamsCreada } from './events/cuenta-teams-creada.js';
import { CuentaTeamsFallida } from './events/cuenta-teams-fallida.js';
import { EmailEnviado } from './events/email-enviado.js';
import { EmailFallido } from './events/email-fallido.js';
import { LimitesCambiados } from './events/limites-cambiados.js';
import { LotePlanificado, LotePlanParte } from './events/lote-plan.js';
import { LoteFallido, LoteIngestado } from './events/lote-replies.js';
import { MoodleEnrolado } from './events/moodle-enrolado.js';
import { MoodleFallido } from './events/moodle-fallido.js';
import {
  CursosInscriptos,
  InscripcionesActualizacionFallida,
  InscripcionesActualizadas,
  InscripcionFallida,
  MoodleDesenrolado,
  MoodleDesenrolamientoFallido,
  UsuarioMoodleActualizacionFallida,
  UsuarioMoodleActualizado,
  UsuarioMoodleEliminacionFallida,
  UsuarioMoodleEliminado,
} from './events/moodle-replies.js';
import {
  DiferenciasEncontradas,
  ReconciliacionParcialFallida,
  ReconciliacionParcialTerminada,
} from './events/reconciliacion.js';
import { AlertaEnviada, AlertaFallida } from './commands/alerta.js';
import { RetencionAplicada, RetencionFallida } from './commands/retencion.js';

/** What every service publishes through the shared libraries: its retention runs, its breakers' changes. */
const DE_TODOS: readonly MessageDefinition[] = [RetencionAplicada, RetencionFallida, BreakerCambiado];

/** Both account systems reconcile with the registry and answer the same way: one event, two publishers. */
const RECONCILIACION = [DiferenciasEncontradas, ReconciliacionParcialTerminada, ReconciliacionParcialFallida];

/** The events each service publishes on lucy.events, by service name. */
export const PUBLICA: Readonly<Record<string, readonly MessageDefinition[]>> = {
  // AlumnoCreado is ingest-service's, but the gateway publishes it again, with the data it last heard,
  // to onboard a student once more (apps/gateway/src/sagas/onboarding.saga.ts, activar).
  gateway: [ConfiguracionCambiada, LimitesCambiados, AlumnoCreado],
  'ingest-service': [
    AlumnoCreado,
    AlumnoActualizado,
    AlumnoEnEspera,
    AlumnoDadoDeBaja,
    AlumnoRetornado,
    LoteIngestado,
    LoteFallido,
    LotePlanificado,
    LotePlanParte,
  ],
  'teams-service': [
    CuentaTeamsCreada,
    CuentaTeamsFallida,
    CuentaTeamsEliminada,
    CuentaTeamsEliminacionFallida,
    CuentaTeamsDeshabilitada,
    CuentaTeamsDeshabilitacionFallida,
    CuentaTeamsHabilitada,
    CuentaTeamsHabilitacionFallida,
    CuentaTeamsActualizada,
    CuentaTeamsActualizacionFallida,
    PasswordRestablecida,
    RestablecimientoPasswordFallido,
    ...RECONCILIACION,
  ],
  'moodle-service': [
    MoodleEnrolado,
    MoodleFallido,
    MoodleDesenrolado,
    MoodleDesenrolamientoFallido,
    UsuarioMoodleActualizado,
    UsuarioMoodleActualizacionFallida,
    UsuarioMoodleEliminado,
    UsuarioMoodleEliminacionFallida,
    InscripcionesActualizadas,
    InscripcionesActualizacionFallida,
    CursosInscriptos,
    InscripcionFallida,
    ...RECONCILIACION,
  ],
  'mail-service': [EmailEnviado, EmailFallido, AlertaEnviada, AlertaFallida, AvisoRetornoEnviado, AvisoRetornoFallido],
};

/** The routing keys `service` may publish on lucy.events (none for a service not listed). */
export function eventosQuePublica(service: string): string[] {
  const defs = [...(PUBLICA[service] ?? []), ...DE_TODOS];
  return [...new Set(defs.filter((d) => d.kind === 'event').map((d) => d.routingKey))];
}
