import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { SmxError, inputError } from '../errors.js';
import { writeFileAtomic } from '../integrity/atomic-write.js';

/**
 * models/registry.json: every registered name with its versions, tags and
 * aliases. It is the index; each version's folder holds the artifacts. Writes
 * go through a temp file and a rename, under a lock folder, so two trainers
 * (the CLI and the retrain loop) never interleave a registration.
 *
 *   { "formatVersion": 1,
 *     "models": { "ai4i-failure": { "aliases": { "champion": 1 },
 *       "versions": [ { "version": 1, "tags": { "domain": "tabular" }, … } ] } } }
 */
export interface VersionEntry {
  version: number;
  createdAt: string;
  modelKind: string;
  tags: Record<string, string>;
  description: string;
  primary: { name: string; value: number; higherIsBetter: boolean };
  /** The evaluation stage's cache key: the identity of the data, code and params this version came from. */
  runKey: string;
  smxVersion: string;
  artifacts: string[];
}

export interface ModelEntry {
  aliases: Record<string, number>;
  versions: VersionEntry[];
}

export interface RegistryIndex {
  formatVersion: 1;
  models: Record<string, ModelEntry>;
}

export const registryFile = (modelsDir: string) => path.join(modelsDir, 'registry.json');

export async function readRegistry(modelsDir: string): Promise<RegistryIndex> {
  let text: string;
  try {
    text = await readFile(registryFile(modelsDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { formatVersion: 1, models: {} };
    throw error;
  }
  let json: RegistryIndex;
  try {
    json = JSON.parse(text) as RegistryIndex;
  } catch (error) {
    throw inputError(`${registryFile(modelsDir)} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Restore it from git (models/ is versioned).',
    });
  }
  if (json.formatVersion !== 1 || typeof json.models !== 'object')
    throw inputError(`${registryFile(modelsDir)} is not an smx registry (formatVersion 1)`);
  return json;
}

export async function writeRegistry(modelsDir: string, index: RegistryIndex): Promise<void> {
  const sorted: RegistryIndex = {
    formatVersion: 1,
    models: Object.fromEntries(Object.entries(index.models).sort(([a], [b]) => a.localeCompare(b))),
  };
  await writeFileAtomic(registryFile(modelsDir), JSON.stringify(sorted, null, 2) + '\n');
}

/**
 * Runs `work` holding models/.registry.lock (a folder: mkdir is atomic). A lock
 * older than `staleMs` is from a crashed process and is taken over.
 */
export async function withRegistryLock<T>(
  modelsDir: string,
  work: () => Promise<T>,
  { timeoutMs = 30_000, staleMs = 600_000 } = {},
): Promise<T> {
  await mkdir(modelsDir, { recursive: true });
  const lock = path.join(modelsDir, '.registry.lock');
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs, // file times are wall-clock times
        () => 0,
      );
      if (age > staleMs) await rm(lock, { recursive: true, force: true });
      else if (performance.now() > deadline)
        throw new SmxError('CONFLICT', `The model registry ${modelsDir} is locked by another registration (${lock}).`, {
          hint: 'Wait for it to finish; remove the lock folder only if no smx process is running.',
        });
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
