import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isSmxError } from '../../src/errors.js';
import type { Metrics } from '../../src/ml/pipelines/evaluate-stage.js';
import { loadModel } from '../../src/registry/load-model.js';
import { parseModelRef } from '../../src/registry/model-ref.js';
import { registerModel, type RegisterModelInput } from '../../src/registry/register-model.js';
import { readRegistry } from '../../src/registry/registry-index.js';
import { compareVersions, listModels, promote, recommend } from '../../src/registry/registry-ops.js';
import { tempDir } from '../helpers/database.js';

const root = tempDir('smx-registry-');
after(() => rmSync(root, { recursive: true, force: true }));

function metrics(value: number, name = 'macro_f1', higherIsBetter = true): Metrics {
  return {
    kind: 'classification',
    primary: { name, value, higherIsBetter },
    split: 'test split',
    nFit: 8,
    nTest: 2,
    metrics: { [name]: value, accuracy: 0.9 },
    detail: {},
    reference: null,
  };
}

function input(
  name: string,
  domain: string,
  value: number,
  extra: Partial<RegisterModelInput> = {},
): RegisterModelInput {
  return {
    name,
    domain,
    description: 'a test model',
    modelKind: 'random-forest-classifier',
    model: { kind: 'test' },
    onnx: Uint8Array.of(1, 2, 3),
    featureNames: ['a', 'b'],
    params: { modelKind: 'random-forest-classifier' },
    metrics: metrics(value),
    pipelineYaml: 'name: x\n',
    dataHashes: { 'data.csv': 'ab'.repeat(32) },
    runKey: `key-${value}`,
    ...extra,
  };
}

describe('model registry', () => {
  const dir = path.join(root, 'models');

  it('writes version 1 with every artifact, makes it champion and lists it in the manifest', async () => {
    const r = await registerModel(dir, input('pump-status', 'pump', 0.8));
    assert.deepEqual({ version: r.version, champion: r.champion }, { version: 1, champion: true });
    const files = readdirSync(path.join(dir, 'pump-status', '1')).sort();
    assert.deepEqual(files, [
      'MODEL_CARD.md',
      'data-hashes.json',
      'feature_names.txt',
      'metrics.json',
      'model.json',
      'model.onnx',
      'params.json',
      'pipeline.yaml',
    ]);
    assert.equal(readFileSync(path.join(dir, 'pump-status', '1', 'feature_names.txt'), 'utf8'), 'a\nb\n');
    const manifest = readFileSync(path.join(dir, 'MANIFEST.sha256'), 'utf8');
    assert.match(manifest, /^[0-9a-f]{64} {2}pump-status\/1\/model\.onnx$/m);
    assert.match(manifest, /registry\.json$/m);
    assert.ok(
      !readdirSync(path.join(dir, 'pump-status')).some((f) => f.startsWith('.staging')),
      'no staging folder left',
    );
    assert.ok(!existsSync(path.join(dir, '.registry.lock')));
  });

  it('counts versions up; later versions are not champion until promoted', async () => {
    const r2 = await registerModel(dir, input('pump-status', 'pump', 0.9));
    assert.deepEqual({ version: r2.version, champion: r2.champion }, { version: 2, champion: false });
    assert.equal((await loadModel(dir, 'pump-status')).version, 1);
    assert.equal((await loadModel(dir, 'pump-status@latest')).version, 2);
    const p = await promote(dir, 'pump-status', 2);
    assert.deepEqual(p, { name: 'pump-status', version: 2, previous: 1 });
    const champion = await loadModel(dir, 'pump-status@champion');
    assert.equal(champion.version, 2);
    assert.deepEqual(champion.aliases, ['champion']);
    assert.deepEqual(champion.featureNames, ['a', 'b']);
  });

  it('serialises concurrent registrations into distinct versions', async () => {
    const results = await Promise.all([0.1, 0.2, 0.3].map((v) => registerModel(dir, input('race', 'tabular', v))));
    assert.deepEqual(results.map((r) => r.version).sort(), [1, 2, 3]);
    const index = await readRegistry(dir);
    assert.equal(index.models.race?.versions.length, 3);
  });

  it('compares two versions metric by metric', async () => {
    const c = await compareVersions(dir, 'pump-status', 1, 2);
    assert.equal(c.better, 2);
    const row = c.rows.find((r) => r.metric === 'macro_f1')!;
    assert.ok(Math.abs(row.delta! - 0.1) < 1e-12);
  });

  it('recommends the best champion of a domain by its primary metric', async () => {
    await registerModel(dir, input('pump-anomaly', 'pump', 0.95));
    const r = await recommend(dir, 'pump');
    assert.equal(r.best.name, 'pump-anomaly');
    assert.deepEqual(
      r.alternatives.map((a) => `${a.name}@${a.version}`),
      ['pump-status@2'],
    );
    await assert.rejects(recommend(dir, 'audio'), (e: unknown) => isSmxError(e) && /domain=audio/.test(e.message));
    const listed = await listModels(dir, { domain: 'pump' });
    assert.equal(listed.length, 3);
  });

  it('explains unknown names, versions and bad references', async () => {
    await assert.rejects(
      loadModel(dir, 'nope'),
      (e: unknown) => isSmxError(e) && e.exitCode === 2 && /No model named nope/.test(e.message),
    );
    await assert.rejects(loadModel(dir, 'pump-status@9'), /no version 9/);
    assert.throws(() => parseModelRef('Bad Name'), /not a model reference/);
    assert.deepEqual(parseModelRef('x@3'), { name: 'x', selector: { version: 3 } });
    assert.deepEqual(parseModelRef('x'), { name: 'x', selector: { alias: 'champion' } });
  });
});
