// How a message is declared: once, with its name, version, schema and routing key. The TypeScript type
// and the runtime validation come from the same declaration (docs/STYLE.md, "A message is declared once").
import { z } from 'zod';

export type MessageKind = 'event' | 'command';

export interface MessageDefinition<S extends z.ZodType = z.ZodType> {
  readonly kind: MessageKind;
  /** Dotted, lower case, Spanish domain words: `alumno.creado`, `cuenta-teams.eliminar`. */
  readonly name: string;
  readonly version: number;
  readonly schema: S;
  /** `<name>.v<version>`: a consumer binds to exactly the versions it accepts. */
  readonly routingKey: string;
  /** `<name>@v<version>`, the envelope's `type` + `version` joined, for logs and registries. */
  readonly id: string;
}

export interface CommandDefinition<S extends z.ZodType = z.ZodType> extends MessageDefinition<S> {
  readonly kind: 'command';
  /** The events that answer this command: success first, then failure. */
  readonly replies: readonly MessageDefinition[];
}

export type Payload<D extends MessageDefinition> = z.infer<D['schema']>;
/** docs/STYLE.md spells it EventPayload; both names read well at their call sites. */
export type EventPayload<D extends MessageDefinition> = Payload<D>;

const NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

function define<S extends z.ZodType>(kind: MessageKind, spec: { name: string; version: number; schema: S }) {
  if (!NAME.test(spec.name)) throw new Error(`message name "${spec.name}" must be dotted lower-case words`);
  if (!Number.isInteger(spec.version) || spec.version < 1)
    throw new Error(`message ${spec.name}: version must be a positive integer`);
  return {
    kind,
    name: spec.name,
    version: spec.version,
    schema: spec.schema,
    routingKey: `${spec.name}.v${spec.version}`,
    id: `${spec.name}@v${spec.version}`,
  } as const;
}

export function defineEvent<S extends z.ZodType>(spec: {
  name: string;
  version: number;
  schema: S;
}): MessageDefinition<S> & { kind: 'event' } {
  return define('event', spec) as MessageDefinition<S> & { kind: 'event' };
}

export function defineCommand<S extends z.ZodType>(spec: {
  name: string;
  version: number;
  schema: S;
  replies: readonly MessageDefinition[];
}): CommandDefinition<S> {
  return { ...define('command', spec), kind: 'command', replies: spec.replies } as CommandDefinition<S>;
}
