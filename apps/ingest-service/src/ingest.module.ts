import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { IngestInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** ingest-service: SIAL and uploaded batches in, the student registry. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [IngestInit1763900000000] }),
    HealthModule,
    MetricsModule,
    // MessagingModule: the transport (libs/messaging) is wired here.
  ],
})
export class IngestModule {}
