// Every delivery's envelope is checked against EnvelopeSchema. zod takes ~1.7 µs for it (each field through
// its check machinery); the same rules written out take ~0.2 µs. This is that shortcut, and only a
// shortcut: it answers "valid" only for an envelope EnvelopeSchema accepts, with the object zod would
// return (known keys only), and anything else — including every invalid envelope — goes to zod, which
// gives the verdict and the reasons. The format patterns are zod's own, read from the schema;
// envelope-check.spec.ts holds both to the same answers.
import { EnvelopeSchema, type Envelope } from '@lucy/contracts';
import { zodPatternOf } from '../library-internals.js';

const UUID = zodPatternOf(EnvelopeSchema.shape.messageId);
const DATETIME = zodPatternOf(EnvelopeSchema.shape.occurredAt);
/** Without zod's patterns (another zod version), every envelope goes to zod. */
export const shortcutAvailable = UUID !== undefined && DATETIME !== undefined;

const MAX_TEXT = 200;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= MAX_TEXT;

/** The envelope as EnvelopeSchema would parse it, or undefined: "ask zod" (it may still be valid). */
export function envelopeShortcut(raw: unknown): Envelope | undefined {
  if (!shortcutAvailable || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (!Object.hasOwn(r, 'payload')) return undefined; // zod wants the key, whatever its value
  const { messageId, correlationId, causationId, occurredAt, type, version } = r;
  if (typeof messageId !== 'string' || !UUID!.test(messageId)) return undefined;
  if (!isText(correlationId) || (causationId !== null && !isText(causationId)) || !isText(type)) return undefined;
  if (typeof occurredAt !== 'string' || !DATETIME!.test(occurredAt)) return undefined;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) return undefined;
  return { messageId, correlationId, causationId, occurredAt, type, version, payload: r.payload };
}
