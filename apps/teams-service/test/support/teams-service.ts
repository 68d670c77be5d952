// teams-service booted in-process (bootstrapService, port 0) in a throwaway schema, with its own queue
// name, a random credentials key, against the in-process sandbox; its log lines are kept so a test can
// show no password reached them. stop() closes it and removes what it created.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Envelope } from '@lucy/contracts';
import { OwnTransactionContext } from '@lucy/messaging';
import { Redis } from 'ioredis';
import { bootstrapService, loadConfig, parseSecretKeys, SecretBox } from '@lucy/platform';
import { controlQueueOf } from '@lucy/resilience';
import {
  BrokerTap,
  deleteServiceQueues,
  dropSchema,
  onEvents,
  throwawayNames,
  type TestSandboxWithGraph,
} from '@lucy/testing';
import { teamsConfigSchema, type TeamsConfig } from '../../src/config.js';
import { TeamsModule } from '../../src/teams.module.js';

export const RETRY_DELAYS_MS = [100, 200, 300];
/**
 * The rate limiter's state lives in Redis under the API's name ('graph'); these tests keep theirs in a
 * database of their own, so a 429 pause they provoke holds back no one else's Graph calls.
 */
export const TEST_REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/3`;

export interface RunningTeams {
  app: INestApplication;
  config: TeamsConfig;
  /** Taps every cuenta-teams.* event, and sends as another service would. */
  broker: BrokerTap;
  db: pg.Client;
  box: SecretBox;
  logs: string[];
  /** Every row of the cuenta table, all columns. */
  cuentas(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startTeams(
  sandbox: TestSandboxWithGraph,
  env: Record<string, string> = {},
): Promise<RunningTeams> {
  const { service, schema } = throwawayNames('teams');
  const key = randomBytes(32).toString('base64');
  const config = loadConfig(teamsConfigSchema, {
    ...process.env,
    SERVICE_NAME: service,
    DB_SCHEMA: schema,
    LOG_LEVEL: 'info',
    GRAPH_AUTHORITY_HOST: sandbox.urls.identity,
    GRAPH_BASE_URL: sandbox.urls.graph,
    GRAPH_CA_FILE: sandbox.caFile,
    GRAPH_TIMEOUT_MS: '1500',
    CREDENTIALS_KEY: key,
    RETRY_DELAYS_MS: RETRY_DELAYS_MS.join(','),
    REDIS_URL: TEST_REDIS_URL,
    ...env,
  });
  const logs: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
  const app = await bootstrapService({ module: TeamsModule, config, port: 0, logging: { destination } });
  const broker = await BrokerTap.open([onEvents('cuenta-teams.#')], { url: config.RABBITMQ_URL });
  const db = new pg.Client({ connectionString: config.DATABASE_URL });
  await db.connect();
  return {
    app,
    config,
    broker,
    db,
    box: new SecretBox(parseSecretKeys(key)),
    logs,
    cuentas: async () => (await db.query(`SELECT * FROM "${config.DB_SCHEMA}".cuenta`)).rows,
    stop: async () => {
      await app.close();
      await deleteServiceQueues(config.SERVICE_NAME, RETRY_DELAYS_MS, config.RABBITMQ_URL);
      await deleteServiceQueues(controlQueueOf(config.SERVICE_NAME), RETRY_DELAYS_MS, config.RABBITMQ_URL);
      await forgetRateState(config.REDIS_URL);
      await broker.close();
      await dropSchema(db, config.DB_SCHEMA);
      await db.end();
    },
  };
}

type GraphRequest = Parameters<TestSandboxWithGraph['graph']['service']['execute']>[0];

/**
 * Graph answers the requests `falla` picks with a 503 or 504 in Graph's own error shape (the one the
 * errorRate knob sends), after doing the work if `falla` calls `ejecutar` first (a write that landed but
 * whose answer was lost). `null`: answered as usual. Returns the function that stops it.
 */
export function graphFallaEn(
  sandbox: TestSandboxWithGraph,
  falla: (req: GraphRequest, ejecutar: () => void) => 503 | 504 | null,
): () => void {
  const service = sandbox.graph.service;
  const original = service.execute;
  service.execute = function (this: typeof service, req, principal) {
    const status = falla(req, () => void original.call(this, req, principal));
    if (status === null) return original.call(this, req, principal);
    const error =
      status === 503
        ? {
            status,
            code: 'ServiceNotAvailable',
            message: 'The service is temporarily unavailable for maintenance or is overloaded.',
            headers: {},
            inner: {},
          }
        : {
            status,
            code: 'UnknownError',
            message: 'The server, while acting as a proxy, did not receive a timely response from the upstream server.',
            headers: {},
            inner: {},
          };
    return service.errorResponse(error as never, req.headers);
  };
  return () => void (service.execute = original);
}

/**
 * The context of a delivery whose process dies just before its last commit: its short transactions
 * commit, the last one never happens (no inbox mark, no reply; the row as the short ones left it).
 */
export function muereAntesDelCommit(teams: RunningTeams, env: Envelope): OwnTransactionContext {
  const ds = teams.app.get(DataSource);
  return new OwnTransactionContext(env, 1, false, {
    transaction: (work) => ds.transaction(work),
    commit: async () => {
      throw new Error('process killed before the commit');
    },
  });
}

/** Users the tenant holds (or held) under a UPN. */
export const usersOf = (sandbox: TestSandboxWithGraph, upn: string) =>
  sandbox.graph.store.allUsers().filter((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());

let dni = 30_000_000 + Math.floor(Math.random() * 60_000_000);
/** A student no other test uses (fresh DNI, hence fresh UPN). */
export function nuevoAlumno() {
  dni += 1;
  return {
    dni: String(dni),
    nombre: 'María José',
    apellido: 'Núñez',
    emailPersonal: `mj${dni}@example.org`,
    emailInstitucional: null,
    carrera: 'Ingeniería en Sistemas',
    estado: 'ingresante' as const,
    periodo: '2027',
  };
}

/** Drops the limiter's Graph state (pauses, AIMD factor, runtime limits) from the tests' Redis database. */
export async function forgetRateState(url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys('lucy:ratelimit:{graph}:*');
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
