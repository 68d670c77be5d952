// /_admin/moodle: what a test or an operator needs to see and steer in the stand-in's Moodle site —
// users, courses, enrolments, tokens, site settings (debug level, password policy, installed auth
// plugins...), the last calls, and a reset. Not part of Moodle.
import express from 'express';
import { z } from 'zod';
import { validated } from '../admin/validate.js';
import { CourseSeedSchema, MoodleConfigSchema, type MoodleStore, TokenSchema } from './moodle.store.js';

export function moodleAdminRouter(store: MoodleStore): express.Router {
  const r = express.Router();
  r.use(express.json());

  r.get('/users', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    res.json(
      store
        .users()
        .filter(
          (u) =>
            (q.username === undefined || u.username === q.username) &&
            (q.email === undefined || u.email === q.email) &&
            (q.deleted === 'true' || !u.deleted),
        ),
    );
  });
  r.get('/users/:id', (req, res) => {
    const u = store.user(Number(req.params.id));
    if (!u) return res.status(404).json({ message: 'no such user' });
    res.json({ ...u, enrolments: store.enrolments({ userid: u.id }) });
  });
  r.get('/courses', (_req, res) => res.json(store.courses()));
  r.post(
    '/courses',
    validated(CourseSeedSchema, (body, _req, res) => res.status(201).json(store.addCourse(body))),
  );
  r.patch(
    '/courses/:id',
    validated(
      CourseSeedSchema.partial()
        .omit({ shortname: true })
        .extend({ shortname: z.string().min(1).optional() })
        .strict(),
      (body, req, res) => {
        const c = store.course(Number(req.params.id));
        if (!c) return res.status(404).json({ message: 'no such course' });
        Object.assign(c, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
        res.json(c);
      },
    ),
  );
  r.get('/enrolments', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    res.json(
      store.enrolments({
        courseid: q.courseid ? Number(q.courseid) : undefined,
        userid: q.userid ? Number(q.userid) : undefined,
      }),
    );
  });
  r.get('/tokens', (_req, res) => res.json(store.tokens()));
  r.put(
    '/tokens',
    validated(TokenSchema, (body, _req, res) => {
      store.setToken(body);
      res.json(body);
    }),
  );
  r.get('/config', (_req, res) => res.json(store.config));
  r.put(
    '/config',
    validated(MoodleConfigSchema.partial(), (body, _req, res) => {
      store.config = MoodleConfigSchema.parse({
        ...store.config,
        ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
      });
      res.json(store.config);
    }),
  );
  r.get('/calls', (_req, res) => res.json(store.calls));
  r.post('/reset', (_req, res) => {
    store.reset();
    res.json({ ok: true });
  });
  return r;
}
