import { Module } from '@nestjs/common';
import { MessagingModule, MessagingTables1732000000000 } from '@lucy/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { GatewayInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** gateway: HTTP API + dashboard, saga coordinator, scheduler, read model. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [MessagingTables1732000000000, GatewayInit1763900000000] }),
    HealthModule,
    MetricsModule,
    MessagingModule.forService(),
  ],
})
export class GatewayModule {}
