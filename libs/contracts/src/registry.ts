// Every declared message, so a consumer can tell an unknown type or version from a known one.
import type { MessageDefinition } from './message.js';
import { AlumnoCreado } from './events/alumno-creado.js';
import { AlumnoActualizado } from './events/alumno-actualizado.js';
import { CuentaTeamsCreada } from './events/cuenta-teams-creada.js';
import { CuentaTeamsFallida } from './events/cuenta-teams-fallida.js';
import * as cicloEvents from './events/alumno-ciclo.js';
import * as cuentaReplies from './events/cuenta-teams-replies.js';
import { MoodleEnrolado } from './events/moodle-enrolado.js';
import { MoodleFallido } from './events/moodle-fallido.js';
import * as moodleReplies from './events/moodle-replies.js';
import { EmailEnviado } from './events/email-enviado.js';
import { EmailFallido } from './events/email-fallido.js';
import * as loteReplies from './events/lote-replies.js';
import * as lotePlan from './events/lote-plan.js';
import { AlumnoEnEspera } from './events/alumno-en-espera.js';
import * as cuentaCommands from './commands/cuenta-teams.js';
import * as moodleCommands from './commands/moodle.js';
import * as loteCommands from './commands/lote.js';
import * as mailCommands from './commands/mail.js';
import * as retencion from './commands/retencion.js';
import * as alerta from './commands/alerta.js';
import * as avisoRetorno from './events/aviso-retorno.js';
import * as reconciliacionCommands from './commands/reconciliacion.js';
import * as reconciliacionEvents from './events/reconciliacion.js';
import { BreakerCambiado } from './events/breaker-cambiado.js';
import { LimitesCambiados } from './events/limites-cambiados.js';
import { ReiniciarBreaker } from './commands/breaker.js';
import { ConfiguracionCambiada } from './events/configuracion-cambiada.js';

const isDefinition = (x: unknown): x is MessageDefinition =>
  typeof x === 'object' && x !== null && 'routingKey' in x && 'schema' in x && 'kind' in x;

export const ALL_MESSAGES: readonly MessageDefinition[] = [
  AlumnoCreado,
  AlumnoActualizado,
  CuentaTeamsCreada,
  CuentaTeamsFallida,
  MoodleEnrolado,
  MoodleFallido,
  EmailEnviado,
  EmailFallido,
  BreakerCambiado,
  LimitesCambiados,
  ReiniciarBreaker,
  ConfiguracionCambiada,
  AlumnoEnEspera,
  ...[
    cicloEvents,
    cuentaReplies,
    moodleReplies,
    loteReplies,
    lotePlan,
    cuentaCommands,
    moodleCommands,
    loteCommands,
    mailCommands,
    avisoRetorno,
    retencion,
    alerta,
    reconciliacionCommands,
    reconciliacionEvents,
  ].flatMap((m) => Object.values(m).filter(isDefinition)),
];

const byId = new Map(ALL_MESSAGES.map((d) => [d.id, d]));
if (byId.size !== ALL_MESSAGES.length) throw new Error('two messages share a name and version');

export function findMessage(type: string, version: number): MessageDefinition | undefined {
  return byId.get(`${type}@v${version}`);
}
