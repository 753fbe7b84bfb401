import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * Writes a file so that it is either absent or complete: into a temporary
 * name beside it, fsync, rename over the final name, fsync the folder. The
 * producer gets the stream and resolves once it has written everything.
 * `keepIf` can decide after writing that no file should remain (e.g. zero rows).
 */
export async function writeFileAtomically<T>(
  target: string,
  produce: (out: Writable) => Promise<T>,
  keepIf: (result: T) => boolean = () => true,
): Promise<{ result: T; kept: boolean }> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}`);
  const out = createWriteStream(temporary, { highWaterMark: 1 << 20 });
  try {
    const result = await produce(out);
    if (!out.writableEnded) out.end();
    await finished(out);
    if (!keepIf(result)) {
      await rm(temporary, { force: true });
      return { result, kept: false };
    }
    const handle = await open(temporary, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    const dir = await open(path.dirname(target), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return { result, kept: true };
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
