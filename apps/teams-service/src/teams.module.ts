import { Module } from '@nestjs/common';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { TeamsInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** teams-service: Microsoft 365 accounts through Graph. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [MessagingTables1732000000000, TeamsInit1763900000000] }),
    HealthModule,
    MetricsModule,
    MessagingModule.forService(),
  ],
})
export class TeamsModule {}
