import { Module } from '@nestjs/common';
import { DatabaseModule, HealthModule, MetricsModule } from '@lucy/platform';
import { GatewayInit1763900000000 } from './persistence/migrations/1763900000000-init.js';

/** gateway: HTTP API + dashboard, saga coordinator, scheduler, read model. Wiring only. */
@Module({
  imports: [
    DatabaseModule.forService({ entities: [], migrations: [GatewayInit1763900000000] }),
    HealthModule,
    MetricsModule,
    // MessagingModule: the transport (libs/messaging) is wired here.
  ],
})
export class GatewayModule {}
