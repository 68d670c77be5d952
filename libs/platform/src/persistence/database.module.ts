import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { APP_CONFIG } from '../config/app-config.module.js';
import type { BaseConfig } from '../config/base-config.schema.js';
import { ensureDatabase, ensureSchema, withAdvisoryLock } from './ensure-database.js';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
type EntityList = MixedList<Function | string | EntitySchema>;
type MigrationList = MixedList<Function | string>;

export interface DatabaseOptions {
  /** The service's schema; DB_SCHEMA from the configuration when omitted (so tests can pick their own). */
  schema?: string;
  entities?: EntityList;
  migrations?: MigrationList;
}

/**
 * PostgreSQL for one service, in its own schema. Before TypeORM connects it creates the database and
 * the schema if they are missing; then it runs the service's migrations (never `synchronize`), one
 * replica at a time, with their bookkeeping table inside the schema.
 */
@Module({})
export class DatabaseModule {
  static forService(options: DatabaseOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: BaseConfig) => dataSourceOptions(config, options),
          dataSourceFactory: (opts) => openServiceDataSource(opts as ServiceDataSourceOptions),
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}

type ServiceDataSourceOptions = DataSourceOptions & { url: string; schema: string };

/**
 * What DatabaseModule does before the service's first query: the database and the schema if missing, then
 * the migrations, one replica at a time. Run as the service's own role (deploy/postgres/bootstrap.sh) or
 * as a superuser alike.
 */
export async function openServiceDataSource(opts: ServiceDataSourceOptions): Promise<DataSource> {
  await ensureDatabase(opts.url);
  await ensureSchema(opts.url, opts.schema);
  const dataSource = new DataSource(opts);
  await withAdvisoryLock(opts.url, `lucy:migrations:${opts.schema}`, () => dataSource.initialize());
  return dataSource;
}

/** Pool connections beyond DB_POOL_SIZE, kept for what must not wait behind the message handlers. */
export const RESERVED_CONNECTIONS = 2;

export function dataSourceOptions(
  config: Pick<BaseConfig, 'DATABASE_URL' | 'DB_SCHEMA' | 'DB_POOL_SIZE' | 'SERVICE_NAME'>,
  options: DatabaseOptions = {},
) {
  const schema = options.schema ?? config.DB_SCHEMA;
  return {
    type: 'postgres' as const,
    url: config.DATABASE_URL,
    schema,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsRun: true,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false, // never: the schema changes only through migrations
    applicationName: config.SERVICE_NAME,
    // Unqualified names resolve in the service's schema first.
    // DB_POOL_SIZE for the message handlers, and a few more that they cannot take (libs/messaging's gate):
    // the control queue, the outbox relay and HTTP requests never wait behind a busy data queue.
    extra: { max: config.DB_POOL_SIZE + RESERVED_CONNECTIONS, options: `-c search_path=${schema},public` },
    // A few quick retries ride out a database that is still starting; then fail loudly.
    retryAttempts: 3,
    retryDelay: 1000,
  };
}
