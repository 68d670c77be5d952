import 'reflect-metadata';
import { bootstrapService, exitOnConfigError, loadConfig } from '@lucy/platform';
import { mailConfigSchema } from './config.js';
import { MailModule } from './mail.module.js';

await exitOnConfigError(async () => {
  const config = loadConfig(mailConfigSchema);
  await bootstrapService({ module: MailModule, config });
}, 'mail-service');
