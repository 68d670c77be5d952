// webservice/rest/server.php as Moodle runs it (webservice/lib.php webservice_base_server::run and
// webservice/rest/locallib.php): merge $_GET and $_POST (POST wins), take out wstoken, wsfunction,
// moodlewsrestformat and the moodlewssetting* options, authenticate the token, look the function up,
// check the token's service allows it, validate the parameters, run, clean the result and print it.
// Every Moodle error is HTTP 200 with an {"exception","errorcode","message"} body; only the fault knobs
// (the web server in front) and a disabled REST protocol (403) produce other statuses.
import express, { type Request, type Response } from 'express';
import type { SandboxContext } from '../context.js';
import { sendDown, sendError5xx, sendThrottle } from '../fault-responses.js';
import { sleep } from '../faults/index.js';
import { readBody } from '../http.js';
import type { Logger } from '../log.js';
import { type Validated, cleanReturnValue, validateParameters } from './moodle.description.js';
import { MoodleException, accessException, invalidParameter, missingRecord, moodleException } from './moodle.errors.js';
import type { ParamEnv } from './moodle.params.js';
import type { MoodleStore } from './moodle.store.js';
import { WS_FUNCTIONS } from './functions/index.js';
import { type PhpArray, parsePhpQuery, phpMerge } from './php-query.js';
import { phpJsonEncode, xmlError, xmlResponse } from './php-output.js';

const ACCESS_DEBUGINFO = (fn: string) => `Access to the function ${fn}() is not allowed.
                     There could be multiple reasons for this:
                     1. The service linked to the user token does not contain the function.
                     2. The service is user-restricted and the user is not listed.
                     3. The service is IP-restricted and the user IP is not listed.
                     4. The service is time-restricted and the time has expired.
                     5. The token is time-restricted and the time has expired.
                     6. The service requires a specific capability which the user does not have.
                     7. The function is called with username/password (no user token is sent)
                     and none of the services has the function to allow the user.
                     These settings can be found in Administration > Site administration
                     > Server > Web services > External services and Manage tokens.`;

const scalar = (v: unknown): string | null => (typeof v === 'string' ? v : null);

interface Parsed {
  token: string | null;
  functionname: string | null;
  format: 'json' | 'xml';
  parameters: PhpArray;
}

async function parseRequest(req: Request): Promise<Parsed> {
  const url = new URL(req.originalUrl, 'http://x');
  const get = parsePhpQuery(url.search.slice(1));
  let post: PhpArray = new Map();
  // PHP fills $_POST only from form bodies; a JSON body leaves it empty (and Moodle sees no token).
  if (
    req.method === 'POST' &&
    (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
  ) {
    post = parsePhpQuery(await readBody(req));
  } else if (req.method === 'POST') {
    await readBody(req);
  }
  const vars = phpMerge(get, post);
  for (const k of [...vars.keys()]) if (k.startsWith('moodlewssetting')) vars.delete(k);
  const format = vars.get('moodlewsrestformat') === 'json' ? 'json' : 'xml';
  vars.delete('moodlewsrestformat');
  const token = scalar(vars.get('wstoken'));
  vars.delete('wstoken');
  const functionname = scalar(vars.get('wsfunction'));
  vars.delete('wsfunction');
  return { token, functionname, format, parameters: vars };
}

function execute(p: Parsed, store: MoodleStore, env: ParamEnv): { result: Validated; fn: string } {
  // authenticate_by_token(): unknown token, then expiry; then the maintenance check.
  const token = p.token === null ? undefined : store.token(p.token);
  if (!token) throw moodleException('invalidtoken', 'webservice', 'Invalid token - token not found');
  if (token.validuntil && token.validuntil < Date.now() / 1000) {
    throw new MoodleException(
      'webservice_access_exception',
      'accessexception',
      'Access control exception',
      'webservice',
      'Invalid token - token expired - check validuntil time for the token',
    );
  }
  if (store.config.maintenance)
    throw moodleException(
      'sitemaintenance',
      'admin',
      'The site is undergoing maintenance and is currently not available',
    );
  // load_function_info()
  if (!p.functionname) throw invalidParameter('Missing function name');
  const fn = WS_FUNCTIONS.get(p.functionname);
  if (!fn)
    throw missingRecord('external_functions', 'SELECT * FROM {external_functions} WHERE name = ?', [p.functionname]);
  const allowed = token.functions === '*' ? [...WS_FUNCTIONS.keys()] : token.functions;
  if (!allowed.includes(fn.name)) throw accessException(ACCESS_DEBUGINFO(fn.name));
  const params = validateParameters(fn.parameters, p.parameters, env) as Record<string, Validated>;
  const returns = store.transaction(() =>
    fn.execute(params, { store, env, userid: token.userid, allowedFunctions: allowed }),
  );
  return { result: fn.returns ? cleanReturnValue(fn.returns, returns) : null, fn: fn.name };
}

function sendMoodle(res: Response, format: 'json' | 'xml', body: string): void {
  // webservice_rest_server::send_headers()
  res.status(200);
  // setHeader, not res.set: express would append "; charset=utf-8", which Moodle does not send.
  if (format === 'json') res.setHeader('Content-Type', 'application/json');
  else
    res
      .setHeader('Content-Type', 'application/xml; charset=utf-8')
      .setHeader('Content-Disposition', 'inline; filename="response.xml"');
  res.set({
    'Cache-Control': 'private, must-revalidate, pre-check=0, post-check=0, max-age=0',
    Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
    Pragma: 'no-cache',
    'Accept-Ranges': 'none',
  });
  res.end(body);
}

export function moodleRouter(ctx: SandboxContext, store: MoodleStore, log: Logger): express.Router {
  const router = express.Router();
  const handle = async (req: Request, res: Response) => {
    const p = await parseRequest(req);
    const endpoint = p.functionname ?? '(none)';
    const decision = ctx.faults.decide('moodle');
    if (decision.delayMs) await sleep(decision.delayMs);
    if (decision.kind !== 'pass') {
      if (decision.kind === 'down') sendDown(res);
      else if (decision.kind === 'error5xx') sendError5xx(res);
      else sendThrottle(res, decision.retryAfterSeconds);
      ctx.counters.record('moodle', endpoint, res.statusCode);
      log('warn', 'moodle fault injected', { wsfunction: endpoint, fault: decision.kind, status: res.statusCode });
      return;
    }
    if (!store.config.restEnabled) {
      // server.php: webservices or the REST protocol disabled → 403 and nothing else.
      res.status(403).end();
      ctx.counters.record('moodle', endpoint, 403);
      return;
    }
    const env: ParamEnv = {
      auths: store.config.auths,
      langs: store.config.langs,
      themes: store.config.themes,
      debug: store.config.debug,
    };
    const render = { debug: store.config.debug, naming: store.config.exceptionNaming };
    try {
      const { result, fn } = execute(p, store, env);
      const fnDesc = WS_FUNCTIONS.get(fn)!;
      sendMoodle(res, p.format, p.format === 'json' ? phpJsonEncode(result) : xmlResponse(result, fnDesc.returns));
      store.recordCall({ at: new Date().toISOString(), wsfunction: endpoint, ok: true });
      log('info', 'moodle call', { wsfunction: endpoint, ok: true });
    } catch (e) {
      if (!(e instanceof MoodleException)) throw e;
      const body = e.toJson(render);
      sendMoodle(res, p.format, p.format === 'json' ? phpJsonEncode(body) : xmlError(body));
      store.recordCall({ at: new Date().toISOString(), wsfunction: endpoint, ok: false, errorcode: e.errorcode });
      log('info', 'moodle call', { wsfunction: endpoint, ok: false, errorcode: e.errorcode.slice(0, 120) });
    }
    ctx.counters.record('moodle', endpoint, 200);
  };
  router.all('/webservice/rest/server.php', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    handle(req, res).catch(next);
  });
  return router;
}
