// Catches the answer of a request as it goes out, whoever writes it (the route's value through Nest, or
// the exception filter's problem+json), so that what is replayed is what the client got. The end of the
// response waits for `onAnswer` (the answer is stored first): a client that retries the moment it reads
// the answer finds it stored, not "in progress".
import type { Response } from 'express';

export interface CapturedAnswer {
  status: number;
  headers: Record<string, string>;
  /** null when larger than the bound given (it is sent, not stored). */
  body: Buffer | null;
}

/** The headers a replay repeats: those that say what the body is and where to go next. */
export const REPLAYED_HEADERS = [
  'content-type',
  'content-language',
  'content-disposition',
  'location',
  'content-location',
  'link',
  'retry-after',
];

export function captureAnswer(
  res: Response,
  maxBytes: number,
  onAnswer: (answer: CapturedAnswer) => Promise<void>,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const b = Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === 'string'
        ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding)
        : Buffer.from(chunk as Uint8Array);
    size += b.length;
    if (size <= maxBytes) chunks.push(b);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Response['write'];
  res.end = function (this: Response, ...args: unknown[]) {
    res.write = write;
    res.end = end;
    collect(args[0], args[1]);
    const headers: Record<string, string> = {};
    for (const h of REPLAYED_HEADERS) {
      const v = res.getHeader(h);
      if (v !== undefined) headers[h] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    void onAnswer({ status: res.statusCode, headers, body: size > maxBytes ? null : Buffer.concat(chunks) })
      .catch(() => undefined)
      .finally(() => (end as (...a: unknown[]) => Response).apply(res, args));
    return res;
  } as Response['end'];
}
