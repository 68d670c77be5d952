// The SIAL stand-in: an express app for /v1/api/*, its store and admin router.
import express from 'express';
import type { SandboxContext } from '../context.js';
import type { Logger } from '../log.js';
import { sialRouter } from './sial.router.js';
import type { SialStore } from './sial.store.js';

export { SialStore, sialConfigFromEnv } from './sial.store.js';
export { sialAdminRouter } from './sial-admin.router.js';
export { generateCohort } from './sial.generator.js';

export function sialApp(ctx: SandboxContext, store: SialStore, log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('strict routing', true);
  app.use(sialRouter(ctx, store, log));
  // Django's 404 with DEBUG off.
  app.use((_req, res) => {
    res
      .status(404)
      .type('text/html')
      .send(
        '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n',
      );
  });
  return app;
}
