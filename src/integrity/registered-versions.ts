import path from 'node:path';
import { HashFileError } from './hash-file.js';
import { readRegularFile } from './read-regular-file.js';

/** Files every registered version must carry: without them a model cannot be served or compared. */
export const requiredVersionFiles = ['feature_names.txt', 'metrics.json'] as const;

export interface RegisteredVersions {
  /** `name/version` folders, relative to the models folder. */
  versions: string[];
  source: 'registry.json' | 'folders';
  problems: Array<{ kind: 'registry-malformed' | 'unsafe-path'; path: string; message: string }>;
}

/**
 * The versions the registry claims. With models/registry.json, every `{name, version}`
 * pair it holds (as `models: [{name, version}]`, `models: {name: {versions: [...]}}`
 * or a plain list of such objects); without it, every second-level folder. Names that
 * would leave the models folder are reported, never joined into a path.
 * registry.json is read like the manifest: a symlink is not followed and a FIFO
 * is not opened for reading (either would let a hostile tree hang the check or
 * pull in a file from outside the models folder).
 */
export async function registeredVersions(modelsDir: string, dirs: readonly string[]): Promise<RegisteredVersions> {
  const fromFolders = (problems: RegisteredVersions['problems']): RegisteredVersions => ({
    versions: dirs.filter((d) => d.split('/').length === 2),
    source: 'folders',
    problems,
  });
  let bytes: Buffer | undefined;
  try {
    bytes = await readRegularFile(path.join(modelsDir, 'registry.json'), 16 * 1024 * 1024);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!(error instanceof HashFileError) && typeof code !== 'string') throw error;
    const reason = error instanceof HashFileError ? error.message : `cannot be read (${String(code)})`;
    return fromFolders([
      {
        kind: 'registry-malformed',
        path: 'registry.json',
        message: `${reason}: not read (versions taken from the folders)`,
      },
    ]);
  }
  if (bytes === undefined) return fromFolders([]);
  const text = bytes.toString('utf8');
  const result: RegisteredVersions = { versions: [], source: 'registry.json', problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    result.problems.push({
      kind: 'registry-malformed',
      path: 'registry.json',
      message: `not valid JSON: ${(error as Error).message}`,
    });
    return result;
  }
  const seen = new Set<string>();
  for (const [name, version] of versionPairs(json)) {
    const rel = `${name}/${version}`;
    if (!safeSegment(name) || !safeSegment(version)) {
      result.problems.push({
        kind: 'unsafe-path',
        path: rel,
        message: 'registry.json names a model or version that is not a plain folder name',
      });
    } else if (!seen.has(rel)) {
      seen.add(rel);
      result.versions.push(rel);
    }
  }
  result.versions.sort();
  return result;
}

type Pair = [string, string];

function versionPairs(json: unknown): Pair[] {
  const pairs: Pair[] = [];
  const visit = (value: unknown, keyName: string | undefined, depth: number): void => {
    if (depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, undefined, depth + 1));
    const record = value as Record<string, unknown>;
    const name = typeof record.name === 'string' ? record.name : keyName;
    // A {name, version} entry or a {versions} holder is a leaf: its other fields (params, metrics) are not searched.
    if (typeof record.name === 'string' && isVersion(record.version))
      return void pairs.push([record.name, String(record.version)]);
    const versions = record.versions;
    if (name !== undefined && versions && typeof versions === 'object') {
      const listed = Array.isArray(versions) ? versions : Object.keys(versions);
      for (const v of listed) {
        const version = isVersion(v)
          ? v
          : v && typeof v === 'object'
            ? (v as Record<string, unknown>).version
            : undefined;
        if (isVersion(version)) pairs.push([name, String(version)]);
      }
      return;
    }
    for (const [key, child] of Object.entries(record)) visit(child, key, depth + 1);
  };
  visit(json, undefined, 0);
  return pairs;
}

function isVersion(value: unknown): value is string | number {
  return (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && Number.isFinite(value));
}

function safeSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !/[/\\\0]/.test(segment);
}
