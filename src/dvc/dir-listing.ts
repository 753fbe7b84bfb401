import { createHash } from 'node:crypto';
import { compareCodePoints, pythonJsonDumps } from './python-json.js';

/** One line of DVC's `.dir` object: a file's md5 and its posix path inside the tracked folder. */
export interface DirEntry {
  relpath: string;
  md5: string;
}

/**
 * The `.dir` object DVC 3 writes for a tracked folder (dvc-data `Tree.as_bytes`):
 * `json.dumps(sorted entries, sort_keys=True)` of `{"md5", "relpath"}` objects,
 * sorted by relpath. Its md5 plus the suffix `.dir` is the folder's hash in the
 * .dvc file and the object's name in caches and remotes.
 */
export function dirListingBytes(entries: readonly DirEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
  return Buffer.from(pythonJsonDumps(sorted.map((e) => ({ md5: e.md5, relpath: e.relpath }))), 'utf8');
}

export function dirHash(entries: readonly DirEntry[]): { md5: string; bytes: Buffer } {
  const bytes = dirListingBytes(entries);
  return { md5: createHash('md5').update(bytes).digest('hex') + '.dir', bytes };
}

/**
 * Reads a `.dir` object back (from a cache or a remote). Extra keys DVC may keep
 * (size, isexec) are ignored; a missing md5 or an unsafe relpath is an error.
 */
export function parseDirListing(bytes: Buffer): DirEntry[] {
  const json: unknown = JSON.parse(bytes.toString('utf8'));
  if (!Array.isArray(json)) throw new Error('a .dir object must be a JSON list');
  return json.map((item: unknown, index) => {
    const record = item as { md5?: unknown; relpath?: unknown } | null;
    if (
      !record ||
      typeof record.md5 !== 'string' ||
      !/^[0-9a-f]{32}$/.test(record.md5) ||
      typeof record.relpath !== 'string'
    ) {
      throw new Error(`entry ${index} of the .dir object lacks an md5 or a relpath`);
    }
    const segments = record.relpath.split('/');
    if (
      record.relpath.startsWith('/') ||
      record.relpath.includes('\0') ||
      segments.some((s) => s === '' || s === '.' || s === '..')
    ) {
      throw new Error(`entry ${index} of the .dir object has an unsafe relpath ${JSON.stringify(record.relpath)}`);
    }
    return { md5: record.md5, relpath: record.relpath };
  });
}
