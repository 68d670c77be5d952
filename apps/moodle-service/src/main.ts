import 'reflect-metadata';
import { bootstrapService, exitOnConfigError, loadConfig } from '@lucy/platform';
import { moodleConfigSchema } from './config.js';
import { MoodleModule } from './moodle.module.js';

await exitOnConfigError(async () => {
  const config = loadConfig(moodleConfigSchema);
  await bootstrapService({ module: MoodleModule, config });
}, 'moodle-service');
