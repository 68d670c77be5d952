import 'reflect-metadata';
import { bootstrapService, exitOnConfigError, loadConfig } from '@lucy/platform';
import { ingestConfigSchema } from './config.js';
import { IngestModule } from './ingest.module.js';

await exitOnConfigError(async () => {
  const config = loadConfig(ingestConfigSchema);
  await bootstrapService({ module: IngestModule, config });
}, 'ingest-service');
