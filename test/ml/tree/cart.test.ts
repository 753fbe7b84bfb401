import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../../src/ml/tree/decision-tree.js';
import { LEAF, nodeDepths } from '../../../src/ml/tree/flat-tree.js';
import { resolveMaxFeatures } from '../../../src/ml/tree/forest-options.js';
import { matrixFromColumns } from '../../../src/ml/tree/matrix.js';
import { RandomForestClassifier } from '../../../src/ml/tree/random-forest-classifier.js';
import { RandomForestRegressor } from '../../../src/ml/tree/random-forest-regressor.js';

describe('CART decision trees', () => {
  it('separates a pure 1-D split at the midpoint, with one split and two leaves', () => {
    const x = matrixFromColumns([[1, 2, 3, 10, 11, 12]]);
    const tree = new DecisionTreeClassifier().train(x, [0, 0, 0, 1, 1, 1]);
    const t = tree.trees[0]!;
    assert.equal(t.nodeCount, 3);
    assert.equal(t.feature[0], 0);
    assert.equal(t.threshold[0], 6.5); // (3 + 10) / 2
    assert.deepEqual([...tree.predict(x)], [0, 0, 0, 1, 1, 1]);
    assert.deepEqual([...tree.predictProba([[6.5], [6.6]])], [1, 0, 0, 1]);
  });

  it('picks the informative feature and needs depth 2 for XOR', () => {
    // Feature 2 is noise-free XOR of features 0 and 1 thresholds; feature 2 is constant.
    const a = [0, 0, 1, 1, 0, 0, 1, 1];
    const b = [0, 1, 0, 1, 0, 1, 0, 1];
    const c = [5, 5, 5, 5, 5, 5, 5, 5];
    const y = a.map((v, i) => v ^ (b[i] as number));
    const x = matrixFromColumns([a, b, c]);
    const tree = new DecisionTreeClassifier().train(x, y);
    assert.deepEqual([...tree.predict(x)], y);
    const t = tree.trees[0]!;
    assert.ok(![...t.feature].includes(2), 'constant feature never used');
    assert.equal(Math.max(...nodeDepths(t)), 2);
  });

  it('fits a regression step function exactly and predicts leaf means', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const y = xs.map((v) => (v < 5 ? 1 : 3));
    const tree = new DecisionTreeRegressor().train(matrixFromColumns([xs]), y);
    assert.equal(tree.trees[0]!.nodeCount, 3);
    assert.equal(tree.trees[0]!.threshold[0], 4.5);
    assert.deepEqual([...tree.predict([[-1], [4.4], [4.6], [100]])], [1, 1, 3, 3]);
    const stump = new DecisionTreeRegressor({ maxDepth: 1 }).train(matrixFromColumns([xs]), xs);
    assert.deepEqual([...stump.predict([[0], [9]])], [2, 7]); // means of 0..4 and 5..9
  });

  it('honours maxDepth and minSamplesLeaf', () => {
    const xs = Array.from({ length: 40 }, (_, i) => i);
    const y = xs.map((v) => v % 3);
    const deep = new DecisionTreeClassifier().train(matrixFromColumns([xs]), y);
    assert.deepEqual([...deep.predict(matrixFromColumns([xs]))], y);
    const shallow = new DecisionTreeClassifier({ maxDepth: 2 }).train(matrixFromColumns([xs]), y);
    assert.ok(Math.max(...nodeDepths(shallow.trees[0]!)) <= 2);
    const leafy = new DecisionTreeClassifier({ minSamplesLeaf: 7 }).train(matrixFromColumns([xs]), y);
    const t = leafy.trees[0]!;
    for (let i = 0; i < t.nodeCount; i++) if (t.feature[i] === LEAF) assert.ok(t.nSamples[i]! >= 7);
  });

  it('supports the entropy criterion', () => {
    const x = matrixFromColumns([[1, 2, 3, 4, 5, 6]]);
    const tree = new DecisionTreeClassifier({ criterion: 'entropy' }).train(x, [7, 7, 9, 9, 9, 9]);
    assert.deepEqual(tree.classes, [7, 9]);
    assert.deepEqual([...tree.predict(x)], [7, 7, 9, 9, 9, 9]);
    assert.equal(tree.trees[0]!.threshold[0], 2.5);
  });

  it('resolves maxFeatures like scikit-learn', () => {
    assert.equal(resolveMaxFeatures('sqrt', 6, 'sqrt'), 2);
    assert.equal(resolveMaxFeatures('log2', 6, 'sqrt'), 2);
    assert.equal(resolveMaxFeatures(undefined, 10, 'sqrt'), 3);
    assert.equal(resolveMaxFeatures(0.5, 7, 'sqrt'), 3);
    assert.equal(resolveMaxFeatures(4, 3, 'sqrt'), 3);
    assert.equal(resolveMaxFeatures('all', 9, 'sqrt'), 9);
    assert.throws(() => resolveMaxFeatures(-1, 9, 'sqrt'), /maxFeatures/);
  });

  it("float32 mode (default) cannot split values float32 cannot tell apart; 'float64' can", () => {
    const x = matrixFromColumns([[1e6, 1e6, 1e6 + 0.01, 1e6 + 0.01]]); // float32 spacing at 1e6 is 0.0625
    const y = [0, 0, 1, 1];
    assert.equal(new DecisionTreeClassifier().train(x, y).trees[0]!.nodeCount, 1);
    const precise = new DecisionTreeClassifier({ precision: 'float64' }).train(x, y);
    assert.deepEqual([...precise.predict(x)], y);
  });

  it('rejects NaN features and mismatched targets', () => {
    assert.throws(() => new DecisionTreeClassifier().train([[1], [Number.NaN]], [0, 1]), /non-finite/);
    assert.throws(() => new DecisionTreeClassifier().train([[1], [2]], [0]), /targets/);
  });
});

describe('random forests', () => {
  const n = 300;
  const cols = [0, 1, 2].map((c) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * (c + 1.3)) * 10));
  const x = matrixFromColumns(cols);
  const y = Array.from({ length: n }, (_, i) => (cols[0]![i]! > 2 ? 1 : 0) ^ (i % 17 === 0 ? 1 : 0));

  it('is deterministic for a seed and differs across seeds', () => {
    const a = new RandomForestClassifier({ nEstimators: 10, seed: 5 }).train(x, y);
    const b = new RandomForestClassifier({ nEstimators: 10, seed: 5 }).train(x, y);
    const c = new RandomForestClassifier({ nEstimators: 10, seed: 6 }).train(x, y);
    assert.deepEqual(a.toJSON(), b.toJSON());
    assert.notDeepEqual(a.toJSON().trees, c.toJSON().trees);
  });

  it('puts the importance on the informative feature and sums it to 1', () => {
    const rf = new RandomForestClassifier({ nEstimators: 20, seed: 1 }).train(x, y);
    const imp = [...rf.featureImportances];
    assert.ok(Math.abs(imp.reduce((s, v) => s + v, 0) - 1) < 1e-12);
    assert.ok(imp[0]! > imp[1]! && imp[0]! > imp[2]!, `importances ${imp.join(', ')}`);
  });

  it('round-trips through toJSON/fromJSON with identical predictions', () => {
    const rf = new RandomForestClassifier({ nEstimators: 8, seed: 2 }).train(x, y);
    const copy = RandomForestClassifier.fromJSON(JSON.parse(JSON.stringify(rf.toJSON())));
    assert.deepEqual([...copy.predictProba(x)], [...rf.predictProba(x)]);
    const reg = new RandomForestRegressor({ nEstimators: 5, seed: 3 }).train(x, cols[1]!);
    const regCopy = RandomForestRegressor.fromJSON(JSON.parse(JSON.stringify(reg.toJSON())));
    assert.deepEqual([...regCopy.predict(x)], [...reg.predict(x)]);
  });

  it('predictProbability returns one class column, probabilities sum to 1', () => {
    const rf = new RandomForestClassifier({ nEstimators: 8, seed: 2 }).train(x, y);
    const p = rf.predictProba(x);
    const p1 = rf.predictProbability(x, 1);
    for (let r = 0; r < n; r++) {
      assert.ok(Math.abs(p[2 * r]! + p[2 * r + 1]! - 1) < 1e-12);
      assert.equal(p1[r], p[2 * r + 1]);
    }
    assert.throws(() => rf.predictProbability(x, 5), /not one of the trained classes/);
    assert.throws(() => new RandomForestClassifier().predict(x), /not trained/);
  });

  it('regression forest fits a smooth target', () => {
    const target = Float64Array.from(cols[0]!, (v, i) => 2 * v + cols[1]![i]!);
    const rf = new RandomForestRegressor({ nEstimators: 30, seed: 4 }).train(x, target);
    const pred = rf.predict(x);
    let ss = 0;
    let tot = 0;
    const mean = target.reduce((s, v) => s + v, 0) / n;
    for (let i = 0; i < n; i++) {
      ss += (pred[i]! - target[i]!) ** 2;
      tot += (target[i]! - mean) ** 2;
    }
    assert.ok(1 - ss / tot > 0.95, `in-sample R² ${1 - ss / tot}`);
  });
});
