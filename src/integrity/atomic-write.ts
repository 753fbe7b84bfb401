import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { usageError } from '../errors.js';

/**
 * The one way smx replaces a file: write a temporary file beside the target,
 * fsync it, rename it over the target, fsync the folder. A reader sees the old
 * file or the whole new one, a crash or power loss leaves one of the two, and
 * on any failure the temporary file is removed. The temporary name is a dot
 * file with `.tmp-` in it, so globs skip it and tests can look for leftovers.
 *
 * Three forms of the same steps: `writeFileAtomic` (content in memory),
 * `writeFileAtomicSync` (for synchronous callers: the stage cache),
 * `writeStreamAtomic` (a producer writes into a stream: exports, predictions,
 * generated readings). A folder built beside its target and renamed as a whole
 * (a registered model version) uses `writeFileSynced` for its files and
 * `renameSynced` for the folder.
 */

export function temporaryPath(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/** The writing process' id when `name` is a temporary file of `temporaryPath` (to remove those of dead processes). */
export function temporaryFileWriter(name: string): number | undefined {
  const pid = /^\..+\.tmp-(\d+)-[0-9a-f]{8}$/.exec(name)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/**
 * Temporary files this process has open. A failure removes its file at once,
 * but `process.exit` (a second Ctrl-C's forced exit) runs no more code than
 * 'exit' listeners: this one removes what is still registered, synchronously.
 * A process killed with -9 runs nothing; its files carry its pid, so a later
 * run can recognise and remove them (export/temporary-files.ts).
 */
const openTemporaries = new Set<string>();
let exitHook = false;
export function trackTemporary(file: string): () => void {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const f of openTemporaries) rmSync(f, { force: true });
    });
  }
  openTemporaries.add(file);
  return () => openTemporaries.delete(file);
}

/** Writes and fsyncs a new file (`wx`: never over an existing one). */
export async function writeFileSynced(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const handle = await open(file, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Renames `from` over `to` and fsyncs the folder, so the new name survives a crash. */
export async function renameSynced(from: string, to: string): Promise<void> {
  await rename(from, to);
  const folder = await open(path.dirname(to), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const temp = temporaryPath(target);
  try {
    await writeFileSynced(temp, data, mode);
    await renameSynced(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export function writeFileAtomicSync(target: string, data: string | Uint8Array, mode?: number): void {
  const temp = temporaryPath(target);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    const folder = openSync(path.dirname(target), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The producer gets a stream into the temporary file and resolves once it has
 * written everything (ending the stream or not). `keepIf` can decide after
 * writing that no file should remain (e.g. zero rows). The temporary file is
 * opened before the producer starts, so a missing or read-only folder fails
 * at once (exit 2 naming it), not in the middle of a COPY whose sink died.
 */
export async function writeStreamAtomic<T>(
  target: string,
  produce: (out: Writable) => Promise<T>,
  keepIf: (result: T) => boolean = () => true,
): Promise<{ result: T; kept: boolean }> {
  const temp = temporaryPath(target);
  try {
    await (await open(temp, 'wx')).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const folder = path.dirname(target);
    throw usageError(
      `Cannot write ${target}: ${code === 'ENOENT' ? `the folder ${folder} does not exist` : (error as Error).message}.`,
      { hint: code === 'ENOENT' ? `Create it first (mkdir -p ${folder}), or write somewhere else.` : undefined },
    );
  }
  const forget = trackTemporary(temp);
  const out = createWriteStream(temp, { flags: 'r+', highWaterMark: 1 << 20 });
  try {
    const result = await produce(out);
    if (!out.writableEnded) out.end();
    await finished(out);
    if (!keepIf(result)) {
      await rm(temp, { force: true });
      forget();
      return { result, kept: false };
    }
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameSynced(temp, target);
    forget();
    return { result, kept: true };
  } catch (error) {
    // A write still queued when the stream is destroyed fails with ERR_STREAM_DESTROYED: expected, the file goes anyway.
    out.on('error', () => undefined);
    out.destroy();
    await finished(out).catch(() => undefined); // closed (and opened, if it was still opening) before it is removed
    await rm(temp, { force: true });
    forget();
    throw error;
  }
}
