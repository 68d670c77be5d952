import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestWithIdentity } from './auth.guard.js';

/** The caller's token name, for the audit trail (set by AuthGuard). */
export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<RequestWithIdentity>().identity?.nombre ?? 'anónimo';
});

/** The caller as AuthGuard identified them. */
export const Caller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<RequestWithIdentity>().identity,
);
