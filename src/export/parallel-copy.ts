import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db, DbClient } from '../db/db.js';
import { exportSnapshot, importSnapshot } from '../db/shared-snapshot.js';
import { trackTemporary } from '../integrity/atomic-write.js';
import { spoolPrefix } from './temporary-files.js';

/**
 * Runs the parts of one export (COPY … TO STDOUT statements over consecutive
 * sensor ranges) at the same time on one connection each, and writes them to
 * `out` in order. PostgreSQL runs each COPY in one backend, and on a small
 * machine that backend (index scan, join, timestamp formatting) is the
 * bottleneck, not the client: two parts took 0.80–0.84 of the time of one
 * on the 1,000,000-row benchmark (docs/benchmarks.md). Every part reads the same snapshot — the first
 * connection exports it and the others import it, as `pg_dump --jobs` does —
 * so the parts together are exactly what the single COPY would have given.
 *
 * The first part streams straight into `out`; each later part is spooled into
 * a temporary file in `spoolDir` (beside the output file, so it fills no other
 * disk) and appended when its turn comes, then removed, also on failure.
 */
export async function copyPartsInOrder(
  db: Db,
  statements: readonly string[],
  out: Writable,
  options: {
    spoolDir: string;
    end: boolean;
    /** For tests: called once the first connection has exported its snapshot, before the others import it. */
    afterSnapshotExported?(): Promise<void>;
    /** Ctrl-C / SIGTERM: every COPY is cancelled, the spooled parts removed, and the signal's reason thrown. */
    signal?: AbortSignal | undefined;
  },
): Promise<number> {
  const { signal } = options;
  if (statements.length === 1)
    return db.withClient((client) => client.copyTo(statements[0]!, out, { end: options.end, signal }));
  const prefix = spoolPrefix(randomBytes(4).toString('hex'));
  const spoolFiles = statements.slice(1).map((_, i) => path.join(options.spoolDir, `${prefix}-part${i + 2}`));
  const forget = spoolFiles.map(trackTemporary);
  const spools: WriteStream[] = [];
  let copies: Array<Promise<number>> = [];
  try {
    // After a failure a connection may be mid-COPY or in an aborted transaction: connectMany closes them then.
    return await db.connectMany(statements.length, async (clients) => {
      const [first, ...others] = clients as [DbClient, ...DbClient[]];
      const snapshot = await exportSnapshot(first);
      await options.afterSnapshotExported?.();
      for (const client of others) await importSnapshot(client, snapshot);
      for (const file of spoolFiles) spools.push(createWriteStream(file, { highWaterMark: 1 << 20 }));
      copies = [
        first.copyTo(statements[0]!, out, { end: false, signal }),
        ...others.map((client, i) => client.copyTo(statements[i + 1]!, spools[i]!, { end: true, signal })),
      ];
      // A failing part stops the spooling ones at once: their sinks are destroyed, so their COPYs fail too.
      for (const copy of copies) {
        copy.catch(() => {
          for (const spool of spools) spool.destroy();
        });
      }
      try {
        let rowsCopied = await copies[0]!;
        for (let i = 1; i < copies.length; i++) {
          rowsCopied += await copies[i]!;
          signal?.throwIfAborted();
          await pipeline(createReadStream(spoolFiles[i - 1]!, { highWaterMark: 1 << 20 }), out, {
            end: false,
            ...(signal ? { signal } : {}),
          }).catch((error: unknown) => {
            throw signal?.aborted ? signal.reason : error;
          });
        }
        await Promise.all(clients.map((client) => client.query('commit')));
        if (options.end) out.end();
        return rowsCopied;
      } catch (error) {
        spools.forEach((spool) => spool.destroy());
        await Promise.allSettled(copies);
        throw error;
      }
    });
  } finally {
    await Promise.all(spoolFiles.map((file) => rm(file, { force: true })));
    for (const done of forget) done();
  }
}
