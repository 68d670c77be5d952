// A request body under /api must be JSON (or, for the upload of a lote, multipart/form-data): a form post,
// XML or text is refused with 415 before anything reads it as an empty body, and so is a multipart body
// sent to a route that takes no file.
import { Injectable, UnsupportedMediaTypeException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const SUBIDA = /^\/api\/v1\/lotes\/?$/;

@Injectable()
export class ContentTypeMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const conCuerpo = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const subida = req.method === 'POST' && SUBIDA.test(req.originalUrl.split('?')[0]!);
    if (conCuerpo && !req.is(['application/json', 'application/*+json', ...(subida ? ['multipart/form-data'] : [])])) {
      throw new UnsupportedMediaTypeException(
        `el cuerpo debe ser application/json${subida ? ' o multipart/form-data' : ''} (llegó ${req.headers['content-type'] ?? 'sin Content-Type'})`,
      );
    }
    next();
  }
}
