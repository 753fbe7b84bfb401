import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { lagStage, windowStatsStage } from '../../../src/ml/pipelines/features/window-stages.js';
import { predictStream } from '../../../src/ml/pipelines/predict-stream.js';
import { csvSource, ndjsonSource } from '../../../src/ml/pipelines/sources/file-sources.js';
import { splitStage } from '../../../src/ml/pipelines/split-stage.js';
import { trainPipeline } from '../../../src/train/train-pipeline.js';
import type { Dataset } from '../../../src/ml/pipelines/types.js';
import { loadPipeline, parsePipeline } from '../../../src/pipeline/load-pipeline.js';
import { loadModel } from '../../../src/registry/load-model.js';
import { tempDir } from '../../helpers/database.js';
import { writeSyntheticPipeline } from './synthetic-pipeline.js';

const context = { cwd: '.', env: {} };
/** Two groups of 5 rows; x counts 0..9, labels mark the last row of group b. */
const two: Dataset = {
  shape: 'dataset',
  featureNames: ['x'],
  rows: 10,
  data: Float64Array.from({ length: 10 }, (_, i) => i),
  target: Float64Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
  groups: { names: ['a', 'b'], index: Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1, 1, 1) },
  time: null,
  encoding: { ordinal: {} },
};

describe('feature and split stages', () => {
  it('window-stats never spans two groups and labels a window by its newest row', async () => {
    const ds = await windowStatsStage.run({ kind: 'window-stats', window: 3, hop: 1, label: 'last' }, [two], context);
    assert.equal(ds.rows, 6);
    assert.deepEqual(Array.from(ds.data.subarray(0, 6)), [1, 2, 3, 6, 7, 8]);
    assert.deepEqual(Array.from(ds.target!), [0, 0, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(ds.groups.index), [0, 0, 0, 1, 1, 1]);
  });

  it('lag features look only backwards, include the value at t, and the target is the value `horizon` rows ahead', async () => {
    const ds = await lagStage.run({ kind: 'lag', column: 'x', lags: 2, rolling: [], horizon: 1 }, [two], context);
    assert.deepEqual(ds.featureNames, ['x', 'x_lag_1', 'x_lag_2']);
    // Rows t = 2, 3 of group a (x = 0..4) and of group b (x = 5..9): x[t], x[t-1], x[t-2] → x[t+1].
    assert.deepEqual(Array.from(ds.target!), [3, 4, 8, 9]);
    assert.deepEqual(Array.from(ds.data.subarray(0, 4)), [2, 3, 7, 8]);
    assert.deepEqual(Array.from(ds.data.subarray(4, 8)), [1, 2, 6, 7]);
    const two2 = await lagStage.run({ kind: 'lag', column: 'x', lags: 1, rolling: [2], horizon: 2 }, [two], context);
    assert.deepEqual(two2.featureNames, ['x', 'x_lag_1', 'x_roll2_mean', 'x_roll2_std']);
    assert.deepEqual(Array.from(two2.target!), [3, 4, 8, 9]);
    assert.deepEqual(
      Array.from(two2.data.subarray(0, 4)),
      [1, 2, 6, 7],
      'the newest value is x[t], two rows before the target',
    );
    assert.deepEqual(Array.from(two2.data.subarray(8, 12)), [0.5, 1.5, 5.5, 6.5], 'rolling mean over x[t-1], x[t]');
  });

  it('a novelty split fits on normal rows of the fit groups and scores the rest', async () => {
    const plan = await splitStage.run({ kind: 'novelty', fitGroups: ['a'], holdout: 0.4 }, [two], context);
    assert.deepEqual(Array.from(plan.folds[0]!.fit), [0, 1, 2]);
    assert.deepEqual(Array.from(plan.folds[0]!.test), [3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('file sources', () => {
  const dir = tempDir('smx-sources-');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an NDJSON source reads the same table as the CSV it was written from, and names a bad line', async () => {
    const { data, pipeline } = writeSyntheticPipeline(dir, 50);
    const [header, ...lines] = readFileSync(data, 'utf8').trim().split('\n');
    const names = header!.split(',');
    const ndjson = lines.map((line) =>
      JSON.stringify(
        Object.fromEntries(line.split(',').map((v, j) => [names[j], names[j] === 'Type' ? v : Number(v)])),
      ),
    );
    writeFileSync(path.join(dir, 'machines.ndjson'), ndjson.join('\n') + '\n');
    const ctx = { cwd: dir, env: {} };
    const csvSpec = loadPipeline(pipeline).spec.source;
    const ndjsonSpec = parsePipeline(
      readFileSync(pipeline, 'utf8').replace('kind: csv', 'kind: ndjson').replace('machines.csv', 'machines.ndjson'),
    ).spec.source;
    assert.equal(ndjsonSpec.kind, 'ndjson');
    const fromCsv = await csvSource.run(csvSpec as never, [], ctx);
    const fromNdjson = await ndjsonSource.run(ndjsonSpec, [], ctx);
    assert.equal(fromNdjson.rows, 50);
    assert.deepEqual(fromNdjson.columns, fromCsv.columns);
    assert.deepEqual(fromNdjson.groups.index, fromCsv.groups.index);
    writeFileSync(path.join(dir, 'machines.ndjson'), `${ndjson[0]}\n{"Type": "L",\n`);
    await assert.rejects(ndjsonSource.run(ndjsonSpec, [], ctx), /machines\.ndjson:2: not a JSON object/);
  });
});

describe('predictStream', () => {
  const dir = tempDir('smx-predict-stream-');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same predictions whatever the chunk size', async () => {
    const { pipeline } = writeSyntheticPipeline(dir, 300);
    const trained = await trainPipeline(loadPipeline(pipeline), {
      cwd: dir,
      env: {},
      stateDir: path.join(dir, 'state'),
      modelsDir: path.join(dir, 'models'),
    });
    const model = await loadModel(path.join(dir, 'models'), `${trained.registered.name}@${trained.registered.version}`);
    const csv =
      [
        'torque,Type,speed',
        ...Array.from({ length: 95 }, (_, i) => `${20 + (i % 40)},${'LMH'[i % 3]},${1200 + 15 * i}`),
      ].join('\n') + '\n';
    const run = async (chunkRows: number) => {
      let text = '';
      const sink = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) });
      const summary = await predictStream(model, Readable.from([csv]), sink, { chunkRows });
      return { text, summary };
    };
    const small = await run(7);
    const large = await run(10_000);
    assert.equal(small.summary.rows, 95);
    assert.equal(small.summary.chunks, 14);
    assert.equal(large.summary.chunks, 1);
    assert.equal(small.text, large.text);
    assert.equal(small.text.trim().split('\n').length, 96);
  });
});
