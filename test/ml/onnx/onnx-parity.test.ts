import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportForestToOnnx } from '../../../src/ml/onnx/tree-ensemble-export.js';
import { OnnxModelSession } from '../../../src/ml/onnx/onnx-session.js';
import { stratifiedTrainTestSplit } from '../../../src/ml/split/stratified-split.js';
import { DecisionTreeClassifier } from '../../../src/ml/tree/decision-tree.js';
import { IsolationForest } from '../../../src/ml/tree/isolation-forest.js';
import { type Matrix, matrixFromColumns, selectRows, toRowMajorFloat32 } from '../../../src/ml/tree/matrix.js';
import { Random } from '../../../src/random.js';
import { RandomForestClassifier } from '../../../src/ml/tree/random-forest-classifier.js';
import { RandomForestRegressor } from '../../../src/ml/tree/random-forest-regressor.js';
import { sharedAvailable } from '../../helpers/shared.js';
import { AI4I_FEATURES, loadAi4i } from '../tree/ai4i-data.js';

/** AI4I when ../shared is present, else a synthetic set with decimals that float32 cannot hold exactly. */
function dataset(): { x: Matrix; y: Float64Array; names: string[]; source: string } {
  if (sharedAvailable()) return { ...loadAi4i(), names: [...AI4I_FEATURES], source: 'AI4I 2020' };
  const rng = new Random(5);
  const n = 3000;
  const cols = [0, 1, 2, 3].map(() =>
    Float64Array.from({ length: n }, () => Math.round(rng.nextFloat() * 30000) / 100 + 250),
  );
  const y = Float64Array.from({ length: n }, (_, i) =>
    cols[0]![i]! + cols[1]![i]! > 800 + rng.nextFloat() * 40 ? 1 : 0,
  );
  return { x: matrixFromColumns(cols), y, names: ['a', 'b', 'c', 'd'], source: 'synthetic' };
}

async function withSession<T>(bytes: Uint8Array, fn: (s: OnnxModelSession) => Promise<T>): Promise<T> {
  const s = await OnnxModelSession.load(bytes);
  try {
    return await fn(s);
  } finally {
    await s.release();
  }
}

describe('ONNX export run by onnxruntime-node', () => {
  it('classifier: same label and probabilities (1e-6) on every test row', async (t) => {
    const { x, y, names, source } = dataset();
    const { train, test } = stratifiedTrainTestSplit(y, { seed: 42 });
    const rf = new RandomForestClassifier({ nEstimators: 100, seed: 0 }).train(
      selectRows(x, train),
      Array.from(train, (i) => y[i]!),
    );
    const xTest = selectRows(x, test);
    const p = rf.predictProba(xTest);
    const labels = rf.predict(xTest);
    const onnx = await withSession(exportForestToOnnx(rf, names), (s) => s.classify(xTest));
    assert.equal(onnx.nClasses, 2);
    let maxDiff = 0;
    let ties = 0;
    for (let r = 0; r < xTest.rows; r++) {
      for (let k = 0; k < 2; k++) maxDiff = Math.max(maxDiff, Math.abs(p[2 * r + k]! - onnx.probabilities[2 * r + k]!));
      // Ties (p = 0.5) must break to the first class on both sides, see tree-ensemble-export.ts.
      if (p[2 * r + 1] === 0.5) ties++;
      assert.equal(onnx.labels[r], labels[r], `row ${r}: p = ${p[2 * r + 1]}`);
    }
    t.diagnostic(`${source}: ${xTest.rows} rows, max |Δp| ${maxDiff.toExponential(2)}, rows at p = 0.5 (tie): ${ties}`);
    assert.ok(maxDiff < 1e-6, `max probability difference ${maxDiff}`);
  });

  it('keeps decisions exact where a float32 threshold would round onto the upper value', async () => {
    const a = 1 + 2 ** -23;
    const b = 1 + 2 ** -22;
    const tree = new DecisionTreeClassifier().train(matrixFromColumns([[a, a, b, b]]), [0, 0, 1, 1]);
    const x = matrixFromColumns([[a, b]]);
    const onnx = await withSession(exportForestToOnnx(tree), (s) =>
      s.classify({ data: toRowMajorFloat32(x), rows: 2, cols: 1 }),
    );
    assert.deepEqual([...onnx.labels], [...tree.predict(x)]);
    assert.deepEqual([...onnx.labels], [0, 1]);
  });

  it('regressor: same predictions within float32 accuracy', async () => {
    const { x } = dataset();
    const target = Float64Array.from({ length: x.rows }, (_, i) => x.data[i]! * 0.5 + x.data[x.rows + i]!);
    const rf = new RandomForestRegressor({ nEstimators: 30, seed: 1, maxDepth: 12 }).train(x, target);
    const xs = selectRows(
      x,
      Int32Array.from({ length: 1000 }, (_, i) => i),
    );
    const mine = rf.predict(xs);
    const onnx = await withSession(exportForestToOnnx(rf), (s) => s.regress(xs));
    for (let i = 0; i < mine.length; i++) {
      assert.ok(Math.abs(mine[i]! - onnx[i]!) <= 1e-6 * Math.abs(mine[i]!), `row ${i}: ${mine[i]} vs ${onnx[i]}`);
    }
  });

  it('isolation forest: score_samples and decision within 1e-6', async () => {
    const { x } = dataset();
    const iso = new IsolationForest({ seed: 4, contamination: 0.05 }).train(x);
    const xs = selectRows(
      x,
      Int32Array.from({ length: 1000 }, (_, i) => i * 2),
    );
    const score = iso.scoreSamples(xs);
    const decision = iso.decisionFunction(xs);
    const onnx = await withSession(exportForestToOnnx(iso), (s) => s.scoreAnomalies(xs));
    for (let i = 0; i < score.length; i++) {
      assert.ok(Math.abs(score[i]! - onnx.score[i]!) < 1e-6, `row ${i}: ${score[i]} vs ${onnx.score[i]}`);
      assert.ok(Math.abs(decision[i]! - onnx.decision[i]!) < 1e-6);
    }
  });

  it('rejects bytes that are not a model, and wrong feature-name counts', async () => {
    await assert.rejects(OnnxModelSession.load(new Uint8Array([1, 2, 3])), /could not load/);
    const tree = new DecisionTreeClassifier().train([[1], [2]], [0, 1]);
    assert.throws(() => exportForestToOnnx(tree, ['a', 'b']), /feature names/);
    const precise = new DecisionTreeClassifier({ precision: 'float64' }).train([[1], [2]], [0, 1]);
    assert.throws(() => exportForestToOnnx(precise), /float32/);
  });
});
