// The OneRoster 1.1 stand-in: an express app for /ims/oneroster/v1p1/* and /token, its store and admin router.
import express from 'express';
import type { SandboxContext } from '../context.js';
import type { Logger } from '../log.js';
import { sendStatus } from './oneroster.errors.js';
import { oneRosterRouter } from './oneroster.router.js';
import type { OneRosterStore } from './oneroster.store.js';

export { OneRosterStore, oneRosterConfigFromEnv } from './oneroster.store.js';
export { oneRosterAdminRouter } from './oneroster-admin.router.js';

export function oneRosterApp(ctx: SandboxContext, store: OneRosterStore, log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(oneRosterRouter(ctx, store, log));
  app.use((req, res) => sendStatus(res, 404, 'unknownobject', `No endpoint ${req.method} ${req.path}.`));
  return app;
}
