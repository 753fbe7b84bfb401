/**
 * Effect size beside significance: a p-value test flags a column only when
 * its effect reaches a floor (default: the thresholds Evidently applies to
 * large samples), which answers the large-sample false alarms of evidently
 * #20 and #50; `effectFloors: false` gives the p-value's verdict alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDatasets } from '../../../src/drift/stats/compare.js';
import type { DriftDataset } from '../../../src/drift/types.js';
import { Random } from '../../../src/random.js';

const random = new Random(11);
const normal = (n: number, mean = 0, sd = 1) => Float64Array.from({ length: n }, () => mean + sd * random.nextNormal());
const one = (values: Float64Array): DriftDataset => ({ columns: { x: { kind: 'numeric', values } } });

describe('effect-size floors on the p-value tests', () => {
  // 20 000 values a side with KS: a shift of 0.05σ is significant but small.
  const ref = normal(20_000);
  const cur = normal(20_000, 0.05);
  it('a significant but tiny shift is not drift by default; the note says why', () => {
    const col = compareDatasets(one(ref), one(cur), { method: 'ks' }).columns[0]!;
    assert.ok(col.pValue! < 0.05, `p ${col.pValue}`);
    assert.ok(col.effect!.value < 0.1, `W/σ ${col.effect!.value}`);
    assert.equal(col.drifted, false);
    assert.match(col.note!, /significant \(p [\d.e-]+\) but the effect is small: W\/σ [\d.]+ < 0\.100/);
    const evidently = compareDatasets(one(ref), one(cur), { method: 'ks', effectFloors: false }).columns[0]!;
    assert.equal(evidently.drifted, true);
    assert.equal(evidently.effect, undefined);
  });
  it('at large n the p-value alone flags 0.02σ; the floor does not', () => {
    const big = compareDatasets(one(normal(200_000)), one(normal(200_000, 0.02)), { method: 'ks' }).columns[0]!;
    assert.ok(big.pValue! < 1e-6, `p ${big.pValue}`);
    assert.equal(big.drifted, false);
    assert.equal(
      compareDatasets(one(normal(200_000)), one(normal(200_000, 0.02)), { method: 'ks', effectFloors: false })
        .columns[0]!.drifted,
      true,
    );
  });
  it('a spread floor catches a change of variance the location floor would not', () => {
    const wide = normal(600, 0, 2);
    const base = normal(600);
    const w = compareDatasets(one(base), one(wide), { method: 'ks', effectFloors: { wasserstein: 1.5 } }).columns[0]!;
    assert.equal(w.drifted, false, `W/σ ${w.effect!.value}`);
    const s = compareDatasets(one(base), one(wide), { method: 'ks', effectFloors: { wasserstein: 1.5, spread: 0.4 } })
      .columns[0]!;
    assert.equal(s.drifted, true);
    assert.ok(Math.abs(s.effect!.spread!.value - Math.log(2)) < 0.15);
  });
  it('categorical columns are gated on Jensen–Shannon; per-column floors win; BH keeps the gate', () => {
    const pick = (n: number, p: number) => Array.from({ length: n }, () => (random.nextFloat() < p ? 'a' : 'b'));
    const ref: DriftDataset = { columns: { c: { kind: 'categorical', values: pick(800, 0.5) } } };
    const cur: DriftDataset = { columns: { c: { kind: 'categorical', values: pick(800, 0.58) } } };
    const col = compareDatasets(ref, cur).columns[0]!;
    assert.equal(col.effect!.measure, 'jensenshannon');
    assert.ok(col.pValue! < 0.05);
    assert.equal(col.drifted, col.effect!.value >= col.effect!.floor);
    const loose = compareDatasets(ref, cur, { columnEffectFloors: { c: { jensenshannon: 0.01 } } }).columns[0]!;
    assert.equal(loose.drifted, true);
    const bh = compareDatasets(one(normal(900)), one(normal(900, 0.5)), {
      method: 'ks',
      pValueCorrection: 'benjamini-hochberg',
      effectFloors: { wasserstein: 5 },
    }).columns[0]!;
    assert.equal(bh.drifted, false);
  });
});
