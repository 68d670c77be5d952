// The OpenAPI document says, on every POST, that it takes an Idempotency-Key and what 400/409/422 mean
// for it: written once here rather than on each route.
import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_MAX } from './idempotency-key.js';

const PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Optional (IETF draft-ietf-httpapi-idempotency-key-header). A Structured Field string, e.g. `"8e03978e-40d5-43e8-bc93-6894a57f9324"` ' +
    '(a bare token without the quotes is accepted too), unique per request, kept per token for IDEMPOTENCY_TTL_MS (24 h). A retry with the same key and the ' +
    'same request (method, path with query, body; for uploads the file and fields) gets the first answer again (with ' +
    '`Idempotent-Replayed: true`) and runs nothing; answers 5xx, 408, 425 and 429 are not kept (the retry runs).',
  schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX },
  example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
} as const;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { type: 'object' } } },
});

const RESPONSES: Record<string, string> = {
  '400': 'Idempotency-Key malformed (empty, longer than 255, not a printable-ASCII sf-string, or sent twice)',
  '409': 'a request with this Idempotency-Key is still in progress (Retry-After: 1)',
  '422': 'this Idempotency-Key was already used for a different request (method, path or body)',
};

export function documentIdempotency(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    const op = item.post;
    if (!op) continue;
    op.parameters = [
      ...(op.parameters ?? []).filter((p) => !('name' in p && p.name === PARAMETER.name)),
      { ...PARAMETER },
    ];
    op.responses ??= {};
    for (const [status, text] of Object.entries(RESPONSES)) {
      const existing = op.responses[status] as { description?: string } | undefined;
      op.responses[status] = existing
        ? { ...existing, description: [existing.description, `Idempotency-Key: ${text}`].filter(Boolean).join('; ') }
        : problem(`Idempotency-Key: ${text}`);
    }
  }
  return doc;
}
