// From a definition and a payload to bytes on the wire, and back, validating both ways: a message is
// checked when it is published and again when it is consumed (the consumer may run other code).
import { randomUUID } from 'node:crypto';
import type { ConsumeMessage, Options } from 'amqplib';
import { EnvelopeSchema, findMessage, type Envelope, type MessageDefinition, type Payload } from '@lucy/contracts';
import { PermanentError } from '../errors.js';
import { envelopeShortcut } from './envelope-check.js';
import { EXCHANGES } from '../options.js';

export interface Causation {
  correlationId: string;
  causationId: string | null;
}

export interface OutgoingMessage {
  messageId: string;
  exchange: string;
  routingKey: string;
  body: Buffer;
  properties: Options.Publish;
}

export function exchangeFor(def: MessageDefinition): string {
  return def.kind === 'command' ? EXCHANGES.commands : EXCHANGES.events;
}

export function formatZodIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function buildEnvelope<D extends MessageDefinition>(
  def: D,
  payload: Payload<D>,
  cause: Causation,
): Envelope<Payload<D>> {
  const parsed = def.schema.safeParse(payload);
  if (!parsed.success)
    throw new PermanentError(`refusing to publish ${def.id}: ${formatZodIssues(parsed.error)}`, 'invalid-payload');
  return {
    messageId: randomUUID(),
    correlationId: cause.correlationId,
    causationId: cause.causationId,
    occurredAt: new Date().toISOString(),
    type: def.name,
    version: def.version,
    payload: parsed.data as Payload<D>,
  };
}

export function toOutgoing(def: MessageDefinition, envelope: Envelope): OutgoingMessage {
  return {
    messageId: envelope.messageId,
    exchange: exchangeFor(def),
    routingKey: def.routingKey,
    body: Buffer.from(JSON.stringify(envelope)),
    properties: publishProperties(envelope),
  };
}

/**
 * The envelope's ids as AMQP properties, for the broker's tools. No header table: the version is in the
 * body and the routing key, the correlation id in the body and `correlationId`, and amqplib encodes a
 * fresh header object slowly (it becomes a prototype) — a header table cost ~15% of a hop's CPU.
 */
export function publishProperties(envelope: Pick<Envelope, 'messageId' | 'correlationId' | 'type'>): Options.Publish {
  return {
    persistent: true,
    contentType: 'application/json',
    messageId: envelope.messageId,
    correlationId: envelope.correlationId,
    type: envelope.type,
  };
}

export interface Decoded {
  envelope: Envelope;
  definition: MessageDefinition;
  payload: unknown;
}

/** Parses and validates a delivery; every way it can be wrong is a PermanentError naming the fault. */
export function decode(
  msg: ConsumeMessage,
  lookup: (type: string, version: number) => MessageDefinition | undefined,
): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(msg.content.toString('utf8'));
  } catch {
    throw new PermanentError('body is not JSON', 'not-json');
  }
  let envelope = envelopeShortcut(raw);
  if (!envelope) {
    const env = EnvelopeSchema.safeParse(raw);
    if (!env.success) throw new PermanentError(`invalid envelope: ${formatZodIssues(env.error)}`, 'invalid-envelope');
    envelope = env.data as Envelope;
  }
  const { type, version } = envelope;
  const definition = lookup(type, version);
  if (!definition) {
    const known = findMessage(type, version) ? 'known, but not handled by this queue' : 'unknown type or version';
    throw new PermanentError(`no handler for ${type} v${version} (${known})`, 'unknown-type');
  }
  const payload = definition.schema.safeParse(envelope.payload);
  if (!payload.success)
    throw new PermanentError(`invalid ${definition.id} payload: ${formatZodIssues(payload.error)}`, 'invalid-payload');
  return { envelope, definition, payload: payload.data };
}
