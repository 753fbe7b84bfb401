import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SmxError, unavailableError } from '../errors.js';
import { hashFile } from '../integrity/hash-file.js';
import { walkTree } from '../integrity/walk-tree.js';
import { collectDataDir } from './collect-data-dir.js';
import { parseDirListing } from './dir-listing.js';
import { readDvcFile } from './dvc-file.js';
import { copyVerified, ObjectMismatchError, objectPath, readDirObject } from './object-store.js';

export interface PushResult {
  remote: string;
  md5: string;
  copied: number;
  present: number;
  bytes: number;
}

export interface PullResult {
  remote: string;
  md5: string;
  copied: number;
  /** Already in the workspace with the right md5. */
  present: number;
  bytes: number;
  /** Listed files the remote lacks or holds corrupted: the pull is incomplete. */
  failed: Array<{ relpath: string; message: string }>;
  /** Files in the workspace that the listing does not name: left in place. */
  extra: string[];
}

async function requireRemote(remote: string): Promise<void> {
  if (
    !(await stat(remote).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    throw unavailableError(`remote ${remote} is not a folder`, {
      hint: 'A DVC local remote is a plain folder (files/md5/ab/cdef…); create it or fix --remote.',
    });
}

/**
 * `dvc push` for one tracked folder to a local remote: copies every file (and the
 * `.dir` listing) the remote lacks, verifying each md5 on the way. Refuses when
 * the folder no longer matches its .dvc file, so the remote never gets objects
 * that no .dvc file names.
 */
export async function pushData(
  dvcFilePath: string,
  remote: string,
  options: { signal?: AbortSignal } = {},
): Promise<PushResult> {
  await requireRemote(remote);
  const dvc = await readDvcFile(dvcFilePath);
  const collected = await collectDataDir(dvc.dataDir, options);
  if (collected.md5 !== dvc.out.md5 || collected.oddities.length) {
    throw new SmxError(
      'CONFLICT',
      `${dvc.dataDir} does not match ${dvcFilePath} (${collected.md5} vs ${dvc.out.md5}); nothing pushed.`,
      { hint: 'See `smx data status`; run `smx data add` to record the folder as it is now.' },
    );
  }
  const result: PushResult = { remote, md5: collected.md5, copied: 0, present: 0, bytes: 0 };
  const md5ByPath = new Map(collected.entries.map((e) => [e.relpath, e.md5]));
  for (const file of collected.files) {
    const md5 = md5ByPath.get(file.relpath)!;
    const target = objectPath(remote, md5);
    if (
      await stat(target).then(
        (s) => s.isFile() && s.size === file.size,
        () => false,
      )
    ) {
      result.present += 1;
      continue;
    }
    result.bytes += await copyVerified(file.absPath, target, md5, options.signal);
    result.copied += 1;
  }
  const listingPath = objectPath(remote, collected.md5);
  await mkdir(path.dirname(listingPath), { recursive: true });
  await writeFile(listingPath, collected.listing);
  return result;
}

/**
 * `dvc pull` for one tracked folder from a local remote: reads the `.dir` listing
 * named in the .dvc file (checking it hashes to its name), then copies each file
 * the workspace lacks or holds with another md5. Every copy is verified and lands
 * by rename; paths that would pass through a symlink are refused.
 */
export async function pullData(
  dvcFilePath: string,
  remote: string,
  options: { signal?: AbortSignal; listingRoot?: string } = {},
): Promise<PullResult> {
  await requireRemote(remote);
  const dvc = await readDvcFile(dvcFilePath);
  if (!dvc.out.md5.endsWith('.dir'))
    throw new SmxError('BAD_INPUT', `${dvcFilePath} tracks a single file; smx data handles folders`);
  let listing: Buffer | undefined;
  try {
    listing = await readDirObject(remote, dvc.out.md5);
  } catch (error) {
    if (error instanceof ObjectMismatchError)
      throw new SmxError('CHECK_FAILED', `the remote's listing ${dvc.out.md5} is corrupted: ${error.message}`);
    throw error;
  }
  if (!listing)
    throw new SmxError('CHECK_FAILED', `remote ${remote} has no listing ${dvc.out.md5} for ${dvcFilePath}`, {
      hint: 'Push it first (smx data push or dvc push).',
    });
  const entries = parseDirListing(listing);
  if (options.listingRoot) {
    await mkdir(path.dirname(objectPath(options.listingRoot, dvc.out.md5)), { recursive: true });
    await writeFile(objectPath(options.listingRoot, dvc.out.md5), listing);
  }
  await mkdir(dvc.dataDir, { recursive: true });
  const workspace = await walkTree(dvc.dataDir, { signal: options.signal });
  const existing = new Map(workspace.files.map((f) => [f.relpath, f]));
  const blocked = new Map(workspace.oddities.map((o) => [o.relpath, o.message] as const));
  const result: PullResult = { remote, md5: dvc.out.md5, copied: 0, present: 0, bytes: 0, failed: [], extra: [] };
  const listed = new Set(entries.map((e) => e.relpath));
  for (const entry of entries) {
    const obstacle = blockingPrefix(entry.relpath, blocked, existing);
    if (obstacle) {
      result.failed.push({ relpath: entry.relpath, message: obstacle });
      continue;
    }
    const here = existing.get(entry.relpath);
    if (here && (await hashFile(here.absPath, 'md5', options.signal)).digest === entry.md5) {
      result.present += 1;
      continue;
    }
    try {
      result.bytes += await copyVerified(
        objectPath(remote, entry.md5),
        path.join(dvc.dataDir, ...entry.relpath.split('/')),
        entry.md5,
        options.signal,
      );
      result.copied += 1;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const code = (error as { code?: unknown }).code;
      result.failed.push({
        relpath: entry.relpath,
        message: code === 'ENOENT' ? `object ${entry.md5} is missing from the remote` : (error as Error).message,
      });
    }
  }
  result.extra = [...existing.keys()].filter((p) => !listed.has(p)).sort();
  return result;
}

/** Why writing `relpath` would be unsafe: a symlink or special file on its way, or a file where a folder must go. */
function blockingPrefix(
  relpath: string,
  blocked: Map<string, string>,
  files: Map<string, unknown>,
): string | undefined {
  const parts = relpath.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const reason = blocked.get(prefix);
    if (reason) return `${prefix}: ${reason}; not written`;
    if (i < parts.length && files.has(prefix))
      return `${prefix} is a file where the listing needs a folder; not written`;
  }
  return undefined;
}
