// The end-to-end suite's own broker vhost and database, so it neither sees nor disturbs anything else
// on the machine (a developer's `npm start`, integration tests' leftovers).
import { amqpUrlFor, BASE_AMQP, databaseUrlFor, deleteVhost, dropDatabase, freshVhost } from '../../tools/isolation.js';

export interface E2eEnvironment {
  rabbitmqUrl: string;
  databaseUrl: string;
  dispose(): Promise<void>;
}

export async function e2eEnvironment(name: string): Promise<E2eEnvironment> {
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
  return {
    rabbitmqUrl,
    databaseUrl,
    async dispose() {
      if (rabbitmqUrl !== BASE_AMQP) await deleteVhost(vhost).catch(() => undefined);
    },
  };
}
