import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classWeightVector } from '../../../src/ml/tree/forest-options.js';
import { matrixFromColumns } from '../../../src/ml/tree/matrix.js';
import { Random } from '../../../src/random.js';
import { RandomForestClassifier } from '../../../src/ml/tree/random-forest-classifier.js';

/** 950 negatives ~ N(0, 1), 50 positives ~ N(1.2, 1) in two features: heavily overlapping. */
function imbalanced(): { x: ReturnType<typeof matrixFromColumns>; y: number[] } {
  const rng = new Random(11);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const pos = i % 20 === 0;
    a.push(gauss() + (pos ? 1.2 : 0));
    b.push(gauss() + (pos ? 1.2 : 0));
    y.push(pos ? 1 : 0);
  }
  return { x: matrixFromColumns([a, b]), y };
}

function recall(pred: Float64Array, y: number[]): number {
  let tp = 0;
  let p = 0;
  y.forEach((v, i) => {
    if (v === 1) {
      p++;
      if (pred[i] === 1) tp++;
    }
  });
  return tp / p;
}

describe('class weights', () => {
  it("computes 'balanced' weights as n / (k · count)", () => {
    assert.deepEqual([...classWeightVector('balanced', [0, 1], Float64Array.from([90, 10]))], [100 / 180, 100 / 20]);
    assert.deepEqual([...classWeightVector({ 1: 4 }, [0, 1], Float64Array.from([90, 10]))], [1, 4]);
    assert.deepEqual([...classWeightVector(null, [0, 1], Float64Array.from([90, 10]))], [1, 1]);
    assert.throws(() => classWeightVector({ 3: 2 }, [0, 1], Float64Array.from([1, 1])), /not in the training labels/);
  });

  it('raise minority recall on an imbalanced set', () => {
    const { x, y } = imbalanced();
    const opts = { nEstimators: 30, seed: 3, minSamplesLeaf: 20 };
    const plain = recall(new RandomForestClassifier(opts).train(x, y).predict(x), y);
    const balanced = recall(new RandomForestClassifier({ ...opts, classWeight: 'balanced' }).train(x, y).predict(x), y);
    const subsample = recall(
      new RandomForestClassifier({ ...opts, classWeight: 'balanced_subsample' }).train(x, y).predict(x),
      y,
    );
    assert.ok(balanced > plain + 0.3, `recall plain ${plain}, balanced ${balanced}`);
    assert.ok(subsample > plain + 0.3, `recall plain ${plain}, balanced_subsample ${subsample}`);
  });
});
