// Who may touch what on the broker: one user per service, as RabbitMQ definitions (users, vhost,
// permissions) that `rabbitmqctl import_definitions` or the broker's `load_definitions` read. Built from
// the topology's own names (topology.ts, options.ts), so a renamed queue or exchange moves its permission.
//
// What a service does on the broker, and the permission each step needs (RabbitMQ's access-control table):
//   declares lucy.events / lucy.commands with lucy.unrouted as alternate exchange → configure + read on
//     them, write on lucy.unrouted; declares and binds the lucy.unrouted queue → configure + write on it;
//   declares its queues `<service>`, `<service>.control`, `<service>.retencion`, their retry tiers and
//     parking queues (`<queue>.retry.<n>ms`, `<queue>.parked`) → configure on `<service>` and `<service>.*`;
//     the retry tiers dead-letter to the default exchange → write on amq.default;
//   binds its queues to lucy.events / lucy.commands → write on its queues, read on the exchanges;
//   consumes its queues → read on them; publishes events → write on lucy.events;
//   moves a failing message to a retry tier or its parking queue through the default exchange → amq.default.
// Nothing matches another service's queues, so its user can neither consume, purge, delete nor bind them.
// Two things RabbitMQ cannot narrow further: the alternate exchange and its queue share the name
// lucy.unrouted, so every service may read that queue (what no queue was bound for); and the default
// exchange reaches any queue by name, so a service could put (never take) a message in another's queue.
// The coordinator (the gateway) also sends the commands → write on lucy.commands, which no other service
// publishes to; and its dead-letter operations (apps/gateway/src/dlq) read every service's parking queues
// (list, replay and discard are basic.get + ack; counting them is a passive declare, which needs nothing).
// On lucy.events, a topic exchange every service writes to, topic permissions narrow each user to the
// routing keys of the events it publishes (`publishes`, from libs/contracts' PUBLICA): a service cannot
// announce another's event (an account created, a student enrolled). Their read side is checked when a
// queue is bound, and every service binds to others' events, so it stays open. lucy.commands needs none:
// only the coordinator writes to it. RabbitMQ checks them on topic exchanges only, which the default and
// lucy.unrouted are not.
import { createHash, randomBytes } from 'node:crypto';
import { EXCHANGES } from '../options.js';
import { parkedQueueName } from '../transport/topology.js';

/** RabbitMQ's default password hashing: base64(salt ++ sha256(salt ++ password)), a 4-byte random salt. */
export const RABBIT_HASHING_ALGORITHM = 'rabbit_password_hashing_sha256';

export function rabbitPasswordHash(password: string, salt: Buffer = randomBytes(4)): string {
  const digest = createHash('sha256').update(salt).update(password, 'utf8').digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

/** The default exchange, as RabbitMQ names it in permission checks. */
const DEFAULT_EXCHANGE = 'amq.default';

const literal = (name: string) => name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const exactly = (alternatives: string[]) => `^(${alternatives.join('|')})$`;

export interface BrokerPermissions {
  configure: string;
  write: string;
  read: string;
}

/**
 * The permission regexes of `service`'s user. The coordinator (`services`: everyone it coordinates) sends
 * commands and operates every service's parking queues: each service's queue and its control queue
 * (`<service>.control`, libs/resilience), as apps/gateway/src/dlq lists them.
 */
export function servicePermissions(service: string, coordinator?: { services: readonly string[] }): BrokerPermissions {
  const own = `${literal(service)}(\\..+)?`;
  const exchanges = [EXCHANGES.events, EXCHANGES.commands, EXCHANGES.unrouted].map(literal);
  const publishes = [EXCHANGES.events, ...(coordinator ? [EXCHANGES.commands] : [])].map(literal);
  const parked = (coordinator?.services ?? [])
    .flatMap((s) => [s, `${s}.control`])
    .map((q) => literal(parkedQueueName(q)));
  return {
    configure: exactly([own, ...exchanges]),
    write: exactly([own, ...publishes, literal(EXCHANGES.unrouted), literal(DEFAULT_EXCHANGE)]),
    read: exactly([own, ...exchanges, ...parked]),
  };
}

export interface TopicPermissions {
  exchange: string;
  write: string;
  read: string;
}

/** What a service may publish on lucy.events: exactly `routingKeys` (none at all if it is empty). */
export function topicPermissions(routingKeys: readonly string[]): TopicPermissions {
  return {
    exchange: EXCHANGES.events,
    // An empty alternation would match the empty key only; a pattern that matches nothing says it plainly.
    write: routingKeys.length ? exactly([...routingKeys].sort().map(literal)) : '^$.',
    read: '.*',
  };
}

export interface BrokerAccount {
  service: string;
  /** The broker user (the service's name in production; tests use names of their own). */
  user: string;
  passwordHash: string;
  /** The routing keys it may publish on lucy.events; undefined: any (no topic permission). */
  publishes?: readonly string[];
}

/** An administrator (management UI, HTTP API): every permission on the vhost. */
export interface BrokerAdmin {
  user: string;
  passwordHash: string;
}

const userEntry = (user: string, passwordHash: string, tags: string[]) => ({
  name: user,
  password_hash: passwordHash,
  hashing_algorithm: RABBIT_HASHING_ALGORITHM,
  tags,
});

/**
 * RabbitMQ definitions for Lucy's vhost and users. `coordinator`: the service that sends commands and
 * operates every service's parking queues (the gateway). The topology itself is declared by the services at start, and
 * by queue arguments, not policies (topology.ts): nothing here has to match it byte for byte.
 */
export function brokerDefinitions(opts: {
  vhost: string;
  accounts: readonly BrokerAccount[];
  coordinator?: string;
  admin?: BrokerAdmin;
}) {
  const { vhost, accounts, admin } = opts;
  const services = accounts.map((a) => a.service);
  const permissionsOf = (service: string) =>
    servicePermissions(service, service === opts.coordinator ? { services } : undefined);
  return {
    users: [
      ...accounts.map((a) => userEntry(a.user, a.passwordHash, [])),
      ...(admin ? [userEntry(admin.user, admin.passwordHash, ['administrator'])] : []),
    ],
    vhosts: [{ name: vhost }],
    permissions: [
      ...accounts.map((a) => ({ user: a.user, vhost, ...permissionsOf(a.service) })),
      ...(admin ? [{ user: admin.user, vhost, configure: '.*', write: '.*', read: '.*' }] : []),
    ],
    topic_permissions: accounts
      .filter((a) => a.publishes !== undefined)
      .map((a) => ({ user: a.user, vhost, ...topicPermissions(a.publishes!) })),
  };
}

export type BrokerDefinitions = ReturnType<typeof brokerDefinitions>;
