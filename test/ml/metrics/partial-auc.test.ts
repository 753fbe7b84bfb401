import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partialRocAuc } from '../../../src/ml/metrics/partial-auc.js';

describe('partial ROC-AUC (McClish), as scikit-learn roc_auc_score(max_fpr=…)', () => {
  // Figures computed once with scikit-learn 1.2.1 on these 12 rows.
  const y = [0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0];
  const s = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.5, 0.3, 0.05, 0.6, 0.7, 0.45];
  it('matches scikit-learn', () => {
    assert.ok(Math.abs(partialRocAuc(y, s, 0.1) - 0.7894736842105263) < 1e-12);
    assert.ok(Math.abs(partialRocAuc(y, s, 0.5) - 0.7333333333333333) < 1e-12);
    assert.ok(Math.abs(partialRocAuc(y, s, 1) - 0.7714285714285714) < 1e-12);
  });
  it('is 1 for a perfect ranking and 0.5-ish for a reversed one only at the limit', () => {
    assert.equal(partialRocAuc([0, 0, 1, 1], [1, 2, 3, 4], 0.1), 1);
    assert.ok(partialRocAuc([0, 0, 1, 1], [4, 3, 2, 1], 0.1) < 0.5);
  });
});
