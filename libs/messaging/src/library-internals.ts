// The only place libs/messaging reaches past a library's public API, each for a measured gain on the hot
// path. Written against the exact versions package.json pins: typeorm 1.1.1, pg 8.23.1, amqplib 2.3.1,
// zod 4.6.7. test/library-internals.int.spec.ts and transport/envelope-check.spec.ts fail if a bump
// changes what is assumed here; each use also degrades to the public path when the shape is missing.
import type { ChannelModel } from 'amqplib';
import type { QueryRunner } from 'typeorm';

export interface SqlResult {
  command: string;
  rowCount: number | null;
  rows: Record<string, unknown>[];
}

/** The part of a pg client the direct SQL path uses (pg's PoolClient, simple query protocol). */
export interface SqlClient {
  query(text: string): Promise<SqlResult | SqlResult[]>;
}

/** TypeORM: the query runner's pg client, connecting it to the pool if it is not yet (`connect()` is typed `any`). */
export async function pgClientOf(qr: QueryRunner): Promise<SqlClient> {
  return (await qr.connect()) as SqlClient;
}

/**
 * TypeORM (private fields `isTransactionActive`, `transactionDepth`): tells the query runner a transaction
 * is open (or closed) on its connection, as startTransaction() and commitTransaction() would, so that a
 * handler calling `manager.transaction()` nests with a savepoint.
 */
export function markTransaction(qr: QueryRunner, open: boolean): void {
  const state = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = open;
  state.transactionDepth = open ? 1 : 0;
}

/** zod (`_zod.def.pattern`): the pattern a string format checks with, or undefined in another zod. */
export function zodPatternOf(schema: unknown): RegExp | undefined {
  const pattern = (schema as { _zod?: { def?: { pattern?: unknown } } })._zod?.def?.pattern;
  return pattern instanceof RegExp ? pattern : undefined;
}

export interface Corkable {
  write: (...args: unknown[]) => boolean;
  cork(): void;
  uncork(): void;
}

/** amqplib (`connection.stream`): the connection's socket, or undefined if it is not where 2.3.1 keeps it. */
export function amqpSocketOf(model: ChannelModel): Corkable | undefined {
  const socket = (model.connection as unknown as { stream?: Partial<Corkable> }).stream;
  if (
    !socket ||
    typeof socket.write !== 'function' ||
    typeof socket.cork !== 'function' ||
    typeof socket.uncork !== 'function'
  )
    return undefined;
  return socket as Corkable;
}
