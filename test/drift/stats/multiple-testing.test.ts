import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benjaminiHochberg } from '../../../src/drift/stats/multiple-testing.js';

describe('benjaminiHochberg', () => {
  it('matches statsmodels fdr_bh', () => {
    // what statsmodels' multipletests(p, method='fdr_bh') gives, worked by hand: p·m/rank, then running minimum from the top
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
    const expected = [0.025, 0.05, 0.05, 0.025, 0.5];
    adjusted.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-15, `index ${i}: ${v}`));
  });
  it('is monotone in the raw p-values, capped at 1, and keeps NaN out of m', () => {
    const adjusted = benjaminiHochberg([0.9, Number.NaN, 0.95, 0.2]);
    assert.ok(Number.isNaN(adjusted[1]!));
    const expected = [0.95, 0.95, 0.6];
    [adjusted[0]!, adjusted[2]!, adjusted[3]!].forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-15, `${v}`));
    assert.deepEqual(benjaminiHochberg([]), []);
  });
});
