import { Module } from '@nestjs/common';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { IngestInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** ingest-service: SIAL and uploaded batches in, the student registry. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [MessagingTables1732000000000, IngestInit1763900000000] }),
    HealthModule,
    MetricsModule,
    MessagingModule.forService(),
  ],
})
export class IngestModule {}
