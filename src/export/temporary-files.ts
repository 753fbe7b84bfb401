import { readdir, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import path from 'node:path';

/**
 * The export's temporary files: the file being written before its rename
 * (`.<name>.smx-tmp-<pid>`) and the spooled parts of a parallel export
 * (`.smx-export-<pid>-<8 hex>-part<n>`). Both carry the writing process' id.
 *
 * - While a process runs, the files it has open are removed when it exits by
 *   `process.exit` (the forced exit of a second Ctrl-C), not only when the
 *   export fails normally.
 * - A process killed with -9 leaves them; the next export into the same
 *   folder removes those whose process is gone (`removeLeftovers`). A file
 *   whose pid is alive is left alone: it may be a running export's.
 *   (A folder shared between machines would need the host in the name too.)
 */
const open = new Set<string>();
let hooked = false;

/** Registers a temporary file for removal at exit; returns the function that forgets it (after rename or removal). */
export function trackTemporary(file: string): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const f of open) rmSync(f, { force: true });
    });
  }
  open.add(file);
  return () => open.delete(file);
}

export const temporaryName = (target: string) =>
  path.join(path.dirname(target), `.${path.basename(target)}.smx-tmp-${process.pid}`);

export const spoolPrefix = (tag: string) => `.smx-export-${process.pid}-${tag}`;

const leftoverPatterns = [
  /^\..+\.smx-tmp-(\d+)$/,
  /^\.smx-export-(\d+)-[0-9a-f]{8}-part\d+$/,
  // Names from before `.smx-tmp-`: only for the export formats, so other tools' files are not matched.
  /^\..+\.(?:csv|ndjson|parquet)\.tmp-(\d+)$/,
];

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
    const pid = leftoverPatterns.map((p) => p.exec(name)?.[1]).find((m) => m !== undefined);
    if (pid === undefined || alive(Number(pid))) continue;
    await rm(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
