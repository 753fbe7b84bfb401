import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chi2Quantile, fQuantile, normalQuantile } from '../../../src/ml/anomaly/distributions.js';
import { PcaMonitor, type PcaMonitorOptions } from '../../../src/ml/anomaly/pca-monitor.js';
import { matrixFromRows } from '../../../src/ml/tree/matrix.js';
import { packageRoot } from '../../../src/package-root.js';

/** Figures computed once by NumPy/SciPy/scikit-learn: test/fixtures/pca-monitor/make-fixture.py. */
interface Case {
  k: number;
  eigenvalues: number[];
  t2: number[];
  q: number[];
  t2LimitF: number;
  t2LimitChi2: number;
  qLimit: number;
  contributionsRow0: { t2: number[]; q: number[] };
}
const fixture = JSON.parse(
  readFileSync(path.join(packageRoot, 'test', 'fixtures', 'pca-monitor', 'pca-monitor.json'), 'utf8'),
) as {
  fit: number[][];
  new: number[][];
  alpha: number;
  cases: Record<string, Case>;
  quantiles: { normal: number[][]; f: number[][]; chi2: number[][] };
};

const close = (actual: number, expected: number, rel: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

const options = (components: number, t2Distribution: 'f' | 'chi2' = 'f'): PcaMonitorOptions => ({
  components,
  limits: 'theoretical',
  t2Distribution,
  alpha: fixture.alpha,
  rule: 't2-or-q',
});

describe('PCA monitor against NumPy / scikit-learn', () => {
  const fit = matrixFromRows(fixture.fit);
  const fresh = matrixFromRows(fixture.new);
  for (const [components, expected] of Object.entries(fixture.cases)) {
    it(`components ${components}: k, eigenvalues, T², Q, limits and contributions`, () => {
      const m = PcaMonitor.fit(fit, options(Number(components)));
      assert.equal(m.k, expected.k);
      m.toJSON().eigenvalues.forEach((v, a) => close(v, expected.eigenvalues[a]!, 1e-9, `λ${a}`));
      const s = m.statistics(fresh);
      expected.t2.forEach((v, r) => close(s.t2[r]!, v, 1e-8, `T² row ${r}`));
      expected.q.forEach((v, r) => close(s.q[r]!, v, 1e-8, `Q row ${r}`));
      close(m.toJSON().t2Limit, expected.t2LimitF, 1e-8, 'T² limit (F)');
      close(m.toJSON().qLimit, expected.qLimit, 1e-8, 'Q limit (Jackson–Mudholkar)');
      close(
        PcaMonitor.fit(fit, options(Number(components), 'chi2')).toJSON().t2Limit,
        expected.t2LimitChi2,
        1e-8,
        'χ²',
      );
      const c = m.contributions(fresh, 0);
      expected.contributionsRow0.t2.forEach((v, j) => close(c.t2[j]!, v, 1e-8, `T² contribution ${j}`));
      expected.contributionsRow0.q.forEach((v, j) => close(c.q[j]!, v, 1e-8, `Q contribution ${j}`));
    });
  }

  it('the planted faults alarm on the statistic they break: row 3 on Q, row 7 on T²', () => {
    const m = PcaMonitor.fit(fit, options(0.85));
    const s = m.statistics(fresh);
    const { t2Limit, qLimit } = m.toJSON();
    assert.ok(s.q[3]! > qLimit, 'row 3: Q fault');
    assert.ok(s.t2[7]! > t2Limit, 'row 7: T² fault');
    assert.ok(m.score(fresh)[3]! > 1 && m.score(fresh)[7]! > 1);
  });

  it('empirical limits are quantiles of the calibration rows, not of the fitted rows', () => {
    const m = PcaMonitor.fit(fit, { ...options(0.85), limits: 'empirical' });
    m.setEmpiricalLimits(fresh);
    const s = m.statistics(fresh);
    const max = (a: Float64Array) => a.reduce((x, y) => Math.max(x, y), -Infinity);
    // alpha 0.01 over 12 rows: the 0.99 quantile lies between the two largest values.
    assert.ok(m.toJSON().t2Limit <= max(s.t2) && m.toJSON().t2Limit > 0.5 * max(s.t2));
  });
});

describe('distribution quantiles against SciPy', () => {
  it('normal, F and χ² quantiles', () => {
    for (const [p, v] of fixture.quantiles.normal) close(normalQuantile(p!), v!, 1e-9, `norm.ppf(${p})`);
    for (const [p, d1, d2, v] of fixture.quantiles.f)
      close(fQuantile(p!, d1!, d2!), v!, 1e-8, `f.ppf(${p},${d1},${d2})`);
    for (const [p, k, v] of fixture.quantiles.chi2) close(chi2Quantile(p!, k!), v!, 1e-8, `chi2.ppf(${p},${k})`);
  });
});
