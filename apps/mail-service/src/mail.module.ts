import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { MailInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** mail-service: templated email over SMTP. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [MailInit1763900000000] }),
    HealthModule,
    MetricsModule,
    // MessagingModule: the transport (libs/messaging) is wired here.
  ],
})
export class MailModule {}
