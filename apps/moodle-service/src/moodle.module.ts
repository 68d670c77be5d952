import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { MoodleInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** moodle-service: Moodle users and enrolments through Moodle Web Services. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [MoodleInit1763900000000] }),
    HealthModule,
    MetricsModule,
    // MessagingModule: the transport (libs/messaging) is wired here.
  ],
})
export class MoodleModule {}
