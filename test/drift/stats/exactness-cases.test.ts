/**
 * The exactness fixes against figures computed from their definitions with
 * NumPy/SciPy (test/fixtures/drift-exactness/make-fixture.py, committed with
 * its JSON): PSI edges as numpy.quantile's linear method and PSI by value for
 * few-valued references; Evidently's chi-square goodness of fit and Z-test;
 * Wasserstein normed by max(σ, 0.001); and the test Evidently's
 * get_default_stattest picks, with its verdict.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareDatasets } from '../../../src/drift/stats/compare.js';
import { chiSquareGoodnessOfFit, countCategories, twoProportionZ } from '../../../src/drift/stats/categorical.js';
import { psiDecilesSorted, psiSorted } from '../../../src/drift/stats/psi.js';
import { sortedCopy } from '../../../src/drift/stats/sorted-sample.js';
import type { DriftColumn } from '../../../src/drift/types.js';
import { packageRoot } from '../../../src/package-root.js';

interface Fixture {
  psi: Array<{
    name: string;
    reference: number[];
    current: number[];
    binning: 'values' | 'deciles';
    psi: number;
    psi_deciles: number;
  }>;
  chisquare: Array<{
    name: string;
    reference: string[];
    current: string[];
    goodness_of_fit: { statistic: number | null; pvalue: number; dof: number; infinite: boolean };
    contingency: { statistic: number; pvalue: number; dof: number };
    z: { statistic: number; pvalue: number };
    jensenshannon_base2: number;
  }>;
  wasserstein: Array<{
    name: string;
    reference: number[];
    current: number[];
    wasserstein: number;
    evidently_normed: number;
  }>;
  auto: Array<{
    name: string;
    kind: 'num' | 'cat';
    reference: Array<number | string>;
    current: Array<number | string>;
    test: string;
    score: number;
    drifted: boolean;
  }>;
}

const fixture = JSON.parse(
  readFileSync(path.join(packageRoot, 'test', 'fixtures', 'drift-exactness', 'cases.json'), 'utf8'),
) as Fixture;

function assertClose(actual: number, expected: number, what: string, rtol = 1e-12): void {
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  assert.ok(
    actual === expected || Math.abs(actual - expected) / scale <= rtol,
    `${what}: got ${actual}, NumPy/SciPy ${expected}`,
  );
}

function column(kind: 'num' | 'cat', values: Array<number | string>): DriftColumn {
  return kind === 'num'
    ? { kind: 'numeric', values: Float64Array.from(values as number[]) }
    : { kind: 'categorical', values: values as string[] };
}

describe('PSI as NumPy computes it (linear quantile edges; by value for few-valued references)', () => {
  for (const c of fixture.psi) {
    it(`${c.name}: ${c.binning} ${c.psi.toPrecision(6)}`, () => {
      const result = psiSorted(sortedCopy(c.reference), sortedCopy(c.current));
      assert.equal(result.binning, c.binning);
      assertClose(result.psi, c.psi, 'psi');
      assertClose(psiDecilesSorted(sortedCopy(c.reference), sortedCopy(c.current)).psi, c.psi_deciles, 'psi deciles');
    });
  }
  it('the issue case: an edge that falls on a data value stays on it (3.99 at decimal levels; was 3.05)', () => {
    const c = fixture.psi.find((x) => x.name === 'seq-0-20-edge-on-value')!;
    assert.ok(Math.abs(c.psi - 3.9927) < 1e-4);
  });
  it('a 0/1 flag whose share of ones doubled is no longer "PSI 0"; two different constants are not either', () => {
    assert.ok(fixture.psi.find((x) => x.name === 'flag-9.5pc-to-21pc')!.psi > 0.1);
    assert.ok(fixture.psi.find((x) => x.name === 'constant-3-vs-constant-4')!.psi > 10);
  });
});

describe("Evidently's chi-square goodness of fit and Z-test, beside the contingency test", () => {
  for (const c of fixture.chisquare) {
    it(c.name, () => {
      const counts = countCategories(c.reference, c.current);
      const gof = chiSquareGoodnessOfFit(counts.reference, counts.current);
      if (c.goodness_of_fit.infinite) assert.equal(gof.statistic, Number.POSITIVE_INFINITY);
      else assertClose(gof.statistic, c.goodness_of_fit.statistic!, 'statistic', 1e-12);
      assertClose(gof.pvalue, c.goodness_of_fit.pvalue, 'p-value', 1e-9);
      assert.equal(gof.dof, c.goodness_of_fit.dof);
      const z = twoProportionZ(counts.reference, counts.current);
      assertClose(z.statistic, c.z.statistic, 'z', 1e-12);
      // Evidently's 2·(1 − Φ(|z|)) loses digits to cancellation below ~1e-8; smx's erfc does not.
      assertClose(z.pvalue, c.z.pvalue, 'z p-value', c.z.pvalue < 1e-6 ? 1e-6 : 1e-10);
      const report = compareDatasets(
        { columns: { c: column('cat', c.reference) } },
        { columns: { c: column('cat', c.current) } },
      );
      const k = report.columns[0]!.categorical!;
      assertClose(k.chiSquare.pvalue, c.contingency.pvalue, 'contingency p-value', 1e-9);
      assertClose(k.jensenShannon, c.jensenshannon_base2, 'jensen-shannon', 1e-12);
    });
  }
});

describe('Wasserstein normed by max(σ_ref, 0.001), as Evidently', () => {
  for (const c of fixture.wasserstein) {
    it(c.name, () => {
      const col = compareDatasets(
        { columns: { x: column('num', c.reference) } },
        { columns: { x: column('num', c.current) } },
        { method: 'wasserstein' },
      ).columns[0]!;
      assertClose(col.numeric!.wasserstein, c.wasserstein, 'W', 1e-12);
      assertClose(col.score!, c.evidently_normed, 'normed', 1e-12);
    });
  }
});

describe("auto picks Evidently's test and reaches its verdict (effect floors off)", () => {
  for (const c of fixture.auto) {
    it(`${c.name}: ${c.test}, drift ${c.drifted}`, () => {
      const col = compareDatasets(
        { columns: { x: column(c.kind, c.reference) } },
        { columns: { x: column(c.kind, c.current) } },
        { effectFloors: false },
      ).columns[0]!;
      assert.equal(col.test, c.test);
      assert.equal(col.drifted, c.drifted);
      if (col.scoreKind === 'distance' && c.test === 'jensenshannon')
        assertClose(col.score!, c.score / Math.sqrt(Math.LN2), 'js base 2 = natural / √ln 2', 1e-12);
      else if (c.test === 'ks' || c.test === 'chisquare' || c.test === 'wasserstein')
        assertClose(col.score!, c.score, 'score', 1e-9);
    });
  }
});
