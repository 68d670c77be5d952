import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { TeamsInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** teams-service: Microsoft 365 accounts through Graph. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [TeamsInit1763900000000] }),
    HealthModule,
    MetricsModule,
    // MessagingModule: the transport (libs/messaging) is wired here.
  ],
})
export class TeamsModule {}
