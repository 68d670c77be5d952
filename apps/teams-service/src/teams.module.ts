import { Module } from '@nestjs/common';
import { MessagingLeases1764700000000, MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { ResilienceModule } from '@lucy/resilience';
import { RuntimeConfigModule, RuntimeConfigTable1764000000000 } from '@lucy/runtime-config';
import { runtimeConfigOptions } from './runtime-keys.js';
import { ActualizarCuenta } from './cuentas/actualizar-cuenta.js';
import { AprovisionarCuenta } from './cuentas/aprovisionar-cuenta.service.js';
import { Credenciales } from './cuentas/credenciales.js';
import { HabilitarCuenta } from './cuentas/habilitar-cuenta.js';
import { GraphClient } from './graph/graph.client.js';
import { graphClassifier } from './graph/graph.errors.js';
import { GraphTokenProvider } from './graph/graph-token.provider.js';
import { TrustedCa } from './graph/trusted-ca.js';
import { ActualizarCuentaHandler } from './handlers/actualizar-cuenta.handler.js';
import { AlumnoCreadoHandler } from './handlers/alumno-creado.handler.js';
import { DeshabilitarCuentaHandler } from './handlers/deshabilitar-cuenta.handler.js';
import { EliminarCuentaHandler } from './handlers/eliminar-cuenta.handler.js';
import { HabilitarCuentaHandler } from './handlers/habilitar-cuenta.handler.js';
import { RestablecerPasswordHandler } from './handlers/restablecer-password.handler.js';
import { CuentaEntity } from './persistence/cuenta.entity.js';
import { TeamsInit1763900000000 } from './persistence/migrations/1763900000000-init.js';
import { CuentaCreadaPorLucy1764500000000 } from './persistence/migrations/1764500000000-cuenta-creada-por-lucy.js';
import { UsuarioCreado1764600000000 } from './persistence/migrations/1764600000000-usuario-creado.js';
import { TeamsReconciliacion1765300000000 } from './persistence/migrations/1765300000000-reconciliacion.js';
import { ReconciliarCuentasHandler } from './handlers/reconciliar-cuentas.handler.js';
import { EspejoRepository } from './reconciliacion/espejo.repository.js';
import { UsuarioCreadoEntity } from './persistence/usuario-creado.entity.js';
import { CuentaRepository } from './persistence/cuenta.repository.js';
import { UsuarioCreadoRepository } from './persistence/usuario-creado.repository.js';

/** teams-service: Microsoft 365 accounts through Graph. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({
      entities: [CuentaEntity, UsuarioCreadoEntity],
      migrations: [
        MessagingTables1732000000000,
        TeamsInit1763900000000,
        RuntimeConfigTable1764000000000,
        CuentaCreadaPorLucy1764500000000,
        UsuarioCreado1764600000000,
        MessagingLeases1764700000000,
        TeamsReconciliacion1765300000000,
      ],
    }),
    HealthModule,
    MetricsModule,
    // Answers the gateway's retention runs (libs/messaging retention/): its inbox, outbox and parked messages.
    MessagingModule.forService({ retention: true }),
    // Every Graph call: the shared rate limit (GRAPH_RPM / GRAPH_WRITE_RPM), 429s, and the breaker that
    // pauses this service's queue while Graph is down. No `calls` admission: slots reserved up front were
    // spent late and together (above the rate) when handlers were held up after it. Each call takes its
    // slot when it is made and waits for it there, which holds nothing: the handlers run outside any
    // transaction (`transaction: 'own'`, the student's lease).
    ResilienceModule.forDependency({
      name: 'graph',
      env: 'GRAPH',
      classify: graphClassifier,
    }),
    // upn and licenciaSku from the gateway (ConfiguracionCambiada), over UPN_PATTERN / UPN_DOMAIN / LICENSE_SKU_ID.
    RuntimeConfigModule.forService(runtimeConfigOptions),
  ],
  providers: [
    TrustedCa,
    GraphTokenProvider,
    GraphClient,
    Credenciales,
    CuentaRepository,
    UsuarioCreadoRepository,
    AprovisionarCuenta,
    ActualizarCuenta,
    HabilitarCuenta,
    AlumnoCreadoHandler,
    RestablecerPasswordHandler,
    DeshabilitarCuentaHandler,
    EliminarCuentaHandler,
    ActualizarCuentaHandler,
    HabilitarCuentaHandler,
    EspejoRepository,
    ReconciliarCuentasHandler,
  ],
})
export class TeamsModule {}
