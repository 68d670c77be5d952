// `npm run rabbitmq:definitions`: Lucy's broker users as a RabbitMQ definitions file — one user per
// service, named after it, with only its own queues and its own events' routing keys on lucy.events
// (libs/messaging/src/access/, libs/contracts/src/publicaciones.ts) — each password hashed
// RabbitMQ's way, so the file holds no password. The passwords come from RABBITMQ_PASSWORD_<SERVICE> or
// RABBITMQ_PASSWORD_<SERVICE>_FILE (the npm script reads .env too); an administrator is added when
// RABBITMQ_ADMIN_PASSWORD(_FILE) is set. RABBITMQ_VHOST: the vhost (default /). docker-compose.yml's
// broker loads deploy/rabbitmq/definitions.json at start; any other: `rabbitmqctl import_definitions <absolute path>`.
//
//   npm run rabbitmq:definitions                                 # writes deploy/rabbitmq/definitions.json
//   node dist/tools/rabbitmq-definitions.js --out - > file.json  # the compiled image: to stdout
import { writeFileSync } from 'node:fs';
import { eventosQuePublica } from '@lucy/contracts';
import { definitionsFromEnv } from '@lucy/messaging';
import { SERVICES } from './stack.js';

/** The service that sends commands and operates every service's parking queues (apps/gateway/src/dlq). */
const COORDINATOR = 'gateway';

const at = process.argv.indexOf('--out');
const out = at > 0 ? process.argv[at + 1] : 'deploy/rabbitmq/definitions.json';
try {
  const json = `${JSON.stringify(definitionsFromEnv(process.env, SERVICES, COORDINATOR, eventosQuePublica), null, 2)}\n`;
  if (out === '-' || out === undefined) process.stdout.write(json);
  else {
    // Readable by the broker's own user in its container: it holds salted hashes, no password.
    writeFileSync(out, json, { mode: 0o644 });
    console.error(`wrote ${out}: users ${SERVICES.join(', ')}`);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
