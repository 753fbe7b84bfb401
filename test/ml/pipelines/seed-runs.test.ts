import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { evaluatePipeline, pipelineRunKey } from '../../../src/ml/pipelines/evaluate-pipeline.js';
import { buildSeedGraph } from '../../../src/ml/pipelines/seed-runs.js';
import { loadPipeline } from '../../../src/pipeline/load-pipeline.js';
import { checkPipeline } from '../../../src/pipeline/pipeline-checks.js';
import type { PipelineSpec } from '../../../src/pipeline/schema.js';
import { seedPaths, seedsOf, withSeed } from '../../../src/pipeline/seeds.js';
import { memoryStageCache } from '../../../src/pipeline/stage-cache.js';
import { tempDir } from '../../helpers/database.js';
import { writeSyntheticPipeline } from './synthetic-pipeline.js';

const dir = tempDir('smx-seed-runs-');
after(() => rmSync(dir, { recursive: true, force: true }));
const { pipeline } = writeSyntheticPipeline(dir, 400);
const context = { cwd: dir, env: { SMX_TEST_DATA_DIR: dir } };
const load = (overrides: { path: (string | number)[]; value: unknown }[] = []) =>
  loadPipeline(
    pipeline,
    overrides.map((o) => ({ key: o.path.join('.'), ...o })),
  ).spec;

describe('seeds', () => {
  it('`seeds: N` is 0…N−1, a list is kept, absent is one run as written', () => {
    assert.deepEqual(seedsOf({ seeds: 3 }), [0, 1, 2]);
    assert.deepEqual(seedsOf({ seeds: [5, 2] }), [5, 2]);
    assert.equal(seedsOf({}), null);
  });

  it('a seed run sets every seed param of the split and the model, and nothing else', () => {
    const spec = load();
    assert.deepEqual(seedPaths(spec), [
      ['split', 'seed'],
      ['model', 'params', 'seed'],
    ]);
    const seeded = withSeed(spec, 7);
    assert.equal((seeded.split as { seed: number }).seed, 7);
    assert.equal((seeded.model.params as { seed: number }).seed, 7);
    assert.equal((spec.split as { seed: number }).seed, 1, 'the input spec is unchanged');
    assert.deepEqual(seeded.features, spec.features);
  });

  it('the combined graph runs seed-free stages once and the rest per seed', () => {
    const graph = buildSeedGraph(load(), [0, 1, 2]);
    const ids = graph.nodes.map((n) => n.id);
    assert.deepEqual(ids.slice(0, 2), ['source', 'features.0']);
    assert.equal(ids.filter((id) => id.startsWith('model@seed')).length, 3);
    assert.equal(graph.runs[1]!.ids.get('evaluation'), 'evaluation@seed1');
    assert.deepEqual(graph.nodes.find((n) => n.id === 'model@seed2')!.inputs, ['features.0', 'split@seed2']);
  });

  it('headline is the mean over seeds, the registered model the seed nearest it, each seed as its own run', async () => {
    const spec = load([{ path: ['seeds'], value: [0, 1, 2, 3, 4] }]);
    const cache = memoryStageCache();
    const r = await evaluatePipeline(spec, { cache, context });
    const s = r.metrics.seeds!;
    assert.deepEqual(s.seeds, [0, 1, 2, 3, 4]);
    const values = s.perSeed.map((p) => p.primary);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    assert.ok(Math.abs(r.metrics.primary.value - mean) < 1e-12);
    assert.ok(Math.abs(r.metrics.metrics.macro_f1! - mean) < 1e-12);
    assert.ok(new Set(values).size > 1, 'seeds give different figures');
    const distance = (v: number) => Math.abs(v - mean);
    const chosen = s.perSeed.find((p) => p.seed === s.registered)!;
    assert.ok(values.every((v) => distance(chosen.primary) <= distance(v)));
    // each seed's figures are those of a plain run of the pipeline with that seed written in
    for (const seed of [s.registered, 4]) {
      const single = await evaluatePipeline(withSeed({ ...spec, seeds: undefined }, seed), {
        cache: memoryStageCache(),
        context,
      });
      assert.deepEqual(single.metrics.metrics, s.perSeed.find((p) => p.seed === seed)!.metrics);
      if (seed === s.registered) {
        assert.equal(JSON.stringify(single.trained.model), JSON.stringify(r.trained.model), 'registered model');
        assert.deepEqual(r.metrics.detail, single.metrics.detail);
      }
    }
    // a second run is all cache and has the same identity, which pipelineRunKey predicts
    const again = await evaluatePipeline(spec, { cache, context });
    assert.ok(again.stages.every((st) => st.status !== 'ran'));
    assert.equal(again.runKey, r.runKey);
    assert.equal(await pipelineRunKey(spec, { cache: memoryStageCache(), context }), r.runKey);
    // other seeds are another run; no `seeds` keeps the single run's key (committed versions stay recognised)
    assert.notEqual(await pipelineRunKey(spec, { cache, context, seeds: [0, 1, 2] }), r.runKey);
    const plain = load();
    const single = await evaluatePipeline(plain, { cache, context });
    assert.equal(single.metrics.seeds, undefined);
    assert.equal(await pipelineRunKey(plain, { cache, context }), single.runKey);
  });

  it('`seeds:` is validated where it is written', () => {
    const text = readFileSync(pipeline, 'utf8');
    assert.throws(
      () => loadPipeline(pipeline, [{ key: 'seeds', path: ['seeds'], value: [1, 1] }]),
      /seeds: seeds must be different \(value set by --param seeds\)/,
    );
    assert.match(text, /seed: 1/);
    const spec = load();
    const seedless = {
      ...spec,
      seeds: 5,
      split: { kind: 'time', testSize: 0.2 },
      model: { kind: 'isolation-forest', params: { nEstimators: 10, maxSamples: 'auto' } },
      evaluation: { kind: 'anomaly', thresholdQuantile: 0.99 },
    } as unknown as PipelineSpec;
    assert.deepEqual(
      checkPipeline(seedless).map((p) => p.path),
      [['seeds']],
    );
  });
});
