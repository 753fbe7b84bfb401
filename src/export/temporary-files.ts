import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { temporaryFileWriter } from '../integrity/atomic-write.js';

/**
 * What an export leaves in a folder if it is killed with -9: the file being
 * written before its rename (integrity/atomic-write.ts: `.<name>.tmp-<pid>-<hex>`)
 * and the spooled parts of a parallel export (`.smx-export-<pid>-<hex>-part<n>`).
 * Both carry the writing process' id, so the next export into the folder
 * removes those whose process is gone (`removeLeftovers`) and leaves those of a
 * live process alone: they may be a running export's. (A folder shared between
 * machines would need the host in the names too; one machine per folder is assumed.)
 */
export const spoolPrefix = (tag: string) => `.smx-export-${process.pid}-${tag}`;

const spoolFile = /^\.smx-export-(\d+)-[0-9a-f]{8}-part\d+$/;
// Before atomic-write.ts, exports named their temporary file `.<name>.tmp-<pid>`: only the export formats.
const olderTemporary = /^\..+\.(?:csv|ndjson|parquet)\.tmp-(\d+)$/;

function writerOf(name: string): number | undefined {
  const pid = spoolFile.exec(name)?.[1] ?? olderTemporary.exec(name)?.[1];
  return pid === undefined ? temporaryFileWriter(name) : Number(pid);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
}

/** Removes the temporary files of exports in `dir` whose process is gone; returns their names. */
export async function removeLeftovers(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = writerOf(name);
    if (pid === undefined || alive(pid)) continue;
    await rm(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
