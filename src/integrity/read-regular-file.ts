import { open } from 'node:fs/promises';
import { HashFileError, safeReadFlags } from './hash-file.js';

/**
 * Reads a small file (manifest, signature, registry) without following a symlink
 * and without blocking on a FIFO. Undefined when it does not exist; HashFileError
 * when it is a symlink, not a regular file, or larger than `maxBytes`.
 */
export async function readRegularFile(absPath: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(absPath, safeReadFlags);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new HashFileError('symlink', 'is a symlink (not followed)');
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new HashFileError('not-a-file', 'not a regular file');
    if (stat.size > maxBytes) throw new HashFileError('unreadable', `larger than ${maxBytes} bytes`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
