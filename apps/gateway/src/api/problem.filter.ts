// Every error leaves as RFC 9457 application/problem+json, and nothing a client sent becomes a 500.
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('Api');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let detail = 'error interno; el detalle quedó en el log del servicio';
    let problemas: unknown;
    if (err instanceof HttpException) {
      status = err.getStatus();
      const body = err.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: string | string[] }).message;
      detail = Array.isArray(message) ? message.join('; ') : (message ?? err.message);
      // A validation failure's fields, one by one (SchemaPipe): an extension member, as RFC 9457 allows.
      if (typeof body === 'object' && Array.isArray((body as { problemas?: unknown }).problemas))
        problemas = (body as { problemas: unknown[] }).problemas;
    } else if ((err as { type?: string }).type === 'entity.parse.failed') {
      status = 400;
      detail = `el cuerpo no es JSON válido (${(err as Error).message})`;
    } else if ((err as { type?: string }).type === 'entity.too.large') {
      status = 413;
      detail = 'el cuerpo excede el tamaño permitido';
    } else if (isClientError(err)) {
      // body-parser's other refusals (unsupported charset or encoding, aborted request): the client's to fix.
      status = err.statusCode;
      detail = err.message;
    } else {
      this.log.error({ err: (err as Error)?.message, stack: (err as Error)?.stack }, 'unhandled error');
    }
    // Every 400 says which field to fix, even one refused before any schema ran (malformed JSON, a
    // missing file): a client shows `problemas` beside the fields without parsing `detail`.
    if (status === 400 && !problemas) problemas = [{ campo: campoDe(req), mensaje: detail }];
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="lucy"');
    res
      .status(status)
      .type('application/problem+json')
      .json({
        type: 'about:blank',
        title: HttpStatus[status] ?? 'Error',
        status,
        detail,
        instance: req.originalUrl,
        ...(problemas ? { problemas } : {}),
      });
  }
}

/** Where a request refused as a whole went wrong: its body if it has one, else its URL. */
function campoDe(req: Request): string {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] ? 'cuerpo' : 'ruta';
}

function isClientError(err: unknown): err is { statusCode: number; message: string } {
  const e = err as { statusCode?: unknown; expose?: unknown };
  return typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && e.expose === true;
}
