import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseProbe } from './database.probe.js';
import { HealthController } from './health.controller.js';
import { HealthRegistry } from './health.registry.js';

/**
 * GET /health/live and GET /health/ready. Global, so any module can inject HealthRegistry and
 * register its own readiness check. Needs DatabaseModule (the ready check pings it).
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [HealthRegistry, DatabaseProbe],
  exports: [HealthRegistry],
})
export class HealthModule {}
