import { stat } from 'node:fs/promises';
import { inputError, notFoundError } from '../errors.js';
import { HashFileError } from '../integrity/hash-file.js';
import { hashMany } from '../integrity/hash-pool.js';
import { walkTree, type WalkedFile, type WalkOddity } from '../integrity/walk-tree.js';
import { dirHash, type DirEntry } from './dir-listing.js';

export interface CollectedDir {
  /** `<md5>.dir`, as in the .dvc file. */
  md5: string;
  size: number;
  nfiles: number;
  entries: DirEntry[];
  /** The `.dir` object bytes, to store in a cache or remote. */
  listing: Buffer;
  files: WalkedFile[];
  /** Symlinks, FIFOs, non-UTF-8 names: DVC would follow or mangle them; smx refuses to guess. */
  oddities: WalkOddity[];
}

/** Folders DVC never descends into (dvc/ignore.py DvcIgnoreDirs). */
const ignoredDirNames = new Set(['.git', '.hg', '.dvc']);

/**
 * Hashes a data folder the way `dvc add` does in DVC 3: plain md5 of every file's
 * bytes (DVC 2 turned CRLF into LF in text files first; 3.x does not), then the
 * md5 of the `.dir` listing. Empty folders do not appear, as in DVC.
 */
export async function collectDataDir(dir: string, options: { signal?: AbortSignal } = {}): Promise<CollectedDir> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw notFoundError(`data folder ${dir} not found`);
  const walk = await walkTree(dir, {
    signal: options.signal,
    exclude: (relpath, isDir) => isDir && ignoredDirNames.has(relpath.slice(relpath.lastIndexOf('/') + 1)),
  });
  const ignoreFile = walk.files.find((f) => f.relpath === '.dvcignore' || f.relpath.endsWith('/.dvcignore'));
  if (ignoreFile)
    throw inputError(`.dvcignore file should not be in a collected folder: ${ignoreFile.relpath}`, {
      hint: 'DVC refuses this too; move the patterns to the repository root .dvcignore.',
    });
  const digests = await hashMany(
    walk.files.map((f) => ({ key: f.relpath, absPath: f.absPath, size: f.size })),
    { algorithm: 'md5', signal: options.signal },
  );
  const entries: DirEntry[] = [];
  const oddities = [...walk.oddities];
  let size = 0;
  for (const file of walk.files) {
    const outcome = digests.get(file.relpath)!;
    if (outcome instanceof HashFileError) {
      oddities.push({
        kind:
          outcome.reason === 'unreadable' ? 'unreadable' : outcome.reason === 'symlink' ? 'symlink' : 'special-file',
        relpath: file.relpath,
        message: outcome.message,
      });
      continue;
    }
    entries.push({ relpath: file.relpath, md5: outcome.digest });
    size += outcome.size;
  }
  const { md5, bytes } = dirHash(entries);
  return { md5, size, nfiles: entries.length, entries, listing: bytes, files: walk.files, oddities };
}
