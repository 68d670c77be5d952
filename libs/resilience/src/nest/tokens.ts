import { Inject } from '@nestjs/common';

export const RESILIENCE_REDIS = Symbol.for('lucy.resilience.REDIS');

export const guardToken = (name: string) => `lucy.resilience.guard:${name}`;

/** `constructor(@InjectGuard('graph') private readonly guard: DependencyGuard)` */
export const InjectGuard = (name: string): ParameterDecorator => Inject(guardToken(name));
