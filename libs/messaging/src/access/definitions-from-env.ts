// The broker definitions of a deployment, from its environment: each service's password from
// RABBITMQ_PASSWORD_<SERVICE> or RABBITMQ_PASSWORD_<SERVICE>_FILE, hashed here, so the definitions hold no
// password. tools/rabbitmq-definitions.ts writes them to a file; the tests load them into a broker.
import { secretFromEnvOrFile } from '@lucy/platform';
import { brokerDefinitions, rabbitPasswordHash, type BrokerDefinitions } from './broker-definitions.js';

/** Long, and safe in a URL unescaped: the service receives it inside RABBITMQ_URL. */
const GOOD_PASSWORD = /^[A-Za-z0-9._~-]{16,}$/;

export const brokerPasswordVariable = (service: string) =>
  `RABBITMQ_PASSWORD_${service.toUpperCase().replaceAll('-', '_')}`;

function password(variable: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = secretFromEnvOrFile(variable, env);
  if (value !== undefined && !GOOD_PASSWORD.test(value))
    throw new Error(
      `${variable}: at least 16 characters among A-Z a-z 0-9 . _ ~ - (it goes into a URL), e.g. openssl rand -hex 24`,
    );
  return value;
}

/**
 * One user per service, named after it (after RABBITMQ_USER_PREFIX, if set), on RABBITMQ_VHOST (default
 * /); an administrator too when RABBITMQ_ADMIN_PASSWORD(_FILE) is set (RABBITMQ_ADMIN_USER, default admin).
 * `coordinator`: the service that sends commands and operates the parking queues (the gateway).
 * `publishes`: the routing keys each service may publish on lucy.events (libs/contracts' eventosQuePublica);
 * without it, any. Throws naming every variable missing or unfit.
 */
export function definitionsFromEnv(
  env: NodeJS.ProcessEnv,
  services: readonly string[],
  coordinator: string,
  publishes?: (service: string) => readonly string[],
): BrokerDefinitions {
  const problems: string[] = [];
  const read = (variable: string, required: boolean) => {
    try {
      const value = password(variable, env);
      if (value === undefined && required) problems.push(`${variable} (or ${variable}_FILE) is not set`);
      return value;
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };
  const passwords = services.map((service) => read(brokerPasswordVariable(service), true));
  const adminPassword = read('RABBITMQ_ADMIN_PASSWORD', false);
  if (problems.length) throw new Error(`cannot render the broker's users:\n  ${problems.join('\n  ')}`);
  return brokerDefinitions({
    vhost: env.RABBITMQ_VHOST || '/',
    accounts: services.map((service, i) => ({
      service,
      user: `${env.RABBITMQ_USER_PREFIX ?? ''}${service}`,
      passwordHash: rabbitPasswordHash(passwords[i]!),
      publishes: publishes?.(service),
    })),
    coordinator,
    admin: adminPassword
      ? { user: env.RABBITMQ_ADMIN_USER || 'admin', passwordHash: rabbitPasswordHash(adminPassword) }
      : undefined,
  });
}
