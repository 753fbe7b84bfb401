import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runStages } from '../../src/pipeline/run-stages.js';
import { fileStageCache, stageKey } from '../../src/pipeline/stage-cache.js';
import type { StageNode } from '../../src/pipeline/stage.js';
import { decodeValue, encodeValue } from '../../src/pipeline/value-codec.js';
import { tempDir } from '../helpers/database.js';

const dir = tempDir('smx-stages-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** A three-stage graph whose runs are counted, with a source fingerprinted by `data`. */
function graph(state: { data: string; scale: number; runs: Record<string, number> }): StageNode[] {
  const count = (id: string) => (state.runs[id] = (state.runs[id] ?? 0) + 1);
  return [
    {
      id: 'source',
      kind: 'test.source',
      version: '1',
      params: {},
      inputs: [],
      fingerprint: async () => ({ hash: `h-${state.data}`, dataHashes: { 'data.txt': `h-${state.data}` } }),
      run: async () => (count('source'), { values: Float64Array.from(state.data.split(',').map(Number)) }),
    },
    {
      id: 'scale',
      kind: 'test.scale',
      version: '1',
      params: { scale: state.scale },
      inputs: ['source'],
      run: async ([s]) => (
        count('scale'),
        { values: (s as { values: Float64Array }).values.map((v) => v * state.scale) }
      ),
    },
    {
      id: 'sum',
      kind: 'test.sum',
      version: '1',
      params: {},
      inputs: ['scale'],
      run: async ([s]) => (
        count('sum'),
        { total: (s as { values: Float64Array }).values.reduce((a, b) => a + b, 0), nan: NaN }
      ),
    },
  ];
}

describe('stage runner and cache', () => {
  it('runs everything once, then answers from the cache without touching upstream stages', async () => {
    const cache = fileStageCache(dir);
    const state = { data: '1,2,3', scale: 2, runs: {} as Record<string, number> };
    const first = await runStages(graph(state), { cache, context: { cwd: dir, env: {} }, want: ['sum'] });
    assert.deepEqual(first.outputs.get('sum'), { total: 12, nan: NaN });
    assert.deepEqual(
      first.reports.map((r) => r.status),
      ['ran', 'ran', 'ran'],
    );
    const second = await runStages(graph(state), { cache, context: { cwd: dir, env: {} }, want: ['sum'] });
    assert.deepEqual(
      second.reports.map((r) => r.status),
      ['not needed', 'not needed', 'cached'],
    );
    assert.deepEqual(second.outputs.get('sum'), { total: 12, nan: NaN });
    assert.deepEqual(state.runs, { source: 1, scale: 1, sum: 1 });
  });

  it('re-runs only what a changed param or changed data invalidates', async () => {
    const cache = fileStageCache(dir);
    const state = { data: '1,2,3', scale: 3, runs: {} as Record<string, number> };
    const r1 = await runStages(graph(state), { cache, context: { cwd: dir, env: {} }, want: ['sum'] });
    assert.deepEqual(
      r1.reports.map((r) => r.status),
      ['cached', 'ran', 'ran'],
    );
    state.data = '1,2,4';
    const r2 = await runStages(graph(state), { cache, context: { cwd: dir, env: {} }, want: ['sum'] });
    assert.deepEqual(
      r2.reports.map((r) => r.status),
      ['ran', 'ran', 'ran'],
    );
    assert.equal((r2.outputs.get('sum') as { total: number }).total, 21);
  });

  it('a damaged cache entry is a miss: the stage runs again and replaces it', async () => {
    const cache = fileStageCache(dir);
    const state = { data: '1,2,3', scale: 5, runs: {} as Record<string, number> };
    const first = await runStages(graph(state), { cache, context: { cwd: dir, env: {} }, want: ['sum'] });
    const scaleKey = first.keys.get('scale')!;
    writeFileSync(path.join(cache.dir, `${scaleKey}.bin`), Buffer.alloc(3));
    writeFileSync(path.join(cache.dir, `${first.keys.get('sum')!}.json`), '{"total": 3');
    const again = await runStages(graph(state), { cache, context: { cwd: dir, env: {} }, want: ['sum'] });
    assert.deepEqual(
      again.reports.map((r) => r.status),
      ['cached', 'ran', 'ran'],
    );
    assert.deepEqual(again.outputs.get('sum'), first.outputs.get('sum'));
    const third = await runStages(graph(state), { cache, context: { cwd: dir, env: {} }, want: ['sum'] });
    assert.deepEqual(
      third.reports.map((r) => r.status),
      ['not needed', 'not needed', 'cached'],
    );
  });

  it('--force ignores the cache', async () => {
    const cache = fileStageCache(dir);
    const state = { data: '1,2,3', scale: 2, runs: {} as Record<string, number> };
    const r = await runStages(graph(state), { cache, context: { cwd: dir, env: {} }, want: ['sum'], force: true });
    assert.deepEqual(
      r.reports.map((x) => x.status),
      ['ran', 'ran', 'ran'],
    );
  });

  it('keys do not depend on param order but do on versions and inputs', () => {
    const base = { kind: 'k', version: '1', codeVersion: '0.1.0', inputs: ['a'] };
    assert.equal(stageKey({ ...base, params: { a: 1, b: 2 } }), stageKey({ ...base, params: { b: 2, a: 1 } }));
    assert.notEqual(stageKey({ ...base, params: {} }), stageKey({ ...base, version: '2', params: {} }));
    assert.notEqual(stageKey({ ...base, params: {} }), stageKey({ ...base, inputs: ['b'], params: {} }));
  });

  it('round-trips typed arrays, NaN and nested data exactly', () => {
    const value = {
      a: Float64Array.of(0.1, -0, Infinity),
      b: [Int32Array.of(1, -2), Uint8Array.of(3)],
      c: { n: NaN, s: 'x', t: null },
      f: Float32Array.of(1.5),
    };
    const { json, bin } = encodeValue(value);
    const back = decodeValue(json, bin) as typeof value;
    assert.deepEqual(back, value);
    assert.ok(back.a instanceof Float64Array && back.f instanceof Float32Array);
    assert.throws(() => encodeValue({ d: new Date() }), /cannot cache/);
  });
});
