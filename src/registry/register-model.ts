import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import { renameSynced, writeFileSynced } from '../integrity/atomic-write.js';
import { updateManifest } from '../integrity/update-manifest.js';
import type { ModelArtefact } from '../ml/pipelines/model-artefact.js';
import { codeVersion } from '../pipeline/run-stages.js';
import { renderModelCard } from './model-card.js';
import { readRegistry, withRegistryLock, writeRegistry, type VersionEntry } from './registry-index.js';

/**
 * Everything a registered version consists of: training's artefact (model.json,
 * model.onnx for tree models, params, metrics, the frozen pipeline, data
 * hashes, the run key; ml/pipelines/model-artefact.ts) and how it is registered.
 */
export interface RegisterModelInput extends Omit<ModelArtefact, 'onnx' | 'reportData'> {
  name: string;
  domain: string;
  tags?: Record<string, string>;
  description: string;
  onnx?: Uint8Array | null;
  claims?: Record<string, string>;
  /** The training report's figures (report-data.json; src/ml/report/report-section.ts). */
  reportData?: unknown;
}

export interface RegisteredModel {
  name: string;
  version: number;
  dir: string;
  champion: boolean;
  manifestWritten: boolean;
}

/**
 * Writes models/<name>/<version>/ atomically (a staging folder renamed into
 * place, so a crash leaves no half version), indexes it in registry.json and
 * rewrites models/MANIFEST.sha256. Versions count up from 1; the first version
 * of a name becomes its champion, later ones only through promote().
 */
export async function registerModel(
  modelsDir: string,
  input: RegisterModelInput,
  options: { now?: Clock | undefined } = {},
): Promise<RegisteredModel> {
  const registered = await withRegistryLock(modelsDir, async () => {
    const index = await readRegistry(modelsDir);
    const entry = (index.models[input.name] ??= { aliases: {}, versions: [] });
    const version = entry.versions.reduce((max, v) => Math.max(max, v.version), 0) + 1;
    const createdAt = new Date((options.now ?? systemClock)()).toISOString();
    const nameDir = path.join(modelsDir, input.name);
    const staging = path.join(nameDir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
    const dir = path.join(nameDir, String(version));
    await mkdir(staging, { recursive: true });
    try {
      const files: Record<string, string | Uint8Array> = {
        'model.json': JSON.stringify(input.model) + '\n',
        'feature_names.txt': input.featureNames.join('\n') + '\n',
        'params.json': JSON.stringify(input.params, null, 2) + '\n',
        'metrics.json': JSON.stringify(input.metrics, jsonNumbers, 2) + '\n',
        'pipeline.yaml': input.pipelineYaml,
        'data-hashes.json': JSON.stringify(input.dataHashes, null, 2) + '\n',
        'MODEL_CARD.md': renderModelCard({
          ...input,
          version,
          claims: input.claims ?? {},
          createdAt,
          featureNames: input.featureNames,
        }),
      };
      if (input.onnx) files['model.onnx'] = input.onnx;
      if (input.reportData !== undefined)
        files['report-data.json'] = JSON.stringify(input.reportData, jsonNumbers) + '\n';
      // Each file synced, then the folder renamed into place: the version appears whole or not at all.
      for (const [file, content] of Object.entries(files)) await writeFileSynced(path.join(staging, file), content);
      await renameSynced(staging, dir);
      const versionEntry: VersionEntry = {
        version,
        createdAt,
        modelKind: input.modelKind,
        tags: { ...input.tags, domain: input.domain },
        description: input.description.trim(),
        primary: input.metrics.primary,
        runKey: input.runKey,
        smxVersion: codeVersion(),
        artifacts: Object.keys(files).sort(),
      };
      entry.versions.push(versionEntry);
      const champion = entry.aliases.champion === undefined;
      if (champion) entry.aliases.champion = version;
      await writeRegistry(modelsDir, index);
      return { name: input.name, version, dir, champion };
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  });
  const manifest = await updateManifest(modelsDir);
  return { ...registered, manifestWritten: manifest.written };
}

/** NaN and ±Infinity are not JSON: write them as null (a metric undefined on this test set). */
export function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
