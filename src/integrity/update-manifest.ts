import { access } from 'node:fs/promises';
import path from 'node:path';
import { sortFindings, type Finding } from './findings.js';
import { HashFileError } from './hash-file.js';
import { formatManifest, manifestName, parseManifest, signatureName } from './manifest-format.js';
import { writeFileAtomic } from './atomic-write.js';
import { readRegularFile } from './read-regular-file.js';
import { scanModels } from './scan-models.js';

export interface ManifestDiff {
  manifest: string;
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: number;
  /** False when the manifest already had exactly these bytes. */
  written: boolean;
  /** The .sig no longer matches: re-sign with `smx keys sign-manifest`. */
  signatureStale: boolean;
  /** Findings a new manifest cannot fix (symlinks, special files, incomplete versions…); the files involved are not listed. */
  remaining: Finding[];
}

export interface UpdateOptions {
  signal?: AbortSignal;
  concurrency?: number;
  dryRun?: boolean;
}

/**
 * Rehashes every regular file under the models folder and rewrites MANIFEST.sha256
 * (atomically, in `sha256sum` format) when anything changed; returns the diff.
 * The trainer calls this after each registration. Each call is a full rescan, so
 * a later call always repairs an earlier one that raced with a registration.
 */
export async function updateManifest(modelsDir: string, options: UpdateOptions = {}): Promise<ManifestDiff> {
  const scan = await scanModels(modelsDir, options);
  const manifestPath = path.join(scan.root, manifestName);
  const remaining: Finding[] = [...scan.treeFindings, ...scan.versionFindings];
  let oldBytes: Buffer | undefined;
  try {
    oldBytes = await readRegularFile(manifestPath);
  } catch (error) {
    if (!(error instanceof HashFileError)) throw error;
    remaining.push({
      kind: error.reason === 'missing' ? 'manifest-missing' : error.reason,
      path: manifestName,
      message: `${manifestName} ${error.message}: not replaced`,
    });
  }
  const old = new Map((oldBytes ? parseManifest(oldBytes).entries : []).map((e) => [e.path, e.digest]));

  const entries: Array<{ path: string; digest: string }> = [];
  for (const [relpath, outcome] of scan.digests) {
    if (outcome instanceof HashFileError)
      remaining.push({
        kind: outcome.reason === 'missing' ? 'missing' : outcome.reason,
        path: relpath,
        message: `${outcome.message}: not listed`,
      });
    else entries.push({ path: relpath, digest: outcome.digest });
  }
  const current = new Map(entries.map((e) => [e.path, e.digest]));
  const diff: ManifestDiff = {
    manifest: path.join(modelsDir, manifestName),
    added: entries
      .filter((e) => !old.has(e.path))
      .map((e) => e.path)
      .sort(),
    removed: [...old.keys()].filter((p) => !current.has(p)).sort(),
    changed: entries
      .filter((e) => old.has(e.path) && old.get(e.path) !== e.digest)
      .map((e) => e.path)
      .sort(),
    unchanged: entries.filter((e) => old.get(e.path) === e.digest).length,
    written: false,
    signatureStale: false,
    remaining: sortFindings(remaining),
  };
  const text = formatManifest(entries);
  const replaceable = !remaining.some((f) => f.path === manifestName);
  if (replaceable && (oldBytes === undefined || !oldBytes.equals(Buffer.from(text)))) {
    if (!options.dryRun) await writeFileAtomic(manifestPath, text);
    diff.written = !options.dryRun;
    diff.signatureStale = await access(path.join(scan.root, signatureName)).then(
      () => true,
      () => false,
    );
  }
  return diff;
}
