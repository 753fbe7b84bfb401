import pg from 'pg';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { copyOut } from './copy-out-stream.js';

/**
 * The narrow database interface every stage receives. It is the subset of a
 * pool that smx needs, so tests and the server can hand in the same thing.
 */
export interface Queryable {
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

export interface QueryOptions {
  /**
   * Prepare the statement once per connection under this name and only bind and
   * execute it afterwards (for statements on a hot path; the SQL must not change).
   */
  prepareAs?: string;
}

export interface DbClient extends Queryable {
  /** COPY … FROM STDIN, fed from `source` with backpressure. Resolves with the rows copied. */
  copyFrom(sql: string, source: Readable | AsyncIterable<string | Buffer>): Promise<number>;
  /** COPY … TO STDOUT into `sink`, with backpressure. Resolves with the rows copied. */
  copyTo(sql: string, sink: Writable, options?: { end?: boolean }): Promise<number>;
}

export interface Db extends Queryable {
  /** BEGIN … COMMIT on one connection; ROLLBACK when `work` throws. */
  transaction<T>(work: (client: DbClient) => Promise<T>): Promise<T>;
  /** One pooled connection for a sequence of statements (no implicit transaction). */
  withClient<T>(work: (client: DbClient) => Promise<T>): Promise<T>;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

// Postgres returns int8/numeric as strings by default; smx's counts fit in a JS number.
pg.types.setTypeParser(20, (value) => Number(value));

export function createDb(pool: pg.Pool): Db {
  const db: Db = {
    pool,
    async query(sql, params, options) {
      const result = await pool.query(toConfig(sql, params, options));
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    async withClient(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await work(wrapClient(client));
      } catch (error) {
        broken = error as Error;
        throw error;
      } finally {
        // A connection that failed mid-COPY or mid-transaction is destroyed, not reused.
        client.release(broken && isBrokenConnection(broken) ? broken : undefined);
      }
    },
    async transaction(work) {
      return db.withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    },
    async close() {
      await pool.end();
    },
  };
  return db;
}

function toConfig(
  text: string,
  params: readonly unknown[] | undefined,
  options: QueryOptions | undefined,
): pg.QueryConfig {
  const values = params as unknown[] | undefined;
  return options?.prepareAs ? { name: options.prepareAs, text, values } : { text, values };
}

function isBrokenConnection(error: Error): boolean {
  const code = (error as { code?: string }).code;
  return !code || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57');
}

export function wrapClient(client: pg.PoolClient | pg.Client): DbClient {
  return {
    async query(sql, params, options) {
      const result = await client.query(toConfig(sql, params, options));
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    async copyFrom(sql, source) {
      const stream = client.query(copyStreams.from(sql));
      const readable = source instanceof Readable ? source : Readable.from(source);
      await pipeline(readable, stream);
      return stream.rowCount ?? 0;
    },
    async copyTo(sql, sink, options = {}) {
      const stream = client.query(copyOut(sql));
      await pipeline(stream, sink, { end: options.end ?? true });
      return stream.rowCount ?? 0;
    },
  };
}

export function createPool(
  connectionString: string,
  options: { max?: number; applicationName?: string } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'smx',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
  });
  // A client losing its connection (Postgres restarted) must not crash the process.
  // pg-pool listens only on idle clients; a checked-out client whose server goes
  // away between two queries would emit 'error' with no listener. The failing
  // query rejects on its own and the broken client is dropped on release.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
