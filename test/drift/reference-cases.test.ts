/**
 * Every case in ../shared/reference/drift_cases.json (SciPy 1.10.1 / NumPy 1.24
 * figures) must be matched to 1e-9 relative. One test per case and figure, so
 * a failure names both.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { andersonDarlingTwoSampleSorted } from '../../src/drift/anderson-ksamp.js';
import { compareCategories } from '../../src/drift/categorical.js';
import { ksTwoSampleSorted } from '../../src/drift/ks.js';
import { mannWhitneySorted } from '../../src/drift/mann-whitney.js';
import { psiSorted } from '../../src/drift/psi.js';
import { sortedCopy } from '../../src/drift/sorted-sample.js';
import { wassersteinFromSorted } from '../../src/drift/wasserstein.js';
import { sharedAvailable, sharedPath, skipWithoutShared } from '../helpers/shared.js';

interface NumericCase {
  name: string;
  kind: 'numeric';
  reference: number[];
  current: number[];
  ks: { statistic: number; pvalue_auto: number; pvalue_asymp: number };
  wasserstein: number;
  wasserstein_normed: number | null;
  psi_decile_bins: number;
  anderson_ksamp_statistic?: number;
  mannwhitney_pvalue?: number;
}
interface CategoricalCase {
  name: string;
  kind: 'categorical';
  reference: string[];
  current: string[];
  chi2: { statistic: number; pvalue: number; dof: number };
  jensenshannon_distance_base2: number;
}
type DriftCase = NumericCase | CategoricalCase;

const RTOL = 1e-9;

function assertClose(actual: number, expected: number, what: string): void {
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  const relative = Math.abs(actual - expected) / scale;
  assert.ok(relative <= RTOL || actual === expected, `${what}: got ${actual}, SciPy ${expected} (relative error ${relative.toExponential(2)})`);
}

const skip = skipWithoutShared();
const cases: DriftCase[] = sharedAvailable()
  ? (JSON.parse(readFileSync(sharedPath('reference', 'drift_cases.json'), 'utf8')) as { cases: DriftCase[] }).cases
  : [];

describe('drift statistics match SciPy reference cases', { skip }, () => {
  it('has cases to check', () => assert.ok(cases.length > 0));
  for (const c of cases) {
    if (c.kind === 'numeric') {
      const a = sortedCopy(c.reference);
      const b = sortedCopy(c.current);
      it(`${c.name}: ks.statistic`, () => assertClose(ksTwoSampleSorted(a, b, 'auto').statistic, c.ks.statistic, 'statistic'));
      it(`${c.name}: ks.pvalue_auto`, () => assertClose(ksTwoSampleSorted(a, b, 'auto').pvalue, c.ks.pvalue_auto, 'pvalue auto'));
      it(`${c.name}: ks.pvalue_asymp`, () => assertClose(ksTwoSampleSorted(a, b, 'asymp').pvalue, c.ks.pvalue_asymp, 'pvalue asymp'));
      it(`${c.name}: wasserstein`, () => assertClose(wassersteinFromSorted(a, b).distance, c.wasserstein, 'wasserstein'));
      it(`${c.name}: wasserstein_normed`, () => {
        const normed = wassersteinFromSorted(a, b).normed;
        if (c.wasserstein_normed === null) assert.equal(normed, null);
        else assertClose(normed ?? Number.NaN, c.wasserstein_normed, 'wasserstein normed');
      });
      it(`${c.name}: psi_decile_bins`, () => assertClose(psiSorted(a, b).psi, c.psi_decile_bins, 'psi'));
      if (c.mannwhitney_pvalue !== undefined) {
        const expected = c.mannwhitney_pvalue;
        it(`${c.name}: mannwhitney_pvalue`, () => assertClose(mannWhitneySorted(a, b).pvalue, expected, 'mann-whitney'));
      }
      if (c.anderson_ksamp_statistic !== undefined) {
        const expected = c.anderson_ksamp_statistic;
        it(`${c.name}: anderson_ksamp_statistic`, () =>
          assertClose(andersonDarlingTwoSampleSorted(a, b), expected, 'anderson-darling'));
      }
    } else {
      const stats = () => compareCategories(c.reference, c.current);
      it(`${c.name}: chi2.statistic`, () => assertClose(stats().chiSquare.statistic, c.chi2.statistic, 'chi2 statistic'));
      it(`${c.name}: chi2.pvalue`, () => assertClose(stats().chiSquare.pvalue, c.chi2.pvalue, 'chi2 pvalue'));
      it(`${c.name}: chi2.dof`, () => assert.equal(stats().chiSquare.dof, c.chi2.dof));
      it(`${c.name}: jensenshannon_distance_base2`, () =>
        assertClose(stats().jensenShannon, c.jensenshannon_distance_base2, 'jensen-shannon'));
    }
  }
});
