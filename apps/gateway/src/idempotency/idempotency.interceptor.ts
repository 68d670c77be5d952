// Idempotency-Key on every POST under /api (IETF httpapi draft "The Idempotency-Key HTTP Header Field"):
// the first request with a key runs and its answer is stored; a retry with the same key and the same
// request (fingerprint.ts) within IDEMPOTENCY_TTL_MS gets that answer again without running anything;
// the key with another request is 422, a key whose request is still running 409, a malformed key 400.
// Keys belong to the caller's token. A POST without the header runs as it always did.
//
// What is stored: every answer below 500 except 408, 425 and 429 (a client error replays as it was); a
// 5xx or one of those releases the key, so the retry runs. Runs as a global interceptor, after AuthGuard
// (the caller is known) and before the route's pipes; a route whose body is read by an interceptor of its
// own (a multipart upload: multer) lists IdempotencyAfterUpload after it, and the key is handled there.
import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, map, of, type Observable } from 'rxjs';
import type { RequestWithIdentity } from '../auth/auth.guard.js';
import { tokenDe } from '../auth/token.js';
import { captureAnswer, type CapturedAnswer } from './answer-capture.js';
import { openAnswer, sealAnswer } from './answer-seal.js';
import { fingerprint, type UploadedPart } from './fingerprint.js';
import { InvalidIdempotencyKey, parseIdempotencyKey } from './idempotency-key.js';
import { IdempotencyStore } from './idempotency.store.js';

/** Answers a retry should not get again: the client is told to try later, so the key must let it. */
const NOT_STORED = new Set([408, 425, 429]);
/** A larger answer is sent but not stored (the key is released): no route of ours answers anything near it. */
const MAX_STORED_BYTES = 4 * 1024 * 1024;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  protected readonly log = new Logger('Idempotency');
  /** Whether this instance is the one that runs after the route's own body parser. */
  protected readonly afterUpload: boolean = false;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<RequestWithIdentity>();
    const res = context.switchToHttp().getResponse<Response>();
    const header = req.headers['idempotency-key'];
    if (req.method !== 'POST' || !req.path.startsWith('/api/') || header === undefined || !req.identity)
      return next.handle();
    if (
      !this.afterUpload &&
      (this.reflector.get<unknown[]>(INTERCEPTORS_METADATA, context.getHandler()) ?? []).includes(
        IdempotencyAfterUpload,
      )
    )
      return next.handle();

    let key: string;
    let fp: string;
    try {
      key = parseIdempotencyKey(header);
      fp = fingerprint({ method: req.method, path: req.originalUrl, body: req.body, files: uploadedParts(req) });
    } catch (err) {
      if (err instanceof InvalidIdempotencyKey)
        throw new BadRequestException({
          message: err.message,
          problemas: [{ campo: 'Idempotency-Key', mensaje: err.message }],
        });
      throw err;
    }
    const { tokenId } = req.identity;
    const bearer = tokenDe(req.headers.authorization) ?? '';

    for (let attempt = 0; ; attempt++) {
      const claim = await this.store.claim(tokenId, key, fp, req.method, req.originalUrl);
      switch (claim.kind) {
        case 'other-request':
          throw new UnprocessableEntityException(
            `la Idempotency-Key "${key}" ya se usó con otra solicitud (otro método, ruta o cuerpo): cada solicitud distinta lleva una clave nueva`,
          );
        case 'in-progress':
          res.setHeader('Retry-After', '1');
          throw new ConflictException(
            `la solicitud con la Idempotency-Key "${key}" todavía está en curso: reintentá en unos segundos`,
          );
        case 'done': {
          const body = claim.answer.body ? openAnswer(claim.answer.body, bearer, tokenId, key) : Buffer.alloc(0);
          if (body) return this.replay(res, claim.answer.status, claim.answer.headers, body);
          // Sealed for the token's previous secret (ADMIN_TOKEN replaced): unreadable, so forgotten.
          await this.store.release(tokenId, key, claim.claimId);
          if (attempt > 0)
            throw new ConflictException(`la Idempotency-Key "${key}" está en uso: reintentá en unos segundos`);
          continue;
        }
        case 'claimed':
          return this.run(next, res, { tokenId, key, claimId: claim.claimId, bearer });
      }
    }
  }

  /** Sends the stored answer as it was; nothing runs. */
  private replay(res: Response, status: number, headers: Record<string, string>, body: Buffer): Observable<unknown> {
    res.status(status);
    for (const [h, v] of Object.entries(headers)) res.setHeader(h, v);
    res.setHeader('Idempotent-Replayed', 'true');
    res.end(body);
    // Nest replies after the interceptors, with the route's own status: this answer is already out.
    const done = () => res;
    Object.assign(res, { status: done, send: done, json: done });
    return of(undefined);
  }

  /** Runs the request and stores its answer (or releases the key), keeping the claim alive meanwhile. */
  private run(
    next: CallHandler,
    res: Response,
    k: { tokenId: string; key: string; claimId: string; bearer: string },
  ): Observable<unknown> {
    const renewal = setInterval(
      () => {
        this.store
          .renew(k.tokenId, k.key, k.claimId)
          .catch((err) => this.log.warn({ err: (err as Error).message }, 'renewing an idempotency claim failed'));
      },
      Math.max(250, Math.floor(this.store.leaseMs / 3)),
    );
    renewal.unref();

    let settled = false;
    const settle = async (answer: CapturedAnswer | undefined) => {
      if (settled) return;
      settled = true;
      clearInterval(renewal);
      try {
        if (!answer || answer.body === null || answer.status >= 500 || NOT_STORED.has(answer.status))
          await this.store.release(k.tokenId, k.key, k.claimId);
        else
          await this.store.complete(k.tokenId, k.key, k.claimId, {
            status: answer.status,
            headers: answer.headers,
            body: sealAnswer(answer.body, k.bearer, k.tokenId, k.key),
          });
      } catch (err) {
        // The claim stays "in progress" until its lease runs out; then a retry takes it over and runs.
        this.log.warn({ err: (err as Error).message }, 'storing an idempotent answer failed');
      }
    };
    captureAnswer(res, MAX_STORED_BYTES, settle);

    // Our own subscription: the route runs to its end even if the client leaves and Nest lets go.
    const outcome: Promise<Outcome> = lastValueFrom(next.handle(), { defaultValue: undefined }).then(
      (value) => ({ ok: true, value }),
      (error) => ({ ok: false, error }),
    );
    // A client that left (a timeout, the very case a retry comes from) gets no answer written, so the
    // route's value is stored as Nest would have sent it; an error releases the key.
    res.once('close', () => {
      if (res.writableEnded) return;
      void outcome.then((o) =>
        settle(
          o.ok
            ? {
                status: res.statusCode,
                headers: { 'content-type': 'application/json; charset=utf-8' },
                body:
                  o.value === undefined
                    ? Buffer.alloc(0)
                    : Buffer.from(typeof o.value === 'object' ? JSON.stringify(o.value) : String(o.value)),
              }
            : undefined,
        ),
      );
    });
    return from(outcome).pipe(
      map((o) => {
        if (!o.ok) throw o.error;
        return o.value;
      }),
    );
  }
}

/** For a route whose body an interceptor of its own reads (multer): `@UseInterceptors(FileInterceptor('archivo'), IdempotencyAfterUpload)`. */
@Injectable()
export class IdempotencyAfterUpload extends IdempotencyInterceptor {
  protected override readonly afterUpload = true;
}

function uploadedParts(req: RequestWithIdentity): UploadedPart[] {
  const r = req as RequestWithIdentity & {
    file?: UploadedPart;
    files?: UploadedPart[] | Record<string, UploadedPart[]>;
  };
  if (r.file) return [r.file];
  if (Array.isArray(r.files)) return r.files;
  return r.files ? Object.values(r.files).flat() : [];
}
