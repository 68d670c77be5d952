// Bad input refused at the door, once for every route of every service (see each guard's file).
import type { NestExpressApplication } from '@nestjs/platform-express';
import { answerClientErrors } from './client-error.js';
import { jsonTextGuard, verifyJson } from './json-body.js';
import { urlGuard } from './url-guard.js';

export function guardInput(app: NestExpressApplication, bodyLimit: string): void {
  answerClientErrors(app.getHttpServer());
  app.use(urlGuard);
  // Nest's type leaves out `verify` (it uses it for rawBody, which Lucy does not); body-parser takes it.
  app.useBodyParser('json', { limit: bodyLimit, verify: verifyJson } as never);
  app.use(jsonTextGuard);
}
