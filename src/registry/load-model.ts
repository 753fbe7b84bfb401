import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inputError, notFoundError } from '../errors.js';
import type { Metrics } from '../ml/metrics/types.js';
import type { StoredModel } from '../ml/pipelines/stored-model.js';
import { parseModelRef, type ModelRef } from './model-ref.js';
import { readRegistry, type ModelEntry, type RegistryIndex, type VersionEntry } from './registry-index.js';

/** A registered version as loaded: ml's StoredModel plus its index entry and aliases. */
export interface LoadedModel extends StoredModel {
  entry: VersionEntry;
  /** Aliases pointing at this version (champion, …). */
  aliases: string[];
}

export function resolveVersion(index: RegistryIndex, ref: ModelRef): { entry: ModelEntry; version: VersionEntry } {
  const entry = index.models[ref.name];
  if (!entry) {
    throw notFoundError(`No model named ${ref.name} in the registry.`, {
      hint: `Registered: ${Object.keys(index.models).join(', ') || 'none'}. Train one with smx train pipelines/<file>.yaml.`,
    });
  }
  let number: number | undefined;
  if ('version' in ref.selector) number = ref.selector.version;
  else if (ref.selector.alias === 'latest') number = entry.versions.reduce((m, v) => Math.max(m, v.version), 0);
  else number = entry.aliases[ref.selector.alias];
  const version = entry.versions.find((v) => v.version === number);
  if (!version) {
    const what = 'version' in ref.selector ? `version ${ref.selector.version}` : `alias ${ref.selector.alias}`;
    throw notFoundError(`${ref.name} has no ${what}.`, {
      hint: `Versions: ${entry.versions.map((v) => v.version).join(', ')}; aliases: ${
        Object.entries(entry.aliases)
          .map(([a, v]) => `${a}→${v}`)
          .join(', ') || 'none'
      }.`,
    });
  }
  return { entry, version };
}

/** Loads a registered version's metadata by reference (NAME, NAME@3, NAME@champion, NAME@latest). */
export async function loadModel(modelsDir: string, ref: string | ModelRef): Promise<LoadedModel> {
  const parsed = typeof ref === 'string' ? parseModelRef(ref) : ref;
  const index = await readRegistry(modelsDir);
  const { entry, version } = resolveVersion(index, parsed);
  const dir = path.join(modelsDir, parsed.name, String(version.version));
  const read = async (file: string) => {
    try {
      return await readFile(path.join(dir, file), 'utf8');
    } catch (error) {
      throw inputError(
        `${parsed.name}@${version.version} is incomplete: ${path.join(dir, file)} cannot be read (${(error as NodeJS.ErrnoException).code}).`,
        { hint: 'Check the registry with smx validate-hashes, or restore models/ from git.' },
      );
    }
  };
  const featureNames = (await read('feature_names.txt')).split(/\r?\n/).filter((l) => l.length > 0);
  const onnx = path.join(dir, 'model.onnx');
  return {
    name: parsed.name,
    version: version.version,
    dir,
    entry: version,
    aliases: Object.entries(entry.aliases)
      .filter(([, v]) => v === version.version)
      .map(([a]) => a),
    featureNames,
    params: JSON.parse(await read('params.json')) as Record<string, unknown>,
    metrics: JSON.parse(await read('metrics.json')) as Metrics,
    onnxPath: existsSync(onnx) ? onnx : null,
    readModelJson: async () => JSON.parse(await read('model.json')) as unknown,
  };
}
