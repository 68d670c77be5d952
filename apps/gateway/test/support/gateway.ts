// The gateway in-process for the API's integration tests: a throwaway schema and service name (its
// queue), an admin token from the environment, helpers to call the API as a given token, and clean-up.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { bootstrapService, loadConfig } from '@lucy/platform';
import { cleanUp, deleteServiceQueues, dropSchema, throwawayNames } from '@lucy/testing';
import { gatewayConfigSchema, type GatewayConfig } from '../../src/config.js';
import { GatewayModule } from '../../src/gateway.module.js';

export interface Respuesta<T = any> {
  status: number;
  type: string;
  body: T;
  headers: Headers;
}

export interface TestGateway {
  app: INestApplication;
  url: string;
  config: GatewayConfig;
  service: string;
  adminToken: string;
  db: pg.Client;
  /** Calls `/api/v1<path>` as `token` (default: the admin's; null: no token). A JSON body unless it is FormData, a Buffer or a string. */
  api<T = any>(
    path: string,
    opts?: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<Respuesta<T>>;
  close(): Promise<void>;
}

const RETRY_DELAYS = [100];

export async function startGateway(name: string, env: Record<string, string> = {}): Promise<TestGateway> {
  const { service, schema } = throwawayNames(name);
  const adminToken = `test-admin-${randomBytes(24).toString('hex')}`;
  const config = loadConfig(gatewayConfigSchema, {
    ...process.env,
    SERVICE_NAME: service,
    DB_SCHEMA: schema,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn',
    DB_POOL_SIZE: '4',
    RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
    SERVICES: service,
    SWEEP_INTERVAL_MS: '60000',
    ...env,
  });
  const app = await bootstrapService({
    module: GatewayModule,
    config,
    port: 0,
    logging: { destination: new Writable({ write: (_c, _e, done) => done() }) },
  });
  const url = await app.getUrl();
  const db = new pg.Client({ connectionString: config.DATABASE_URL });
  await db.connect();

  const api: TestGateway['api'] = async (path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const token = opts.token === undefined ? adminToken : opts.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: RequestInit['body'];
    if (opts.body instanceof FormData || typeof opts.body === 'string' || Buffer.isBuffer(opts.body))
      body = opts.body as RequestInit['body'];
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}/api/v1${path}`, {
      method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: parsed as never,
      headers: res.headers,
    };
  };

  const close = async () => {
    // A close that hangs (a broker gone mid-run) must not leave the schema and the queue behind.
    const closeApp = () => Promise.race([app.close(), new Promise((r) => setTimeout(r, 15_000).unref())]);
    await cleanUp([
      closeApp,
      () => dropSchema(db, schema),
      () => db.end(),
      () => deleteServiceQueues(service, RETRY_DELAYS, config.RABBITMQ_URL),
    ]);
  };

  return { app, url, config, service, adminToken, db, api, close };
}

/** A token of `rol`, created through the API by the admin. */
export async function tokenDe(gw: TestGateway, nombre: string, rol: 'admin' | 'operator' | 'viewer'): Promise<string> {
  const r = await gw.api('/tokens', { body: { nombre, rol } });
  if (r.status !== 201) throw new Error(`could not create token ${nombre}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}
