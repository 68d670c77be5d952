import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptCorrelationId, CORRELATION_HEADER, runWithCorrelation } from '../context/correlation.js';

type Req = IncomingMessage & { id?: unknown };

/**
 * The request's correlation id: the one pino-http already assigned (`req.id`), else the caller's
 * `x-correlation-id` if it is plain, else a new uuid. Echoed in the response header. Called both by
 * pino-http (as genReqId) and by the middleware below, whichever runs first; the result is the same.
 */
export function requestCorrelationId(req: Req, res: ServerResponse): string {
  const id =
    (typeof req.id === 'string' && req.id) || acceptCorrelationId(req.headers[CORRELATION_HEADER]) || randomUUID();
  req.id = id;
  if (!res.headersSent && res.getHeader(CORRELATION_HEADER) !== id) res.setHeader(CORRELATION_HEADER, id);
  return id;
}

/** Express-style middleware: the rest of the request runs inside its correlation context. */
export function correlationMiddleware(req: Req, res: ServerResponse, next: () => void): void {
  const correlationId = requestCorrelationId(req, res);
  runWithCorrelation({ correlationId }, next);
}
