import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export type HashAlgorithm = 'sha256' | 'md5';

export interface FileDigest {
  digest: string;
  size: number;
}

/** Why a path could not be hashed; the caller turns it into a finding, never a crash. */
export type HashFailure = 'missing' | 'symlink' | 'not-a-file' | 'unreadable';

export class HashFileError extends Error {
  constructor(
    readonly reason: HashFailure,
    message: string,
  ) {
    super(message);
    this.name = 'HashFileError';
  }
}

/** One fixed buffer per call: a 2 GB artifact is hashed in constant memory. */
const chunkBytes = 1 << 20;

/**
 * Open flags for reading a file found by a walk: O_NOFOLLOW (a symlink swapped in
 * after the walk is refused, not followed) and O_NONBLOCK (a FIFO planted in the
 * tree cannot hang the reader). Check `stat().isFile()` before any read.
 */
export const safeReadFlags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Streams an open file through a hash from its current position to the end,
 * handing each chunk to `onChunk` (awaited before the buffer is reused).
 */
export async function hashHandle(
  handle: FileHandle,
  algorithm: HashAlgorithm,
  signal?: AbortSignal,
  onChunk?: (chunk: Buffer) => Promise<unknown>,
): Promise<FileDigest> {
  const hash = createHash(algorithm);
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let size = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    hash.update(chunk);
    if (onChunk) await onChunk(chunk);
    size += bytesRead;
  }
  return { digest: hash.digest('hex'), size };
}

/** Streams one file through a hash (safeReadFlags; fstat proves it is a regular file before any read). */
export async function hashFile(
  absPath: string | Buffer,
  algorithm: HashAlgorithm,
  signal?: AbortSignal,
): Promise<FileDigest> {
  let handle;
  try {
    handle = await open(absPath, safeReadFlags);
  } catch (error) {
    throw asHashError(error);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new HashFileError('not-a-file', 'not a regular file');
    return await hashHandle(handle, algorithm, signal);
  } catch (error) {
    throw error instanceof HashFileError || signal?.aborted ? error : asHashError(error);
  } finally {
    await handle.close();
  }
}

/**
 * hashFile for synchronous callers (a pipeline source's fingerprint): the same
 * fixed buffer and safe flags. A path named by the user may be a symlink: its
 * target is hashed (realpath first), as a reader of the file would see it.
 */
export function hashFileSync(file: string, algorithm: HashAlgorithm): FileDigest {
  let fd: number;
  try {
    fd = openSync(realpathSync(file), safeReadFlags);
  } catch (error) {
    throw asHashError(error);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new HashFileError('not-a-file', 'not a regular file');
    const hash = createHash(algorithm);
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let size = 0;
    for (let n; (n = readSync(fd, buffer, 0, chunkBytes, null)) > 0; size += n) hash.update(buffer.subarray(0, n));
    return { digest: hash.digest('hex'), size };
  } finally {
    closeSync(fd);
  }
}

function asHashError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new HashFileError('missing', 'no such file');
  if (code === 'ELOOP') return new HashFileError('symlink', 'is a symlink (not followed)');
  if (code === 'EISDIR') return new HashFileError('not-a-file', 'is a directory');
  if (code === 'EACCES' || code === 'EPERM' || code === 'EIO')
    return new HashFileError('unreadable', `cannot be read (${code})`);
  return error;
}
