import { type DynamicModule, Inject, Module } from '@nestjs/common';
import type { BaseConfig } from './base-config.schema.js';

/** The token of the service's validated configuration (the object loadConfig returned). */
export const APP_CONFIG = Symbol.for('lucy.platform.APP_CONFIG');

/** `constructor(@InjectConfig() config: GatewayConfig)` */
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);

/** Makes the loaded configuration injectable everywhere. bootstrapService imports it for you. */
@Module({})
export class AppConfigModule {
  static forRoot<C extends BaseConfig>(config: C): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
