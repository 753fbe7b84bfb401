import { createHash } from 'node:crypto';
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { renameSynced, temporaryPath } from '../integrity/atomic-write.js';
import { hashHandle, safeReadFlags } from '../integrity/hash-file.js';
import { readRegularFile } from '../integrity/read-regular-file.js';

/**
 * DVC 3's content-addressed layout, shared by its cache (.dvc/cache) and local
 * remotes: `files/md5/<first two hex>/<other thirty>`, with `.dir` objects under
 * the same name plus their suffix.
 */
export function objectPath(root: string, md5: string): string {
  if (!/^[0-9a-f]{32}(\.dir)?$/.test(md5)) throw new Error(`not a DVC md5: ${JSON.stringify(md5)}`);
  return path.join(root, 'files', 'md5', md5.slice(0, 2), md5.slice(2));
}

export class ObjectMismatchError extends Error {
  constructor(
    readonly from: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${from} has md5 ${actual}, expected ${expected}`);
    this.name = 'ObjectMismatchError';
  }
}

/**
 * Copies `from` to `to` through a temporary file beside `to`, hashing the bytes as
 * they pass; renames into place only when the md5 is the expected one, so neither
 * a corrupt remote object nor a file edited mid-push ever lands. Constant memory.
 */
export async function copyVerified(
  from: string,
  to: string,
  expectedMd5: string,
  signal?: AbortSignal,
): Promise<number> {
  await mkdir(path.dirname(to), { recursive: true });
  const temp = temporaryPath(to);
  const source = await open(from, safeReadFlags);
  let target: FileHandle | undefined;
  try {
    if (!(await source.stat()).isFile()) throw new Error(`${from} is not a regular file`);
    const out = (target = await open(temp, 'wx'));
    const { digest: actual, size } = await hashHandle(source, 'md5', signal, (chunk) => out.write(chunk));
    await out.sync();
    await out.close();
    target = undefined;
    if (actual !== expectedMd5) throw new ObjectMismatchError(from, expectedMd5, actual);
    await renameSynced(temp, to);
    return size;
  } catch (error) {
    await target?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  } finally {
    await source.close();
  }
}

/** Reads a `.dir` object and checks that its bytes still hash to its name. */
export async function readDirObject(root: string, md5: string): Promise<Buffer | undefined> {
  const bytes = await readRegularFile(objectPath(root, md5)).catch(() => undefined);
  if (!bytes) return undefined;
  const actual = createHash('md5').update(bytes).digest('hex') + '.dir';
  if (actual !== md5) throw new ObjectMismatchError(objectPath(root, md5), md5, actual);
  return bytes;
}
