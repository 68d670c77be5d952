import 'reflect-metadata';
import { bootstrapService, exitOnConfigError, loadConfig } from '@lucy/platform';
import { gatewayConfigSchema } from './config.js';
import { GatewayModule } from './gateway.module.js';

await exitOnConfigError(async () => {
  const config = loadConfig(gatewayConfigSchema);
  await bootstrapService({ module: GatewayModule, config });
}, 'gateway');
