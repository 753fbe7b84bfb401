/**
 * Group commit: rows from concurrent requests are gathered and written by one
 * flush (one transaction, one COMMIT) every `maxDelayMs`, or as soon as
 * `maxRows` are waiting. With `maxDelayMs` 0 a flush starts as soon as the
 * requests read in the current event-loop turn are queued (setImmediate) and a
 * connection is free: no waiting at low load, batches that grow with load. Each request's promise settles only after the flush holding its
 * rows has committed (or failed), so an acknowledged row is a durable row.
 * At most `concurrency` flushes run at once (one pool connection each); rows
 * arriving meanwhile wait for the next flush, which makes batches grow with load.
 *
 * One request must not fail the others: when a flush of several requests fails
 * with an error `isolate` says may be one request's fault (the database
 * refusing a value), the requests are written again apart, by halves, so a
 * culprit ends up alone and is the only one rejected; the rest are committed
 * and answered as usual. That costs about 2·log2(n) extra flushes for one
 * culprit among n requests, and nothing when no flush fails.
 */
export interface GroupCommitOptions<Row, Outcome> {
  /** Writes the rows in one transaction and returns one outcome per row, in order. */
  flush(rows: Row[]): Promise<Outcome[]>;
  maxRows: number;
  maxDelayMs: number;
  concurrency?: number;
  /** `retriedApart`: the flush failed and its requests are being written again in halves. */
  onFlush?(info: { rows: number; seconds: number; error?: unknown; retriedApart?: boolean }): void;
  /** Whether a failed flush may be one request's fault, so its requests are retried apart (default: never). */
  isolate?(error: unknown): boolean;
  /** The error `add` rejects with after close(). */
  closedError?(): Error;
}

interface Pending<Row, Outcome> {
  rows: Row[];
  resolve(outcomes: Outcome[]): void;
  reject(error: unknown): void;
}

export class GroupCommit<Row, Outcome> {
  private queue: Array<Pending<Row, Outcome>> = [];
  private queuedRows = 0;
  private running = 0;
  /** Cancels the scheduled flush (a timer or an immediate), when one is scheduled. */
  private cancelScheduled: (() => void) | undefined;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: GroupCommitOptions<Row, Outcome>) {}

  /** Queues rows; resolves with their outcomes after COMMIT. */
  add(rows: Row[]): Promise<Outcome[]> {
    if (this.closed) return Promise.reject(this.options.closedError?.() ?? new Error('group commit is closed'));
    if (rows.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += rows.length;
      if (this.queuedRows >= this.options.maxRows) this.kick();
      else this.schedule();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Rows waiting for a flush plus flushes in progress. */
  get pending(): { rows: number; flushes: number } {
    return { rows: this.queuedRows, flushes: this.running };
  }

  /** Flushes everything queued and waits until no flush is running. New rows are refused after close. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  /** Flushes everything queued now and waits for all flushes to finish. */
  drain(): Promise<void> {
    this.kick();
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.cancelScheduled) return;
    if (this.options.maxDelayMs > 0) {
      const timer = setTimeout(() => this.kick(), this.options.maxDelayMs);
      this.cancelScheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.kick());
      this.cancelScheduled = () => clearImmediate(immediate);
    }
  }

  private kick(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    while (this.queue.length && this.running < (this.options.concurrency ?? 2)) this.flushNext();
  }

  private flushNext(): void {
    const batch: Array<Pending<Row, Outcome>> = [];
    let size = 0;
    // Whole requests only; a request larger than maxRows goes alone.
    while (this.queue.length && (batch.length === 0 || size + this.queue[0]!.rows.length <= this.options.maxRows)) {
      const next = this.queue.shift()!;
      batch.push(next);
      size += next.rows.length;
    }
    this.queuedRows -= size;
    this.running += 1;
    void this.write(batch, size).finally(() => {
      this.running -= 1;
      // Rows that queued up during this flush go now rather than waiting for another timer.
      if (this.queue.length) this.kick();
      else if (this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    });
  }

  /** One flush of these requests; on an isolable failure, each half again on its own (settles every request, never rejects). */
  private async write(batch: Array<Pending<Row, Outcome>>, size: number): Promise<void> {
    const rows = batch.length === 1 ? batch[0]!.rows : batch.flatMap((p) => p.rows);
    const started = performance.now();
    let outcomes: Outcome[];
    try {
      outcomes = await this.options.flush(rows);
    } catch (error) {
      const retriedApart = batch.length > 1 && (this.options.isolate?.(error) ?? false);
      this.options.onFlush?.({ rows: size, seconds: (performance.now() - started) / 1000, error, retriedApart });
      if (!retriedApart) {
        for (const p of batch) p.reject(error);
        return;
      }
      // In order, so that of two requests with a common key the earlier one still stores it.
      const half = batch.length >> 1;
      const left = batch.slice(0, half);
      const right = batch.slice(half);
      await this.write(left, rowCount(left));
      await this.write(right, rowCount(right));
      return;
    }
    this.options.onFlush?.({ rows: size, seconds: (performance.now() - started) / 1000 });
    let offset = 0;
    for (const p of batch) {
      p.resolve(outcomes.slice(offset, offset + p.rows.length));
      offset += p.rows.length;
    }
  }
}

function rowCount(batch: ReadonlyArray<{ rows: readonly unknown[] }>): number {
  let n = 0;
  for (const p of batch) n += p.rows.length;
  return n;
}
