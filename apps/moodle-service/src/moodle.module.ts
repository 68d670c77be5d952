import { Module } from '@nestjs/common';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { MoodleInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** moodle-service: Moodle users and enrolments through Moodle Web Services. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [MessagingTables1732000000000, MoodleInit1763900000000] }),
    HealthModule,
    MetricsModule,
    MessagingModule.forService(),
  ],
})
export class MoodleModule {}
