// Inspection and control of the simulated tenant, mounted by the sandbox main at /_admin/graph:
//   GET  /users   every user ever created (deleted and purged included), oldest first
//   GET  /stats   counts: users by state, rejected creates, throttled requests, licence units
//   POST /reset   empty the tenant (config kept) and refill the throttling buckets
//   GET  /config  current configuration (client secret masked)
//   POST /config, PUT /config   merge a partial change (throttle limits, tenantSize, skus / skuUnits,
//                 verifiedDomains, tokenLifetimeSeconds, ...); 400 with the validation issues if bad
import express, { type Router } from 'express';
import { ZodError } from 'zod';
import type { GraphStore } from './store.js';

export interface GraphAdminHooks {
  /** Called after a reset (the stand-in refills its throttling buckets). */
  onReset?: () => void;
}

export function graphAdminRouter(store: GraphStore, hooks: GraphAdminHooks = {}): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/users', (req, res) => {
    const state = req.query.state as string | undefined;
    const upn = (req.query.userPrincipalName as string | undefined)?.toLowerCase();
    const users = store
      .allUsers()
      .filter((u) => (!state || u.state === state) && (!upn || u.userPrincipalName.toLowerCase() === upn));
    res.json({ count: users.length, users });
  });

  router.get('/stats', (_req, res) => {
    res.json(store.stats());
  });

  router.post('/reset', (_req, res) => {
    store.reset();
    hooks.onReset?.();
    res.status(204).end();
  });

  const view = () => ({ ...store.config, clientSecret: '***' });
  router.get('/config', (_req, res) => {
    res.json(view());
  });
  const change = (req: express.Request, res: express.Response) => {
    try {
      store.configure(req.body ?? {});
      res.json(view());
    } catch (e) {
      if (!(e instanceof ZodError)) throw e;
      res.status(400).json({ error: 'invalid config', issues: e.issues });
    }
  };
  router.post('/config', change);
  router.put('/config', change);
  return router;
}
