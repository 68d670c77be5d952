import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { APP_CONFIG } from '../config/app-config.module.js';
import type { BaseConfig } from '../config/base-config.schema.js';

/**
 * The service's Prometheus registry. Its own Registry rather than prom-client's global one, so two
 * services in one process (tests) do not collide. Other modules add their metrics to `registry`.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(@Inject(APP_CONFIG) config: Pick<BaseConfig, 'SERVICE_NAME'>) {
    this.registry.setDefaultLabels({ service: config.SERVICE_NAME });
    collectDefaultMetrics({ register: this.registry });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
