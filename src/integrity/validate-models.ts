import path from 'node:path';
import { sortFindings, type Finding } from './findings.js';
import { HashFileError } from './hash-file.js';
import { manifestName, parseManifest, signatureName, type ManifestEntry } from './manifest-format.js';
import { loadPublicKey, verifyManifestBytes } from './manifest-signature.js';
import { readRegularFile } from './read-regular-file.js';
import { scanModels } from './scan-models.js';

export interface ValidateOptions {
  /** PEM text of the Ed25519 public key; when given, MANIFEST.sha256.sig must verify. */
  publicKey?: string | Buffer;
  signal?: AbortSignal;
  concurrency?: number;
}

export type SignatureStatus = 'verified' | 'missing' | 'invalid' | 'malformed' | 'not-checked' | 'present-not-checked';

export interface ValidationReport {
  ok: boolean;
  modelsDir: string;
  manifest: string;
  /** Files on disk, manifest entries, files hashed and their bytes, registered versions. */
  counts: { files: number; listed: number; hashed: number; bytes: number; versions: number };
  signature: { status: SignatureStatus; keyId?: string };
  findings: Finding[];
}

/**
 * Recomputes SHA-256 of every listed file and compares it with MANIFEST.sha256
 * (the same verdicts as `cd models && sha256sum -c MANIFEST.sha256`), then adds
 * what sha256sum cannot see: unlisted files, symlinks, unsafe or duplicate lines,
 * incomplete registered versions and, with a public key, a forged manifest.
 * Findings are data; the CLI turns a non-empty list into exit 1.
 */
export async function validateModels(modelsDir: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const publicKey = options.publicKey === undefined ? undefined : loadPublicKey(options.publicKey, 'the public key');
  const root = path.resolve(modelsDir);
  const findings: Finding[] = [];
  const manifest = await readOrFinding(path.join(root, manifestName), manifestName, findings);
  const parsed = manifest ? parseManifest(manifest) : { entries: [], problems: [] };
  for (const problem of parsed.problems)
    findings.push({
      kind: problem.kind,
      path: problem.path ?? manifestName,
      line: problem.line,
      message: problem.message,
    });
  const listed = new Map<string, ManifestEntry>(parsed.entries.map((e) => [e.path, e]));

  const scan = await scanModels(root, {
    signal: options.signal,
    concurrency: options.concurrency,
    shouldHash: (p) => listed.has(p),
  });
  findings.push(...scan.treeFindings, ...scan.versionFindings);
  if (manifest === undefined && !findings.some((f) => f.path === manifestName)) {
    findings.push({
      kind: 'manifest-missing',
      path: manifestName,
      message: `no ${manifestName} in ${modelsDir} (create it with \`smx validate-hashes --update\`)`,
    });
  }

  const onDisk = new Set(scan.walk.files.map((f) => f.relpath));
  const odd = new Map(scan.walk.oddities.map((o) => [o.relpath, o]));
  const dirs = new Set(scan.walk.dirs);
  let bytes = 0;
  for (const entry of parsed.entries) {
    const outcome = scan.digests.get(entry.path);
    if (outcome instanceof HashFileError) {
      findings.push({
        kind: outcome.reason === 'missing' ? 'missing' : outcome.reason,
        path: entry.path,
        line: entry.line,
        message: outcome.message,
      });
    } else if (outcome) {
      bytes += outcome.size;
      if (outcome.digest !== entry.digest) {
        findings.push({
          kind: 'changed',
          path: entry.path,
          line: entry.line,
          expected: entry.digest,
          actual: outcome.digest,
          message: `sha256 is ${outcome.digest}, manifest says ${entry.digest}`,
        });
      }
    } else if (odd.has(entry.path)) {
      continue; // already reported by the walk (symlink, FIFO, non-UTF-8 name)
    } else if (dirs.has(entry.path)) {
      findings.push({
        kind: 'not-a-file',
        path: entry.path,
        line: entry.line,
        message: 'listed as a file but is a folder',
      });
    } else {
      const viaLink = symlinkPrefix(entry.path, odd);
      findings.push(
        viaLink
          ? {
              kind: 'symlink',
              path: entry.path,
              line: entry.line,
              message: `listed path goes through symlink ${viaLink} (not followed)`,
            }
          : { kind: 'missing', path: entry.path, line: entry.line, message: 'listed in the manifest but not on disk' },
      );
    }
  }
  if (manifest !== undefined) {
    for (const file of onDisk)
      if (!listed.has(file))
        findings.push({ kind: 'unlisted', path: file, message: 'on disk but not in the manifest' });
  }

  const signature = await checkSignature(root, manifest, publicKey, findings);
  sortFindings(findings);
  return {
    ok: findings.length === 0,
    modelsDir,
    manifest: path.join(modelsDir, manifestName),
    counts: {
      files: onDisk.size,
      listed: parsed.entries.length,
      hashed: scan.digests.size,
      bytes,
      versions: scan.versionCount,
    },
    signature,
    findings,
  };
}

async function checkSignature(
  root: string,
  manifest: Buffer | undefined,
  publicKey: ReturnType<typeof loadPublicKey> | undefined,
  findings: Finding[],
): Promise<ValidationReport['signature']> {
  const sigFindings: Finding[] = [];
  const sig = await readOrFinding(path.join(root, signatureName), signatureName, sigFindings, 64 * 1024);
  if (!publicKey) return { status: sig === undefined ? 'not-checked' : 'present-not-checked' };
  if (manifest === undefined) return { status: 'not-checked' };
  if (sigFindings.length) {
    findings.push(...sigFindings.map((f) => ({ ...f, kind: 'signature-malformed' as const })));
    return { status: 'malformed' };
  }
  if (sig === undefined) {
    findings.push({
      kind: 'signature-missing',
      path: signatureName,
      message: 'a public key was given but the manifest is not signed (smx keys sign-manifest)',
    });
    return { status: 'missing' };
  }
  const check = verifyManifestBytes(manifest, sig.toString('utf8'), publicKey);
  if (check.status !== 'verified')
    findings.push({
      kind: check.status === 'invalid' ? 'signature-invalid' : 'signature-malformed',
      path: signatureName,
      message: check.message,
    });
  return { status: check.status, keyId: check.keyId };
}

async function readOrFinding(
  absPath: string,
  name: string,
  findings: Finding[],
  maxBytes?: number,
): Promise<Buffer | undefined> {
  try {
    return await readRegularFile(absPath, maxBytes);
  } catch (error) {
    if (!(error instanceof HashFileError)) throw error;
    findings.push({
      kind: error.reason === 'missing' ? 'manifest-missing' : error.reason,
      path: name,
      message: `${name} ${error.message}`,
    });
    return undefined;
  }
}

function symlinkPrefix(relpath: string, odd: Map<string, { kind: string }>): string | undefined {
  const parts = relpath.split('/');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (odd.get(prefix)?.kind === 'symlink') return prefix;
  }
  return undefined;
}
