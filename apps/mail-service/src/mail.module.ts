import { Logger, Module } from '@nestjs/common';
import { CuentaTeamsCreada, EnviarAlerta, EnviarAvisoRetorno, PasswordRestablecida } from '@lucy/contracts';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { APP_CONFIG, DatabaseModule, HealthModule, MetricsModule, SecretBox } from '@lucy/platform';
import { ResilienceModule } from '@lucy/resilience';
import { RuntimeConfig, RuntimeConfigModule, RuntimeConfigTable1764000000000 } from '@lucy/runtime-config';
import { credentialKeys, type MailConfig } from './config.js';
import { PLANTILLA_BIENVENIDA, PLANTILLA_RETORNO } from './domain/envio.js';
import { EnviarCredenciales } from './envio/enviar-credenciales.service.js';
import { EnvioMetrics } from './envio/envio.metrics.js';
import { CuentaTeamsCreadaHandler } from './handlers/cuenta-teams-creada.handler.js';
import { EnviarAlertaHandler } from './handlers/enviar-alerta.handler.js';
import { EnviarAvisoRetornoHandler } from './handlers/enviar-aviso-retorno.handler.js';
import { PasswordRestablecidaHandler } from './handlers/password-restablecida.handler.js';
import { Envio } from './persistence/envio.entity.js';
import { EnvioRepository } from './persistence/envio.repository.js';
import { MailInit1763900000000 } from './persistence/migrations/1763900000000-init.js';
import {
  problemaDePlantillaEmail,
  problemaDePlantillaRetorno,
  seguirPlantillaEmail,
} from './plantillas/plantilla-email.js';
import { CARPETA_POR_DEFECTO, Plantillas } from './plantillas/plantillas.js';
import { SmtpClient } from './smtp/smtp.client.js';
import { smtpClassifier } from './smtp/smtp.errors.js';

/** mail-service: templated credentials email (and the operators' alerts) over SMTP. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({
      entities: [Envio],
      migrations: [MessagingTables1732000000000, MailInit1763900000000, RuntimeConfigTable1764000000000],
    }),
    HealthModule,
    MetricsModule,
    // Answers the gateway's retention runs (libs/messaging retention/): its inbox, outbox and parked messages.
    MessagingModule.forService({ retention: true }),
    // Every send: the relay's rate (SMTP_RPM) and the breaker that pauses this service's queue while the relay is down.
    // One message sent per handler, its slot reserved and waited for before the transaction opens.
    ResilienceModule.forDependency({
      name: 'smtp',
      env: 'SMTP',
      classify: smtpClassifier,
      calls: {
        [CuentaTeamsCreada.id]: { write: 1 },
        [PasswordRestablecida.id]: { write: 1 },
        [EnviarAvisoRetorno.id]: { write: 1 },
        [EnviarAlerta.id]: { write: 1 },
      },
    }),
    // The credentials and return emails an operator sets through the gateway; null (never set): the template files.
    RuntimeConfigModule.forService({
      keys: ['plantillaEmail', 'plantillaRetorno'] as const,
      fromEnv: () => ({ plantillaEmail: null, plantillaRetorno: null }),
      checks: { plantillaEmail: (p) => problemaDePlantillaEmail(p), plantillaRetorno: problemaDePlantillaRetorno },
    }),
  ],
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (c: MailConfig) => {
        if (!c.CREDENTIALS_KEY)
          new Logger('MailModule').warn('CREDENTIALS_KEY is unset: opening credentials with the sandbox dev key');
        return new SecretBox(credentialKeys(c));
      },
    },
    {
      provide: Plantillas,
      inject: [APP_CONFIG, RuntimeConfig],
      useFactory: (c: MailConfig, runtime: RuntimeConfig<'plantillaEmail' | 'plantillaRetorno'>) => {
        const plantillas = new Plantillas(c.MAIL_TEMPLATE_DIR ?? CARPETA_POR_DEFECTO, [
          PLANTILLA_BIENVENIDA,
          PLANTILLA_RETORNO,
        ]);
        seguirPlantillaEmail(plantillas, runtime, 'plantillaEmail');
        seguirPlantillaEmail(plantillas, runtime, 'plantillaRetorno');
        return plantillas;
      },
    },
    SmtpClient,
    EnvioRepository,
    EnvioMetrics,
    EnviarCredenciales,
    CuentaTeamsCreadaHandler,
    PasswordRestablecidaHandler,
    EnviarAvisoRetornoHandler,
    EnviarAlertaHandler,
  ],
})
export class MailModule {}
