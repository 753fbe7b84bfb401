import { stat } from 'node:fs/promises';
import type { WalkOddity } from '../integrity/walk-tree.js';
import { collectDataDir } from './collect-data-dir.js';
import { parseDirListing, type DirEntry } from './dir-listing.js';
import { readDvcFile } from './dvc-file.js';
import { readDirObject } from './object-store.js';

export interface DataStatus {
  dvcFile: string;
  dataDir: string;
  state: 'up-to-date' | 'modified' | 'missing';
  recorded: { md5: string; size?: number; nfiles?: number };
  current?: { md5: string; size: number; nfiles: number };
  /** Per-file differences, when the recorded `.dir` listing was found in a cache or remote. */
  changes?: { added: string[]; deleted: string[]; modified: string[] };
  listingFrom?: string;
  oddities: WalkOddity[];
  /** Set for a DVC 2 file: its hashes normalised CRLF in text files, smx's (DVC 3) do not. */
  formatNote?: string;
}

/**
 * `dvc status` for one .dvc file: recomputes the folder's DVC 3 hash and, where
 * the recorded listing is in one of `listingRoots` (a DVC cache or local remote),
 * names the files added, deleted and modified since.
 */
export async function dataStatus(
  dvcFilePath: string,
  options: { listingRoots?: string[]; signal?: AbortSignal } = {},
): Promise<DataStatus> {
  const dvc = await readDvcFile(dvcFilePath);
  const base = {
    dvcFile: dvcFilePath,
    dataDir: dvc.dataDir,
    recorded: { md5: dvc.out.md5, size: dvc.out.size, nfiles: dvc.out.nfiles },
    oddities: [] as WalkOddity[],
    formatNote:
      dvc.out.hash === undefined
        ? `${dvcFilePath} is in DVC 2 format (no "hash: md5"); text files with CRLF hash differently in DVC 3: re-run smx data add to upgrade it`
        : undefined,
  };
  if (
    !(await stat(dvc.dataDir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    return { ...base, state: 'missing' };
  const current = await collectDataDir(dvc.dataDir, { signal: options.signal });
  const status: DataStatus = {
    ...base,
    state: current.md5 === dvc.out.md5 ? 'up-to-date' : 'modified',
    current: { md5: current.md5, size: current.size, nfiles: current.nfiles },
    oddities: current.oddities,
  };
  if (status.state === 'modified' && dvc.out.md5.endsWith('.dir')) {
    for (const root of options.listingRoots ?? []) {
      const bytes = await readDirObject(root, dvc.out.md5).catch(() => undefined);
      if (!bytes) continue;
      status.changes = diffListings(parseDirListing(bytes), current.entries);
      status.listingFrom = root;
      break;
    }
  }
  return status;
}

export function diffListings(
  before: readonly DirEntry[],
  after: readonly DirEntry[],
): { added: string[]; deleted: string[]; modified: string[] } {
  const old = new Map(before.map((e) => [e.relpath, e.md5]));
  const now = new Map(after.map((e) => [e.relpath, e.md5]));
  return {
    added: [...now.keys()].filter((p) => !old.has(p)).sort(),
    deleted: [...old.keys()].filter((p) => !now.has(p)).sort(),
    modified: [...now.entries()]
      .filter(([p, md5]) => old.has(p) && old.get(p) !== md5)
      .map(([p]) => p)
      .sort(),
  };
}
