// The Moodle Web Services stand-in: an express app answering /webservice/rest/server.php, its store,
// and the admin router. Seeded from the environment:
//   SANDBOX_MOODLE_TOKEN    the token Lucy uses (all functions allowed), default 'sandbox-moodle-token'
//   SANDBOX_MOODLE_COURSES  comma-separated shortnames, or a JSON array of course seeds
//   SANDBOX_MOODLE_CONFIG   JSON of site settings (see MoodleConfigSchema)
import express from 'express';
import type { SandboxContext } from '../context.js';
import type { Logger } from '../log.js';
import { moodleRouter } from './moodle.server.js';
import { type CourseSeed, DEFAULT_COURSES, MoodleStore, TokenSchema } from './moodle.store.js';

export { MoodleStore } from './moodle.store.js';
export { moodleAdminRouter } from './moodle-admin.router.js';
export { encodePhpQuery } from './php-query.js';

export function moodleSeedFromEnv(env: NodeJS.ProcessEnv): ConstructorParameters<typeof MoodleStore>[0] {
  const rawCourses = env.SANDBOX_MOODLE_COURSES?.trim();
  const courses: CourseSeed[] = !rawCourses
    ? DEFAULT_COURSES
    : rawCourses.startsWith('[')
      ? (JSON.parse(rawCourses) as CourseSeed[])
      : rawCourses
          .split(',')
          .map((s) => ({ shortname: s.trim() }))
          .filter((c) => c.shortname);
  const token = TokenSchema.parse({ token: env.SANDBOX_MOODLE_TOKEN || 'sandbox-moodle-token', service: 'lucy' });
  const config = env.SANDBOX_MOODLE_CONFIG ? JSON.parse(env.SANDBOX_MOODLE_CONFIG) : {};
  return { courses, tokens: [token], config };
}

export function moodleApp(ctx: SandboxContext, store: MoodleStore, log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(moodleRouter(ctx, store, log));
  app.use((_req, res) => {
    res
      .status(404)
      .type('text/html')
      .send('<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>');
  });
  return app;
}
