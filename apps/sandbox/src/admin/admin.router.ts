// The sandbox's admin API (/_admin): fault knobs and request counters of every stand-in, health, and
// each stand-in's own inspection router. Not an imitation of anything: this is how tests, the e2e
// suite and developers steer the sandbox.
import express, { type Router } from 'express';
import { ZodError } from 'zod';
import type { SandboxContext } from '../context.js';
import { FaultTargets, type FaultTarget } from '../faults/index.js';

export interface AdminMounts {
  moodle?: Router;
  sial?: Router;
  oneroster?: Router;
  smtp?: Router;
  graph?: Router;
}

const isTarget = (t: string): t is FaultTarget => (FaultTargets as readonly string[]).includes(t);

export function adminRouter(ctx: SandboxContext, mounts: AdminMounts, health: () => Record<string, unknown>): Router {
  const r = express.Router();
  r.use(express.json());

  r.get('/_admin/health', (_req, res) => res.json({ status: 'ok', ...health() }));

  r.get('/_admin/faults', (_req, res) => res.json(Object.fromEntries(FaultTargets.map((t) => [t, ctx.faults.get(t)]))));
  r.post('/_admin/faults/reset', (req, res) => {
    const t = typeof req.query.target === 'string' ? req.query.target : undefined;
    if (t !== undefined && !isTarget(t))
      return res.status(404).json({ message: `unknown target '${t}'; one of ${FaultTargets.join(', ')}` });
    ctx.faults.reset(t);
    res.json(Object.fromEntries(FaultTargets.map((x) => [x, ctx.faults.get(x)])));
  });
  r.get('/_admin/faults/:target', (req, res) => {
    const t = req.params.target;
    if (!isTarget(t))
      return res.status(404).json({ message: `unknown target '${t}'; one of ${FaultTargets.join(', ')}` });
    res.json(ctx.faults.get(t));
  });
  r.put('/_admin/faults/:target', (req, res) => {
    const t = req.params.target;
    if (!isTarget(t))
      return res.status(404).json({ message: `unknown target '${t}'; one of ${FaultTargets.join(', ')}` });
    const body = req.body as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return res.status(400).json({ message: 'body must be a JSON object of knobs' });
    // Convenience for curl: {"downForMs": 30000} instead of computing downUntil.
    const { downForMs, ...knobs } = body as Record<string, unknown>;
    if (downForMs !== undefined) {
      if (typeof downForMs !== 'number' || downForMs < 0)
        return res.status(400).json({ message: 'downForMs: expected a non-negative number' });
      knobs.downUntil = Date.now() + downForMs;
    }
    try {
      res.json(ctx.faults.set(t, knobs));
    } catch (e) {
      if (e instanceof ZodError)
        return res.status(400).json({
          message: e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
          issues: e.issues,
        });
      throw e;
    }
  });

  r.get('/_admin/counters', (req, res) => {
    const t = typeof req.query.target === 'string' ? req.query.target : undefined;
    const rows = ctx.counters.list(t);
    res.json({ rows, total: rows.reduce((n, row) => n + row.count, 0) });
  });
  // Each request with its time and status, for rate and Retry-After checks from another process:
  // ?target=graph (required) &since=<epoch ms>.
  r.get('/_admin/counters/requests', (req, res) => {
    const t = typeof req.query.target === 'string' ? req.query.target : undefined;
    if (t === undefined || !isTarget(t))
      return res.status(400).json({ message: `target: one of ${FaultTargets.join(', ')}` });
    const since = Number(req.query.since ?? 0);
    const requests = ctx.counters.requests(t, Number.isFinite(since) ? since : 0);
    res.json({ target: t, count: requests.length, requests });
  });
  r.post('/_admin/counters/reset', (req, res) => {
    const t = typeof req.query.target === 'string' ? req.query.target : undefined;
    ctx.counters.reset(t);
    res.json({ ok: true });
  });

  if (mounts.moodle) r.use('/_admin/moodle', mounts.moodle);
  if (mounts.sial) r.use('/_admin/sial', mounts.sial);
  if (mounts.oneroster) r.use('/_admin/oneroster', mounts.oneroster);
  if (mounts.smtp) r.use('/_admin/smtp', mounts.smtp);
  if (mounts.graph) r.use('/_admin/graph', mounts.graph);

  r.use('/_admin', (_req, res) => res.status(404).json({ message: 'no such admin route' }));
  // Errors in a handler: a JSON 500 (body parse errors keep their 400).
  r.use(
    (err: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err.status && err.status < 500 ? err.status : 500).json({ message: err.message });
    },
  );
  return r;
}
