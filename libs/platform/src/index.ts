// @lucy/platform: what every Lucy service needs and none of them should write twice.

export { AppConfigModule, APP_CONFIG, InjectConfig } from './config/app-config.module.js';
export { baseConfigSchema, type BaseConfig } from './config/base-config.schema.js';
export { ConfigError, type ConfigIssue } from './config/config.error.js';
export { env } from './config/env.fields.js';
export { exitOnConfigError } from './config/exit-on-config-error.js';
export { loadConfig } from './config/load-config.js';
export { secretFromEnvOrFile } from './config/secret-file.js';

export {
  acceptCorrelationId,
  CORRELATION_HEADER,
  currentCorrelation,
  runWithCorrelation,
  type CorrelationContext,
} from './context/correlation.js';

export { createLogger, type CreateLoggerOptions } from './logging/create-logger.js';
export { LoggingModule, type LoggingOptions } from './logging/logging.module.js';
export { correlationMixin, pinoOptions, REDACT_PATHS } from './logging/pino-options.js';

export { HealthModule } from './health/health.module.js';
export { HealthRegistry, type HealthCheckFn, type HealthCheckOutcome } from './health/health.registry.js';

export { MetricsModule } from './metrics/metrics.module.js';
export { MetricsService } from './metrics/metrics.service.js';

export {
  DatabaseModule,
  dataSourceOptions,
  openServiceDataSource,
  RESERVED_CONNECTIONS,
  type DatabaseOptions,
} from './persistence/database.module.js';
export { ensureDatabase, ensureSchema, withAdvisoryLock } from './persistence/ensure-database.js';
export { schemaNameOf, schemaOf } from './persistence/schema-aware-migration.js';
export {
  purgeInBatches,
  PURGE_BATCH_SIZE,
  PURGE_PAUSE_MS,
  type PurgeDb,
  type PurgeOptions,
  type PurgeResult,
  type PurgeSpec,
} from './persistence/purge-in-batches.js';

export { bootstrapService, type BootstrapOptions } from './bootstrap.js';

export { parseSecretKeys, SANDBOX_DEV_CREDENTIALS_KEY, SecretBox, type SecretKey } from './secrets/sealed-secret.js';

export { invalidInput, textProblem, type FieldProblem } from './http/invalid-input.js';
export { invalidTexts, jsonDepth, MAX_JSON_DEPTH } from './http/json-body.js';
export { MAX_URL_LENGTH } from './http/url-guard.js';
export { MAX_HEADER_SIZE } from './http/client-error.js';

export { PeriodicTask, type PeriodicTaskOptions } from './scheduling/periodic-task.js';
