import 'reflect-metadata';
import { bootstrapService, exitOnConfigError, loadConfig } from '@lucy/platform';
import { teamsConfigSchema } from './config.js';
import { TeamsModule } from './teams.module.js';

await exitOnConfigError(async () => {
  const config = loadConfig(teamsConfigSchema);
  await bootstrapService({ module: TeamsModule, config });
}, 'teams-service');
