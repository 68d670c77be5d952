// What makes two requests "the same request" for a key (the draft's "request fingerprint", section 2.4):
// the method, the path with its query, and the payload as the gateway read it. A JSON body counts by its
// content (whitespace and the order of an object's keys do not matter); a multipart upload by its text
// fields and each file's field, name, type and content (its SHA-256), not by its bytes on the wire, whose
// boundary a client draws anew on every attempt.
import { createHash } from 'node:crypto';

/** What multer leaves on the request (memory storage). */
export interface UploadedPart {
  fieldname: string;
  originalname: string;
  mimetype: string;
  buffer?: Buffer;
}

export interface FingerprintInput {
  method: string;
  path: string;
  body: unknown;
  files?: UploadedPart[];
}

/** A piece of JSON syntax waiting on the stack between values. */
class Syntax {
  constructor(readonly text: string) {}
}

/**
 * Writes `value` as canonical JSON (an object's keys sorted, no whitespace; `null` for no body) piece by
 * piece. A walk with a stack of its own: a body nested thousands deep, which JSON.parse reads but
 * JSON.stringify cannot write back, is still compared.
 */
export function writeCanonicalJson(value: unknown, write: (piece: string) => void): void {
  const stack: unknown[] = [value ?? null];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof Syntax) write(v.text);
    else if (v === null || v === undefined || typeof v !== 'object') write(JSON.stringify(v ?? null) ?? 'null');
    else if (Array.isArray(v)) {
      stack.push(new Syntax(']'));
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i], ...(i > 0 ? [new Syntax(',')] : []));
      stack.push(new Syntax('['));
    } else {
      const keys = Object.keys(v).sort();
      stack.push(new Syntax('}'));
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push(
          (v as Record<string, unknown>)[keys[i]!],
          new Syntax(`${JSON.stringify(keys[i])}:`),
          ...(i > 0 ? [new Syntax(',')] : []),
        );
      stack.push(new Syntax('{'));
    }
  }
}

export function canonicalJson(value: unknown): string {
  const pieces: string[] = [];
  writeCanonicalJson(value, (p) => pieces.push(p));
  return pieces.join('');
}

/** SHA-256 (hex) of the request's method, path and payload. */
export function fingerprint(req: FingerprintInput): string {
  const files = (req.files ?? [])
    .map((f) => ({
      campo: f.fieldname,
      nombre: f.originalname,
      tipo: f.mimetype,
      sha256: createHash('sha256')
        .update(f.buffer ?? Buffer.alloc(0))
        .digest('hex'),
    }))
    .sort((a, b) => (a.campo + a.nombre + a.sha256 < b.campo + b.nombre + b.sha256 ? -1 : 1));
  const hash = createHash('sha256').update(`${req.method.toUpperCase()}\n${req.path}\n`);
  writeCanonicalJson(req.body, (p) => hash.update(p));
  return hash.update(`\n${canonicalJson(files)}`).digest('hex');
}
