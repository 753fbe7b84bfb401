import net from 'node:net';
import pg from 'pg';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { SqlStateClass, markConnectionLost, sqlState } from '../errors.js';
import { copyOut } from './copy-out-stream.js';
import type { Db, DbClient, QueryOptions } from './db.js';
import { createNotificationWaiter } from './notification-waiter.js';

/**
 * The Db interfaces (db.ts) over a node-postgres pool. The driver's errors for
 * a lost or refused connection carry no SQLSTATE; they are marked here
 * (markConnectionLost), so the rest of smx asks isConnectionError and never
 * reads driver messages.
 */

// Postgres returns int8/numeric as strings by default; smx's counts fit in a JS number.
pg.types.setTypeParser(20, (value) => Number(value));

export function createDb(pool: pg.Pool): Db {
  const max = pool.options.max;
  const db: Db = {
    async query(sql, params, options) {
      try {
        const result = await pool.query(toConfig(sql, params, options));
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      } catch (error) {
        throw classify(error);
      }
    },
    async withClient(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw markConnectionLost(error);
      }
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
    async connectMany(count, work) {
      if (count > max) throw new Error(`connectMany: ${count} connections asked for; the pool has ${max}`);
      const settled = await Promise.allSettled(Array.from({ length: count }, () => pool.connect()));
      const failure = settled.find((r) => r.status === 'rejected');
      if (failure) {
        for (const r of settled) if (r.status === 'fulfilled') r.value.release();
        throw markConnectionLost(failure.reason);
      }
      const connections = settled.map((r) => (r as PromiseFulfilledResult<pg.PoolClient>).value);
      let failed = false;
      try {
        return await work(connections.map(wrapClient));
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        for (const connection of connections) connection.release(failed ? true : undefined);
      }
    },
    listen(channel) {
      return createNotificationWaiter(pool, channel);
    },
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max };
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

/** Whether a failed connection must be closed rather than reused: no SQLSTATE (the driver's own failure), or the connection classes. */
function isBrokenConnection(error: Error): boolean {
  const state = sqlState(error);
  return (
    !state ||
    state.startsWith(SqlStateClass.connectionException) ||
    state.startsWith(SqlStateClass.operatorIntervention)
  );
}

/**
 * node-postgres' messages for a connection that went away or never came
 * (it gives them no code): matched here, at the driver's edge, and nowhere else.
 */
const driverConnectionMessages = /Connection terminated|timeout exceeded when trying to connect|not queryable/i;

function classify(error: unknown): unknown {
  if (sqlState(error) === undefined && error instanceof Error && driverConnectionMessages.test(error.message))
    markConnectionLost(error);
  return error;
}

export function wrapClient(client: pg.PoolClient | pg.Client): DbClient {
  return {
    async query(sql, params, options) {
      try {
        const result = await client.query(toConfig(sql, params, options));
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      } catch (error) {
        throw classify(error);
      }
    },
    async copyFrom(sql, source) {
      const stream = client.query(copyStreams.from(sql));
      const readable = source instanceof Readable ? source : Readable.from(source);
      try {
        await pipeline(readable, stream);
      } catch (error) {
        throw classify(error);
      }
      return stream.rowCount ?? 0;
    },
    async copyTo(sql, sink: Writable, options = {}) {
      const { signal } = options;
      signal?.throwIfAborted();
      const stream = client.query(copyOut(sql));
      let cancelled: Promise<void> | undefined;
      const cancel = () => {
        cancelled = sendCancelRequest(client);
      };
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        await pipeline(stream, sink, { end: options.end ?? true, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (signal?.aborted) {
          // Delivered before anyone may exit the process; then this connection, mid-COPY, is closed so
          // nothing else waits on it. The reason (Ctrl-C's INTERRUPTED) is thrown, not the AbortError.
          await cancelled;
          closeSocket(client);
          throw signal.reason;
        }
        throw classify(error);
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
      return stream.rowCount ?? 0;
    },
  };
}

/**
 * Asks PostgreSQL to cancel what this connection's backend is running: the
 * protocol's CancelRequest (length 16, code 80877102, the backend's process id
 * and secret key) on a connection of its own, as psql does on Ctrl-C. Unlike
 * closing the socket, it also stops a statement that is waiting (on a lock)
 * or computing without sending. Best effort: resolves when sent, or after 2 s.
 */
function sendCancelRequest(client: pg.PoolClient | pg.Client): Promise<void> {
  const target = client as unknown as {
    processID: number | null;
    secretKey: number | null;
    host: string;
    port: number;
  };
  if (target.processID === null || target.secretKey === null) return Promise.resolve();
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(target.processID, 8);
  packet.writeInt32BE(target.secretKey, 12);
  return new Promise((resolve) => {
    const socket = target.host.startsWith('/')
      ? net.connect(`${target.host}/.s.PGSQL.${target.port}`)
      : net.connect(target.port, target.host);
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
    socket.once('connect', () => socket.end(packet));
  });
}

/** Closes a connection's socket at once (node-postgres does the same in end() while a query runs). */
function closeSocket(client: pg.PoolClient | pg.Client): void {
  (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
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
