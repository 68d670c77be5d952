// The end-to-end suite's own broker vhost and database, so it neither sees nor disturbs anything else
// on the machine (a developer's `npm start`, integration tests' leftovers); and on them, by default, a
// broker user and a database role of each service's own, as production runs Lucy (least-privilege.ts).
import { amqpUrlFor, BASE_AMQP, databaseUrlFor, deleteVhost, dropDatabase, freshVhost } from '../../tools/isolation.js';
import type { ServiceName } from '../../tools/stack.js';
import { leastPrivilege, withServiceEnv, type LeastPrivilege } from './least-privilege.js';

type ServiceEnv = Partial<Record<ServiceName | 'sandbox', Record<string, string>>>;

export interface E2eEnvironment {
  /**
   * The harness's own: guest on the suite's vhost and the postgres superuser on its database, for what a
   * test observes or arranges (a broker tap, a look into a schema). The services get `serviceEnv`'s.
   */
  rabbitmqUrl: string;
  databaseUrl: string;
  /** Each service's own broker user and database role; undefined when the suite asked for none. */
  accounts?: LeastPrivilege;
  /** `extra` (startStack's serviceEnv) with each service's RABBITMQ_URL and DATABASE_URL laid over it. */
  serviceEnv(extra?: ServiceEnv): ServiceEnv;
  /** Deletes the vhost and the services' users and roles (the database is dropped at the next run). */
  dispose(): Promise<void>;
}

/**
 * Every suite that starts the services runs each as its own user and role; `accounts: false` for one whose
 * processes get their credentials some other way (compose.e2e: compose-processes.ts's infra URLs).
 */
export async function e2eEnvironment(name: string, opts: { accounts?: boolean } = {}): Promise<E2eEnvironment> {
  const vhost = `lucy-e2e-${name}`;
  let rabbitmqUrl = BASE_AMQP;
  try {
    await freshVhost(vhost);
    rabbitmqUrl = amqpUrlFor(vhost); // whatever vhost BASE_AMQP names (the tests' own, say), this suite uses its own
  } catch {
    // Neither rabbitmqctl nor the management API here: share the vhost RABBITMQ_URL names.
  }
  const databaseUrl = databaseUrlFor(`lucy_e2e_${name.replace(/\W/g, '_')}`);
  await dropDatabase(databaseUrl);
  const accounts = opts.accounts === false ? undefined : await leastPrivilege({ rabbitmqUrl, databaseUrl }, name);
  return {
    rabbitmqUrl,
    databaseUrl,
    accounts,
    serviceEnv: (extra = {}) => withServiceEnv(extra, accounts?.serviceEnv),
    async dispose() {
      await accounts?.dispose();
      if (rabbitmqUrl !== BASE_AMQP) await deleteVhost(vhost).catch(() => undefined);
    },
  };
}
