import { mkdtemp, mkdir, writeFile, cp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A small model registry as the trainer writes it: two models, three versions,
 * registry.json, and one artifact large enough to span several read chunks.
 */
export async function makeModelsFixture(): Promise<{ root: string; modelsDir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'smx-integrity-'));
  const modelsDir = path.join(root, 'models');
  const versions: Array<[string, string]> = [
    ['ai4i-rf', '1'],
    ['ai4i-rf', '2'],
    ['skab-iforest', '1'],
  ];
  for (const [name, version] of versions) {
    const dir = path.join(modelsDir, name, version);
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'model.onnx'),
      Buffer.alloc(version === '2' ? 3 * 1024 * 1024 + 17 : 4096, `${name}-${version}`),
    );
    await writeFile(path.join(dir, 'feature_names.txt'), 'air_temperature_k\nprocess_temperature_k\n');
    await writeFile(path.join(dir, 'metrics.json'), JSON.stringify({ macroF1: 0.84 }) + '\n');
    await writeFile(path.join(dir, 'params.json'), '{"trees":100}\n');
    await writeFile(path.join(dir, 'MODEL_CARD.md'), `# ${name} v${version}\n`);
  }
  const registry = { models: versions.map(([name, version]) => ({ name, version, path: `${name}/${version}` })) };
  await writeFile(path.join(modelsDir, 'registry.json'), JSON.stringify(registry, null, 2) + '\n');
  return { root, modelsDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A fresh copy of a prepared tree, so each tamper case starts from the same clean state. */
export async function copyTree(from: string, label: string): Promise<string> {
  const to = path.join(path.dirname(from), `${path.basename(from)}-${label}`);
  await cp(from, to, { recursive: true, verbatimSymlinks: true });
  return to;
}
