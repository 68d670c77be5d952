// A request body under /api must be JSON (or, for uploads, multipart/form-data): a form post, XML or text
// is refused with 415 before anything reads it as an empty body.
import { Injectable, UnsupportedMediaTypeException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

@Injectable()
export class ContentTypeMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const conCuerpo = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (conCuerpo && !req.is(['application/json', 'application/*+json', 'multipart/form-data'])) {
      throw new UnsupportedMediaTypeException(`el cuerpo debe ser application/json${req.originalUrl.split('?')[0]!.endsWith('/lotes') ? ' o multipart/form-data' : ''} (llegó ${req.headers['content-type'] ?? 'sin Content-Type'})`);
    }
    next();
  }
}
