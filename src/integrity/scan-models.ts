import { stat } from 'node:fs/promises';
import path from 'node:path';
import { notFoundError } from '../errors.js';
import type { Finding } from './findings.js';
import { hashMany, type HashOutcome } from './hash-pool.js';
import { manifestName, signatureName } from './manifest-format.js';
import { registeredVersions, requiredVersionFiles } from './registered-versions.js';
import { walkTree, type WalkResult } from './walk-tree.js';

export interface ModelsScan {
  root: string;
  walk: WalkResult;
  /** SHA-256 (or the reason it failed) of every file `shouldHash` accepted. */
  digests: Map<string, HashOutcome>;
  /** Symlinks, special files, bad names, unreadable folders: reported whatever the manifest says. */
  treeFindings: Finding[];
  /** Registered versions missing their folder or a required file. */
  versionFindings: Finding[];
  versionCount: number;
}

export interface ScanOptions {
  signal?: AbortSignal;
  concurrency?: number;
  shouldHash?: (relpath: string) => boolean;
}

/** Walks the models folder (manifest and signature excluded), hashes files and checks the registered versions. */
export async function scanModels(modelsDir: string, options: ScanOptions = {}): Promise<ModelsScan> {
  const root = path.resolve(modelsDir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory())
    throw notFoundError(`models folder ${modelsDir} not found`, {
      hint: 'Pass --models-dir DIR (or set modelsDir in smx.config.json).',
    });
  const walk = await walkTree(root, {
    signal: options.signal,
    exclude: (relpath, isDir) => !isDir && (relpath === manifestName || relpath === signatureName),
  });
  const jobs = walk.files
    .filter((f) => options.shouldHash?.(f.relpath) ?? true)
    .map((f) => ({ key: f.relpath, absPath: f.absPath, size: f.size }));
  const digests = await hashMany(jobs, {
    algorithm: 'sha256',
    signal: options.signal,
    concurrency: options.concurrency,
  });
  const treeFindings: Finding[] = walk.oddities.map((o) => ({ kind: o.kind, path: o.relpath, message: o.message }));

  const registered = await registeredVersions(root, walk.dirs);
  const versionFindings: Finding[] = registered.problems.map((p) => ({
    kind: p.kind,
    path: p.path,
    message: p.message,
  }));
  const dirs = new Set(walk.dirs);
  const files = new Set(walk.files.map((f) => f.relpath));
  for (const version of registered.versions) {
    if (!dirs.has(version)) {
      versionFindings.push({
        kind: 'missing-version',
        path: version,
        message: `registered in ${registered.source} but the folder is missing`,
      });
      continue;
    }
    const absent = requiredVersionFiles.filter((name) => !files.has(`${version}/${name}`));
    if (absent.length)
      versionFindings.push({
        kind: 'incomplete-version',
        path: version,
        message: `registered version lacks ${absent.join(' and ')}`,
      });
  }
  return { root, walk, digests, treeFindings, versionFindings, versionCount: registered.versions.length };
}
