import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { usageError } from '../errors.js';
import { temporaryName, trackTemporary } from './temporary-files.js';

/**
 * Writes a file so that it is either absent or complete: into a temporary
 * name beside it, fsync, rename over the final name, fsync the folder. The
 * producer gets the stream and resolves once it has written everything.
 * `keepIf` can decide after writing that no file should remain (e.g. zero rows).
 * The temporary file is removed on any failure, and at a forced exit
 * (temporary-files.ts); one left by a killed process is removed by the next export.
 */
export async function writeFileAtomically<T>(
  target: string,
  produce: (out: Writable) => Promise<T>,
  keepIf: (result: T) => boolean = () => true,
): Promise<{ result: T; kept: boolean }> {
  const temporary = temporaryName(target);
  // Fail before any COPY starts when the folder is missing or not writable: a
  // stream that errors mid-COPY would leave the copy waiting on a dead sink.
  try {
    await (await open(temporary, 'w')).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(
      `Cannot write ${target}: ${code === 'ENOENT' ? `the folder ${path.dirname(target)} does not exist` : (error as Error).message}.`,
      {
        hint:
          code === 'ENOENT'
            ? `Create it first (mkdir -p ${path.dirname(target)}), or choose another --output.`
            : undefined,
      },
    );
  }
  const forget = trackTemporary(temporary);
  const out = createWriteStream(temporary, { highWaterMark: 1 << 20 });
  try {
    const result = await produce(out);
    if (!out.writableEnded) out.end();
    await finished(out);
    if (!keepIf(result)) {
      await rm(temporary, { force: true });
      forget();
      return { result, kept: false };
    }
    const handle = await open(temporary, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    forget();
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
    forget();
    throw error;
  }
}
