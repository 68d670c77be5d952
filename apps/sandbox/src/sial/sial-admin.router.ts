// /_admin/sial: the cohort's settings (size, seed, year, pagination, credentials), "advance" to make the
// next pull differ from the last, the pull counters, and a peek at the generated lists.
import express from 'express';
import { validated } from '../admin/validate.js';
import { SIAL_LISTS } from './sial.generator.js';
import { SialConfigSchema, type SialConfig, type SialStore } from './sial.store.js';

export function sialAdminRouter(store: SialStore, initial: Partial<SialConfig>): express.Router {
  const r = express.Router();
  r.use(express.json());
  const view = () => ({
    ...store.config,
    password: '***',
    pulls: store.pulls,
    counts: Object.fromEntries(SIAL_LISTS.map((l) => [l, store.cohort()[l].length])),
  });
  r.get('/config', (_req, res) => res.json(view()));
  r.put(
    '/config',
    validated(SialConfigSchema.partial(), (body, _req, res) => {
      store.update(Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
      res.json(view());
    }),
  );
  r.post('/advance', (_req, res) => res.json({ revision: store.advance() }));
  r.post('/reset', (_req, res) => {
    store.reset(initial);
    res.json(view());
  });
  r.get('/records/:list', (req, res) => {
    const list = req.params.list as (typeof SIAL_LISTS)[number];
    if (!SIAL_LISTS.includes(list))
      return res.status(404).json({ message: `unknown list; one of ${SIAL_LISTS.join(', ')}` });
    res.json(store.cohort()[list]);
  });
  return r;
}
