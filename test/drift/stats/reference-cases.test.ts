/**
 * Every case in ../shared/reference/drift_cases.json (SciPy 1.10.1 / NumPy 1.24
 * figures) must be matched to 1e-9 relative. One test per case and figure, so
 * a failure names both.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { andersonDarlingTwoSampleSorted } from '../../../src/drift/stats/anderson-ksamp.js';
import { compareCategories } from '../../../src/drift/stats/categorical.js';
import { compareDatasets } from '../../../src/drift/stats/compare.js';
import { ksTwoSampleSorted } from '../../../src/drift/stats/ks.js';
import { mannWhitneySorted } from '../../../src/drift/stats/mann-whitney.js';
import { psiSorted } from '../../../src/drift/stats/psi.js';
import { sortedCopy } from '../../../src/drift/stats/sorted-sample.js';
import { wassersteinFromSorted } from '../../../src/drift/stats/wasserstein.js';
import { sharedAvailable, sharedPath, skipWithoutShared } from '../../helpers/shared.js';

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
  assert.ok(
    relative <= RTOL || actual === expected,
    `${what}: got ${actual}, SciPy ${expected} (relative error ${relative.toExponential(2)})`,
  );
}

const skip = skipWithoutShared();
const cases: DriftCase[] = sharedAvailable()
  ? (JSON.parse(readFileSync(sharedPath('reference', 'drift_cases.json'), 'utf8')) as { cases: DriftCase[] }).cases
  : [];

describe('KS auto: exact up to 10 000 values a side, asymptotic above (SciPy method=auto)', () => {
  // Arrays built from multiplications and a modulo only, so NumPy builds the same doubles:
  //   i = arange(10001.); a = (i * 0.6180339887498949) % 1; b = ((i * 0.7071067811865476) % 1) * 1.03
  // Figures: scipy.stats.ks_2samp(a[:n1], b[:n2]) with method auto / 'asymp' (SciPy 1.17.1).
  const a = Float64Array.from({ length: 10_001 }, (_, i) => (i * 0.6180339887498949) % 1);
  const b = Float64Array.from({ length: 10_001 }, (_, i) => ((i * 0.7071067811865476) % 1) * 1.03);
  const cases = [
    { n1: 10_000, n2: 10_000, method: 'exact', d: 0.0293, auto: 0.0003735150841690689, asymp: 0.00036612056341683673 },
    {
      n1: 10_000,
      n2: 9_999,
      method: 'exact',
      d: 0.029303220322032204,
      auto: 0.00036257109220310996,
      asymp: 0.0003654292498864945,
    },
    {
      n1: 10_001,
      n2: 10_000,
      method: 'asymp',
      d: 0.02930028997100287,
      auto: 0.00036605826428331956,
      asymp: 0.00036605826428331956,
    },
  ] as const;
  for (const c of cases) {
    it(`${c.n1} × ${c.n2}: ${c.method}, statistic and both p-values as SciPy`, () => {
      const x = sortedCopy(a.subarray(0, c.n1));
      const y = sortedCopy(b.subarray(0, c.n2));
      const auto = ksTwoSampleSorted(x, y, 'auto');
      assert.equal(auto.method, c.method);
      assertClose(auto.statistic, c.d, 'statistic');
      assertClose(auto.pvalue, c.auto, 'pvalue auto');
      assertClose(ksTwoSampleSorted(x, y, 'asymp').pvalue, c.asymp, 'pvalue asymp');
    });
  }
  it('a degenerate exact tail (D = 1/n) falls back to asymp with p = 1, as SciPy does', () => {
    const grid = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const r = ksTwoSampleSorted(
      grid,
      grid.map((v) => v + 0.5),
      'auto',
    );
    assert.deepEqual([r.method, r.statistic, r.pvalue], ['asymp', 1e-4, 1]);
  });
});

describe('drift statistics match SciPy reference cases', { skip }, () => {
  it('has cases to check', () => assert.ok(cases.length > 0));
  for (const c of cases) {
    if (c.kind === 'numeric') {
      const a = sortedCopy(c.reference);
      const b = sortedCopy(c.current);
      it(`${c.name}: ks.statistic`, () =>
        assertClose(ksTwoSampleSorted(a, b, 'auto').statistic, c.ks.statistic, 'statistic'));
      it(`${c.name}: ks.pvalue_auto`, () =>
        assertClose(ksTwoSampleSorted(a, b, 'auto').pvalue, c.ks.pvalue_auto, 'pvalue auto'));
      it(`${c.name}: ks.pvalue_asymp`, () =>
        assertClose(ksTwoSampleSorted(a, b, 'asymp').pvalue, c.ks.pvalue_asymp, 'pvalue asymp'));
      it(`${c.name}: ks auto chose SciPy's method`, () => {
        // SciPy's auto is exact up to 10 000 values a side; the figures show which one it used.
        const expected = Math.max(a.length, b.length) <= 10_000 ? 'exact' : 'asymp';
        if (expected === 'exact')
          assert.notEqual(c.ks.pvalue_auto, c.ks.pvalue_asymp, 'the reference auto p-value is the exact one');
        else assert.equal(c.ks.pvalue_auto, c.ks.pvalue_asymp);
        assert.equal(ksTwoSampleSorted(a, b, 'auto').method, expected);
      });
      it(`${c.name}: wasserstein`, () =>
        assertClose(wassersteinFromSorted(a, b).distance, c.wasserstein, 'wasserstein'));
      it(`${c.name}: wasserstein_normed`, () => {
        const normed = wassersteinFromSorted(a, b).normed;
        if (c.wasserstein_normed === null) assert.equal(normed, null);
        else assertClose(normed ?? Number.NaN, c.wasserstein_normed, 'wasserstein normed');
      });
      it(`${c.name}: psi_decile_bins`, () => assertClose(psiSorted(a, b).psi, c.psi_decile_bins, 'psi'));
      if (c.mannwhitney_pvalue !== undefined) {
        const expected = c.mannwhitney_pvalue;
        it(`${c.name}: mannwhitney_pvalue`, () =>
          assertClose(mannWhitneySorted(a, b).pvalue, expected, 'mann-whitney'));
      }
      if (c.anderson_ksamp_statistic !== undefined) {
        const expected = c.anderson_ksamp_statistic;
        it(`${c.name}: anderson_ksamp_statistic`, () =>
          assertClose(andersonDarlingTwoSampleSorted(a, b), expected, 'anderson-darling'));
      }
      it(`${c.name}: compareDatasets reports the same figures, PSI level and PSI verdict`, () => {
        const report = compareDatasets(
          { columns: { x: { kind: 'numeric', values: Float64Array.from(c.reference) } } },
          { columns: { x: { kind: 'numeric', values: Float64Array.from(c.current) } } },
          { method: 'psi', minSamples: 1 },
        );
        const col = report.columns[0]!;
        const n = col.numeric!;
        assertClose(n.ks.statistic, c.ks.statistic, 'ks statistic');
        assertClose(n.ks.pvalue, c.ks.pvalue_auto, 'ks pvalue auto');
        assert.equal(n.ks.method, Math.max(a.length, b.length) <= 10_000 ? 'exact' : 'asymp');
        assertClose(n.wasserstein, c.wasserstein, 'wasserstein');
        if (c.wasserstein_normed === null) assert.equal(n.wassersteinNormed, null);
        else assertClose(n.wassersteinNormed ?? Number.NaN, c.wasserstein_normed, 'wasserstein normed');
        assertClose(n.psi, c.psi_decile_bins, 'psi');
        assert.equal(n.psiLevel, c.psi_decile_bins >= 0.25 ? 'drift' : c.psi_decile_bins >= 0.1 ? 'warn' : 'stable');
        assert.deepEqual([col.test, col.threshold, col.drifted], ['psi', 0.25, c.psi_decile_bins >= 0.25]);
      });
    } else {
      it(`${c.name}: compareDatasets reports the same figures`, () => {
        const col = compareDatasets(
          { columns: { x: { kind: 'categorical', values: c.reference } } },
          { columns: { x: { kind: 'categorical', values: c.current } } },
          { minSamples: 1 },
        ).columns[0]!;
        const k = col.categorical!;
        assertClose(k.chiSquare.statistic, c.chi2.statistic, 'chi2 statistic');
        assertClose(k.chiSquare.pvalue, c.chi2.pvalue, 'chi2 pvalue');
        assert.equal(k.chiSquare.dof, c.chi2.dof);
        assertClose(k.jensenShannon, c.jensenshannon_distance_base2, 'jensen-shannon');
      });
      const stats = () => compareCategories(c.reference, c.current);
      it(`${c.name}: chi2.statistic`, () =>
        assertClose(stats().chiSquare.statistic, c.chi2.statistic, 'chi2 statistic'));
      it(`${c.name}: chi2.pvalue`, () => assertClose(stats().chiSquare.pvalue, c.chi2.pvalue, 'chi2 pvalue'));
      it(`${c.name}: chi2.dof`, () => assert.equal(stats().chiSquare.dof, c.chi2.dof));
      it(`${c.name}: jensenshannon_distance_base2`, () =>
        assertClose(stats().jensenShannon, c.jensenshannon_distance_base2, 'jensen-shannon'));
    }
  }
});
