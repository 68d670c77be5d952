// /_admin/oneroster: the stand-in's settings (cohort, credentials, which authentication), a peek at a
// user, the latest requests the API answered (with their query strings), the changes that make a delta read differ from the last one — change a user, remove one (status
// tobedeleted, with their enrollments), add a late student — and the same roster as a OneRoster 1.1 CSV
// package, bulk or delta since a date (oneroster.csv.ts), as JSON, one file or a zip (oneroster.zip.ts).
// Bad input is a 400 with a message naming the field.
import express, { type Request, type Response } from 'express';
import { validated } from '../admin/validate.js';
import { type CsvMode, csvPackage } from './oneroster.csv.js';
import { sendZip, zipName } from './oneroster.zip.js';
import {
  AltaAlumno,
  CambioUsuario,
  type OneRosterConfig,
  OneRosterConfigSchema,
  type OneRosterStore,
} from './oneroster.store.js';

/** ?mode=bulk (default) or ?mode=delta&since=<ISO date-time>; undefined when a 400 was sent. */
function csvMode(req: Request, res: Response): CsvMode | undefined {
  const mode = req.query.mode ?? 'bulk';
  if (mode === 'bulk') return { mode: 'bulk' };
  if (mode !== 'delta') return void res.status(400).json({ message: "mode: 'bulk' or 'delta'" });
  const since = new Date(typeof req.query.since === 'string' ? req.query.since : NaN);
  if (Number.isNaN(since.getTime()))
    return void res.status(400).json({ message: 'since: an ISO 8601 date-time is required with mode=delta' });
  return { mode: 'delta', since };
}

export function oneRosterAdminRouter(store: OneRosterStore, initial: Partial<OneRosterConfig>): express.Router {
  const r = express.Router();
  r.use(express.json());
  const view = () => ({
    ...store.config,
    consumerSecret: '***',
    clientSecret: '***',
    counts: Object.fromEntries(Object.entries(store.roster).map(([k, v]) => [k, (v as unknown[]).length])),
  });
  r.get('/config', (_req, res) => res.json(view()));
  r.put(
    '/config',
    validated(OneRosterConfigSchema.partial(), (body, _req, res) => {
      store.update(Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
      res.json(view());
    }),
  );
  // What was asked (path and query: a delta reader's filter, its pages), latest last; DELETE forgets them.
  r.get('/requests', (_req, res) => res.json({ requests: store.requests }));
  r.delete('/requests', (_req, res) => {
    store.requests = [];
    res.status(204).end();
  });
  r.post('/reset', (_req, res) => {
    store.reset(initial);
    res.json(view());
  });
  const unknown = (res: Response, id: string) => res.status(404).json({ message: `no user with sourcedId '${id}'` });
  r.get('/users/:sourcedId', (req, res) => {
    const u = store.user(req.params.sourcedId);
    if (!u) return unknown(res, req.params.sourcedId);
    res.json({ user: u, enrollments: store.roster.enrollments.filter((e) => e.user.sourcedId === u.sourcedId) });
  });
  r.patch(
    '/users/:sourcedId',
    validated(CambioUsuario, (cambio, req, res) => {
      const id = req.params.sourcedId as string;
      const u = store.change(id, cambio);
      if (!u) return unknown(res, id);
      res.json({ user: u });
    }),
  );
  r.delete('/users/:sourcedId', (req, res) => {
    const removed = store.remove(req.params.sourcedId);
    if (!removed) return unknown(res, req.params.sourcedId);
    res.json(removed);
  });
  r.post(
    '/users',
    validated(AltaAlumno, (alta, _req, res) => {
      const out = store.add(alta);
      if ('exists' in out) return res.status(409).json({ message: `sourcedId '${alta.sourcedId}' is taken` });
      if ('unknownClasses' in out)
        return res.status(400).json({ message: `classes: unknown ${out.unknownClasses.join(', ')}` });
      res.status(201).json(out);
    }),
  );
  // The CSV package: every file as JSON {files: {"manifest.csv": "...", ...}}, or one file as text/csv.
  r.get('/csv', (req, res) => {
    const m = csvMode(req, res);
    if (m) res.json({ files: Object.fromEntries(csvPackage(store.roster, m)) });
  });
  // The package as a OneRoster SIS exports it: one zip, manifest.csv first, the files at its root.
  r.get('/csv.zip', (req, res) => {
    const m = csvMode(req, res);
    if (m) sendZip(res, zipName(m), csvPackage(store.roster, m));
  });
  r.get('/csv/:file', (req, res) => {
    const m = csvMode(req, res);
    if (!m) return;
    const text = csvPackage(store.roster, m).get(req.params.file);
    if (text === undefined) return res.status(404).json({ message: `${req.params.file} is not in this package` });
    res.type('text/csv; charset=utf-8').send(text);
  });
  return r;
}
