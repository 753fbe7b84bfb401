import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jensenShannonDistance } from '../../../src/drift/stats/categorical.js';
import { compareDatasets } from '../../../src/drift/stats/compare.js';
import { Random } from '../../../src/random.js';
import { renderDriftTable } from '../../../src/drift/report/report-table.js';
import type { DriftColumn, DriftDataset } from '../../../src/drift/types.js';
import { isSmxError } from '../../../src/errors.js';

const random = new Random(42);
const normal = (n: number, mean = 0, sd = 1): Float64Array =>
  Float64Array.from({ length: n }, () => mean + sd * random.nextNormal());
const labels = (n: number, pL: number): string[] =>
  Array.from({ length: n }, () => (random.nextFloat() < pL ? 'L' : random.nextFloat() < 0.5 ? 'M' : 'H'));
const dataset = (columns: Record<string, DriftColumn>): DriftDataset => ({ columns });

describe('compareDatasets auto selection (Evidently defaults)', () => {
  const ref = dataset({
    small: { kind: 'numeric', values: normal(500) },
    large: { kind: 'numeric', values: normal(3000) },
    smallCat: { kind: 'categorical', values: labels(400, 0.5) },
    largeCat: { kind: 'categorical', values: labels(2000, 0.5) },
  });
  const cur = dataset({
    small: { kind: 'numeric', values: normal(500, 1) },
    large: { kind: 'numeric', values: normal(3000) },
    smallCat: { kind: 'categorical', values: labels(400, 0.5) },
    largeCat: { kind: 'categorical', values: labels(2000, 0.9) },
  });
  const report = compareDatasets(ref, cur);
  const byName = new Map(report.columns.map((c) => [c.column, c]));

  it('numeric n_ref <= 1000 uses KS at p < 0.05', () => {
    const c = byName.get('small')!;
    assert.equal(c.test, 'ks');
    assert.equal(c.threshold, 0.05);
    assert.equal(c.scoreKind, 'p-value');
    assert.equal(c.drifted, true);
  });
  it('numeric n_ref > 1000 uses normalised Wasserstein at 0.1', () => {
    const c = byName.get('large')!;
    assert.equal(c.test, 'wasserstein');
    assert.equal(c.threshold, 0.1);
    assert.equal(c.score, c.numeric!.wassersteinNormed);
    assert.equal(c.drifted, false);
  });
  it('categorical n_ref <= 1000 uses chi-square, larger uses Jensen-Shannon', () => {
    assert.equal(byName.get('smallCat')!.test, 'chisquare');
    assert.equal(byName.get('smallCat')!.drifted, false);
    assert.equal(byName.get('largeCat')!.test, 'jensenshannon');
    assert.equal(byName.get('largeCat')!.drifted, true);
  });
  it('always computes the full numeric statistics set', () => {
    for (const name of ['small', 'large']) {
      const n = byName.get(name)!.numeric!;
      assert.ok(n.ks.pvalue >= 0 && n.psi >= 0 && n.wasserstein > 0 && n.wassersteinNormed !== null);
      assert.equal(n.histogram.edges.length, 31);
    }
  });
  it('dataset verdict is share drifted >= 0.5', () => {
    assert.equal(report.driftedColumns, 2);
    assert.equal(report.testedColumns, 4);
    assert.equal(report.shareDrifted, 0.5);
    assert.equal(report.datasetDrift, true);
    assert.equal(compareDatasets(ref, cur, { driftShare: 0.75 }).datasetDrift, false);
  });
  it('renders as a table with one row per column', () => {
    const table = renderDriftTable(report);
    for (const name of byName.keys()) assert.match(table, new RegExp(name));
    assert.match(table, /2 of 4 columns drifted/);
  });
});

describe('compareDatasets auto selection: numeric columns with few distinct values (Evidently n_unique <= 5)', () => {
  const codes = (n: number, shares: number[]): Float64Array =>
    Float64Array.from({ length: n }, () => {
      let u = random.nextFloat();
      for (const [k, share] of shares.entries()) if ((u -= share) < 0) return k;
      return shares.length - 1;
    });
  const ref = dataset({
    flag: { kind: 'numeric', values: codes(600, [0.7, 0.3]) },
    mode: { kind: 'numeric', values: codes(2500, [0.5, 0.3, 0.2]) },
    six: { kind: 'numeric', values: codes(600, [0.2, 0.2, 0.2, 0.2, 0.1, 0.1]) },
  });
  const cur = dataset({
    flag: { kind: 'numeric', values: codes(700, [0.6, 0.4]) },
    mode: { kind: 'numeric', values: codes(2500, [0.3, 0.3, 0.4]) },
    six: { kind: 'numeric', values: codes(600, [0.2, 0.2, 0.2, 0.2, 0.1, 0.1]) },
  });
  const byName = new Map(compareDatasets(ref, cur).columns.map((c) => [c.column, c]));

  it('a 0/1 column with n_ref <= 1000 is chi-square over its values, equal to the two-proportion Z-test', () => {
    const c = byName.get('flag')!;
    assert.equal(c.test, 'chisquare');
    assert.equal(c.kind, 'numeric');
    assert.match(c.chosenBy, /numeric with 2 distinct values/);
    assert.deepEqual(c.categorical!.categories, ['0', '1']);
    const [r1, c1] = [c.categorical!.referenceCounts[1]!, c.categorical!.currentCounts[1]!];
    const [n1, n2] = [c.referenceCount, c.currentCount];
    const pooled = (r1 + c1) / (n1 + n2);
    const z = (r1 / n1 - c1 / n2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    assert.ok(Math.abs(c.statistic! - z * z) <= 1e-12 * z * z, `chi-square ${c.statistic} vs z² ${z * z}`);
    assert.equal(c.pValue, c.categorical!.chiSquare.pvalue);
    assert.equal(c.drifted, c.pValue < 0.05);
    assert.ok(c.numeric, 'the numeric statistics are still shown');
  });
  it('three codes with n_ref > 1000 are Jensen-Shannon over their values', () => {
    const c = byName.get('mode')!;
    assert.equal(c.test, 'jensenshannon');
    assert.equal(c.score, c.categorical!.jensenShannon);
    assert.deepEqual(c.categorical!.categories, ['0', '1', '2']);
    assert.equal(c.drifted, true);
  });
  it('six distinct values stay numeric (KS), and an explicit method still wins', () => {
    assert.equal(byName.get('six')!.test, 'ks');
    assert.equal(byName.get('six')!.categorical, undefined);
    assert.equal(compareDatasets(ref, cur, { method: 'ks' }).columns[0]!.test, 'ks');
    assert.equal(compareDatasets(ref, cur, { columnMethods: { mode: 'wasserstein' } }).columns[1]!.test, 'wasserstein');
  });
});

describe('auto Jensen-Shannon threshold: the same verdict as Evidently', () => {
  // Evidently: scipy jensenshannon(p, q) with the natural log, drift when >= 0.1. smx reports base 2.
  const split = (n: number, a: number): string[] => [...Array<string>(a).fill('a'), ...Array<string>(n - a).fill('b')];
  const verdict = (currentA: number) =>
    compareDatasets(
      dataset({ c: { kind: 'categorical', values: split(2000, 1000) } }),
      dataset({ c: { kind: 'categorical', values: split(2000, currentA) } }),
    ).columns[0]!;
  for (const [currentA, evidentlyDrift] of [
    [1260, false],
    [1270, false],
    [1280, true],
    [1300, true],
  ] as const) {
    it(`50/50 vs ${currentA / 20}/${100 - currentA / 20}: drift ${evidentlyDrift}`, () => {
      const c = verdict(currentA);
      assert.equal(c.test, 'jensenshannon');
      const natural = jensenShannonDistance(
        Float64Array.of(1000, 1000),
        Float64Array.of(currentA, 2000 - currentA),
        Math.E,
      );
      assert.ok(Math.abs(c.statistic! - natural / Math.sqrt(Math.LN2)) <= 1e-12, 'base 2 = natural / sqrt(ln 2)');
      assert.equal(natural >= 0.1, evidentlyDrift);
      assert.equal(c.drifted, evidentlyDrift);
    });
  }
});

describe('compareDatasets options', () => {
  const ref = dataset({
    x: { kind: 'numeric', values: normal(200) },
    y: { kind: 'categorical', values: labels(200, 0.5) },
  });
  const cur = dataset({
    x: { kind: 'numeric', values: normal(200, 0.3) },
    y: { kind: 'categorical', values: labels(200, 0.5) },
  });

  it('explicit per-column methods and thresholds win', () => {
    const report = compareDatasets(ref, cur, { columnMethods: { x: 'psi' }, columnThresholds: { x: 0.01 } });
    const x = report.columns.find((c) => c.column === 'x')!;
    assert.equal(x.test, 'psi');
    assert.equal(x.chosenBy, 'explicit');
    assert.equal(x.threshold, 0.01);
    assert.equal(x.score, x.numeric!.psi);
  });
  it('a dataset-wide method applies where it fits and auto elsewhere', () => {
    const report = compareDatasets(ref, cur, { method: 'mannwhitney' });
    assert.equal(report.columns[0]!.test, 'mannwhitney');
    assert.ok(report.columns[0]!.numeric!.mannWhitney);
    assert.equal(report.columns[1]!.test, 'chisquare');
  });
  it('a per-column method that does not fit the kind is a usage error', () => {
    assert.throws(
      () => compareDatasets(ref, cur, { columnMethods: { y: 'ks' } }),
      (e) => isSmxError(e) && e.code === 'USAGE' && /'y'/.test(e.message),
    );
  });
  it('BH correction adjusts the p-value tests only', () => {
    const report = compareDatasets(ref, cur, { pValueCorrection: 'benjamini-hochberg' });
    for (const c of report.columns) {
      assert.ok(c.adjustedPValue !== null && c.adjustedPValue >= c.pValue!);
      assert.equal(c.score, c.adjustedPValue);
    }
    const [p1, p2] = report.columns.map((c) => c.pValue!) as [number, number];
    const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
    assert.deepEqual(report.columns.map((c) => c.adjustedPValue).sort(), [Math.min(lo * 2, hi), hi].sort());
    // A distance test is neither adjusted nor counted in m: the one p-value left stays as it was.
    const mixed = compareDatasets(ref, cur, { pValueCorrection: 'benjamini-hochberg', columnMethods: { x: 'psi' } });
    assert.equal(mixed.columns[0]!.adjustedPValue, null);
    assert.equal(mixed.columns[0]!.score, mixed.columns[0]!.numeric!.psi);
    assert.equal(mixed.columns[1]!.adjustedPValue, mixed.columns[1]!.pValue);
  });
});

describe('compareDatasets edge cases', () => {
  it('excludes and counts NaN', () => {
    const values = normal(50);
    values[3] = Number.NaN;
    values[7] = Number.NaN;
    const report = compareDatasets(
      dataset({ x: { kind: 'numeric', values } }),
      dataset({ x: { kind: 'numeric', values: normal(40) } }),
    );
    assert.equal(report.columns[0]!.referenceMissing, 2);
    assert.equal(report.columns[0]!.referenceCount, 48);
  });
  it('reports insufficient data for empty or tiny windows instead of throwing', () => {
    const report = compareDatasets(
      dataset({
        x: { kind: 'numeric', values: new Float64Array(0) },
        y: { kind: 'categorical', values: ['a', null, ''] },
      }),
      dataset({
        x: { kind: 'numeric', values: normal(10) },
        y: { kind: 'categorical', values: ['a', 'b', 'a', 'b', 'a'] },
      }),
    );
    assert.equal(report.status, 'insufficient-data');
    assert.equal(report.datasetDrift, false);
    assert.deepEqual(
      report.columns.map((c) => c.status),
      ['insufficient-data', 'insufficient-data'],
    );
    assert.equal(report.columns[1]!.referenceMissing, 2);
  });
  it('handles constant columns', () => {
    const constant = new Float64Array(2000).fill(3);
    const same = compareDatasets(
      dataset({ x: { kind: 'numeric', values: constant } }),
      dataset({ x: { kind: 'numeric', values: constant } }),
    );
    const c = same.columns[0]!;
    assert.equal(c.numeric!.wassersteinNormed, null);
    assert.equal(c.numeric!.ks.pvalue, 1);
    assert.equal(c.drifted, false);
    const moved = compareDatasets(
      dataset({ x: { kind: 'numeric', values: constant } }),
      dataset({ x: { kind: 'numeric', values: normal(2000, 3) } }),
    );
    assert.equal(moved.columns[0]!.drifted, true);
    assert.match(moved.columns[0]!.note ?? '', /constant/);
  });
  it('flags a column whose kind changed, and lists one-sided columns', () => {
    const report = compareDatasets(
      dataset({ x: { kind: 'numeric', values: normal(20) }, old: { kind: 'numeric', values: normal(20) } }),
      dataset({
        x: { kind: 'categorical', values: Array(20).fill('n/a') },
        fresh: { kind: 'numeric', values: normal(20) },
      }),
    );
    assert.equal(report.columns[0]!.status, 'kind-mismatch');
    assert.equal(report.columns[0]!.drifted, true);
    assert.deepEqual(report.onlyInReference, ['old']);
    assert.deepEqual(report.onlyInCurrent, ['fresh']);
  });
  it('rejects bad options', () => {
    const d = dataset({ x: { kind: 'numeric', values: normal(20) } });
    assert.throws(() => compareDatasets(d, d, { driftShare: 0 }), /driftShare/);
    assert.throws(() => compareDatasets(d, d, { columns: ['nope'] }), /nope/);
  });
  it('a per-column threshold or method for a column that is not compared is a usage error naming it', () => {
    const d = dataset({ x: { kind: 'numeric', values: normal(20) } });
    const usage = (pattern: RegExp) => (e: unknown) =>
      isSmxError(e) && e.code === 'USAGE' && pattern.test(e.message) && /Compared columns: x/.test(e.hint ?? '');
    assert.throws(
      () => compareDatasets(d, d, { columnThresholds: { X: 0.01 } }),
      usage(/columnThresholds: 'X' is not a compared column/),
    );
    assert.throws(
      () => compareDatasets(d, d, { columnMethods: { y: 'psi', z: 'ks' } }),
      usage(/columnMethods: 'y', 'z' are not compared columns/),
    );
    assert.equal(compareDatasets(d, d, { columnThresholds: { x: 0.01 } }).columns[0]!.threshold, 0.01);
  });
});
