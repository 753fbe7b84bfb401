import type { Readable, Writable } from 'node:stream';

/**
 * The narrow database interfaces every stage receives: the subset of a pool
 * that smx needs, with nothing of the driver's types, so tests and the server
 * hand in the same thing. The one implementation is postgres-db.ts (node-postgres);
 * only src/db/ imports the driver (scripts/check-imports.mjs checks it).
 *
 * Glossary:
 * - Queryable: anything that runs one statement: the pool (any free connection) or one held connection.
 * - DbClient: one held connection; adds COPY in and out.
 * - Db: the pool; lends connections (one, several at once, one for LISTEN) and reports on itself.
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
  /**
   * COPY … TO STDOUT into `sink`, with backpressure. Resolves with the rows copied.
   * Aborting `signal` cancels the COPY in PostgreSQL (a CancelRequest, so a
   * COPY waiting on a lock stops too) and rejects with the signal's reason;
   * the connection is then closed rather than reused.
   */
  copyTo(sql: string, sink: Writable, options?: { end?: boolean; signal?: AbortSignal | undefined }): Promise<number>;
}

/** The pool's connections now, for metrics and for sizing work that needs several at once. */
export interface PoolStats {
  /** Connections open (idle or lent). */
  total: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
  /** The most connections the pool opens. */
  max: number;
}

/** Waiting for NOTIFY on one channel without polling (notification-waiter.ts). */
export interface NotificationWaiter {
  /** Registers a waiter before the caller looks for work, so a notification between the look and the wait is not missed. */
  prepare(): Promise<PreparedWait>;
  close(): Promise<void>;
}

export interface PreparedWait {
  /** Resolves on the next notification (or one that came since prepare), the timeout, or the abort. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  cancel(): void;
}

export interface Db extends Queryable {
  /** BEGIN … COMMIT on one connection; ROLLBACK when `work` throws. */
  transaction<T>(work: (client: DbClient) => Promise<T>): Promise<T>;
  /** One pooled connection for a sequence of statements (no implicit transaction). */
  withClient<T>(work: (client: DbClient) => Promise<T>): Promise<T>;
  /**
   * `count` connections held at once (or none: when one cannot be had, those
   * taken go back), released together; when `work` throws they are closed,
   * not reused, since one may be mid-COPY or in an aborted transaction.
   * `count` above the pool's size is a bug and throws at once.
   */
  connectMany<T>(count: number, work: (clients: DbClient[]) => Promise<T>): Promise<T>;
  /** LISTEN on `channel` on one connection held for the waiter's life (opened on first use). */
  listen(channel: string): NotificationWaiter;
  poolStats(): PoolStats;
  close(): Promise<void>;
}
