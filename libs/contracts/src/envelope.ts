// The one envelope every message travels in. The body on the wire is this JSON object; the same ids are
// also set as AMQP properties (messageId, correlationId, type) so the broker's tools show them.
import { z } from 'zod';

export const EnvelopeSchema = z.object({
  messageId: z.uuid(),
  /** The id shared by everything one operator action, pull or upload set in motion. */
  correlationId: z.string().min(1).max(200),
  /** The messageId of the message whose handling caused this one (absent for a first cause). */
  causationId: z.string().min(1).max(200).nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  type: z.string().min(1).max(200),
  version: z.number().int().positive(),
  payload: z.unknown(),
});

export interface Envelope<P = unknown> {
  messageId: string;
  correlationId: string;
  causationId: string | null;
  occurredAt: string;
  type: string;
  version: number;
  payload: P;
}
