/**
 * Both multivariate methods against a change no single column shows: two
 * columns whose correlation flips from +0.9 to −0.9 while each keeps its
 * N(0, 1) distribution. The univariate tests must pass them; the domain
 * classifier and the PCA reconstruction error must flag them, with
 * thresholds calibrated on the reference alone — and neither may flag a
 * current window drawn like the reference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDatasets } from '../../../src/drift/stats/compare.js';
import { multivariateDrift } from '../../../src/drift/multivariate/multivariate-drift.js';
import { alignOnTime, rowTableOf } from '../../../src/drift/multivariate/row-table.js';
import type { DriftColumn, DriftDataset } from '../../../src/drift/types.js';
import { Random } from '../../../src/random.js';

function correlated(n: number, rho: number, seed: number): DriftDataset {
  const random = new Random(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = random.nextNormal();
    y[i] = rho * x[i]! + Math.sqrt(1 - rho * rho) * random.nextNormal();
    z[i] = random.nextNormal();
  }
  const columns = new Map<string, DriftColumn>([
    ['x', { kind: 'numeric', values: x }],
    ['y', { kind: 'numeric', values: y }],
    ['z', { kind: 'numeric', values: z }],
  ]);
  return { columns };
}

describe('multivariate drift: a correlation change no single column shows', () => {
  const reference = correlated(600, 0.9, 1);
  const flipped = correlated(150, -0.9, 2);
  const same = correlated(150, 0.9, 3);

  it('the univariate tests see no drift in any column', () => {
    const report = compareDatasets(reference, flipped);
    assert.deepEqual(
      report.columns.map((c) => [c.column, c.drifted]),
      [
        ['x', false],
        ['y', false],
        ['z', false],
      ],
    );
    assert.equal(report.datasetDrift, false);
  });

  it('the domain classifier and the PCA reconstruction error both flag it, naming x and y', () => {
    const results = multivariateDrift(rowTableOf(reference), rowTableOf(flipped));
    for (const r of results) {
      assert.equal(r.status, 'tested', r.method);
      assert.equal(r.drifted, true, `${r.method}: ${r.value} vs ${r.lower} … ${r.upper}`);
      assert.equal(r.calibration.length, 4, 'four reference-vs-reference splits of the current size');
      assert.deepEqual(
        r.features
          .slice(0, 2)
          .map((f) => f.column)
          .sort(),
        ['x', 'y'],
        r.method,
      );
    }
    const dc = results.find((r) => r.method === 'domain-classifier')!;
    assert.ok(dc.value! > 0.75, `AUROC ${dc.value}`);
  });

  it('neither flags a current window drawn like the reference', () => {
    for (const r of multivariateDrift(rowTableOf(reference), rowTableOf(same))) {
      assert.equal(
        r.drifted,
        false,
        `${r.method}: ${r.value} vs ${r.lower} … ${r.upper} (${r.calibration.join(', ')})`,
      );
      assert.ok(r.upper! > r.value!, r.method);
    }
  });

  it('says when there is too little to calibrate on', () => {
    const [r] = multivariateDrift(rowTableOf(correlated(12, 0.9, 4)), rowTableOf(same), {
      methods: ['pca-reconstruction'],
    });
    assert.equal(r!.status, 'insufficient-data');
    assert.match(r!.note!, /twice the current rows/);
  });
});

describe('alignOnTime', () => {
  it('keeps the grid cells every sensor has a reading in, averaging within a cell', () => {
    const t = (minutes: number[]) => Float64Array.from(minutes, (m) => m * 60_000);
    const table = alignOnTime(
      [
        { name: 'a', times: t([0, 1, 2, 3]), values: Float64Array.from([1, 2, 3, 4]) },
        { name: 'b', times: t([0, 2, 3, 3.2]), values: Float64Array.from([10, 30, 40, 50]) },
      ],
      60_000,
    );
    assert.equal(table.rows, 3);
    assert.deepEqual(Array.from(table.data), [1, 3, 4, 10, 30, 45]);
  });
});

describe('smx drift --multivariate over two CSV files', () => {
  it('flags the correlation change (exit 1 with --fail-on-drift) while no column drifts', async () => {
    const { runCli } = await import('../../helpers/cli.js');
    const { tempDir } = await import('../../helpers/database.js');
    const { writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = tempDir('smx-mv-');
    const csv = (d: DriftDataset) => {
      const cols = d.columns as Map<string, DriftColumn>;
      const [x, y, z] = ['x', 'y', 'z'].map((n) => cols.get(n)!.values as Float64Array);
      return 'x,y,z\n' + Array.from(x!, (v, i) => `${v},${y![i]},${z![i]}`).join('\n') + '\n';
    };
    writeFileSync(path.join(dir, 'ref.csv'), csv(correlated(600, 0.9, 1)));
    writeFileSync(path.join(dir, 'cur.csv'), csv(correlated(150, -0.9, 2)));
    const r = await runCli(
      [
        'drift',
        path.join(dir, 'ref.csv'),
        path.join(dir, 'cur.csv'),
        '--multivariate',
        '--no-store',
        '--fail-on-drift',
        '--json',
      ],
      { env: { SMX_DATABASE_URL: '' } },
    );
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as {
      datasetDrift: boolean;
      multivariateDrift: boolean;
      report: { multivariate: Array<{ method: string; drifted: boolean }> };
    };
    assert.equal(out.datasetDrift, false);
    assert.equal(out.multivariateDrift, true);
    assert.deepEqual(
      out.report.multivariate.map((m) => [m.method, m.drifted]),
      [
        ['domain-classifier', true],
        ['pca-reconstruction', true],
      ],
    );
  });
});
