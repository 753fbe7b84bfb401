import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PcaMonitor, type PcaMonitorOptions } from '../../../src/ml/anomaly/pca-monitor.js';
import { exportPcaMonitorToOnnx } from '../../../src/ml/onnx/pca-monitor-export.js';
import { OnnxModelSession } from '../../../src/ml/onnx/onnx-session.js';
import { matrixFromColumns } from '../../../src/ml/tree/matrix.js';
import { Random } from '../../../src/random.js';

/** Six correlated sensors at realistic offsets (voltage ~230, flow ~32), 400 fit rows, 2,000 new rows with faults. */
function data(rows: number, seed: number, fault = false) {
  const rng = new Random(seed);
  const g = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const cols = Array.from({ length: 6 }, () => new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    const a = g();
    const b = g();
    const broken = fault && r % 5 === 0 ? 3 * g() : 0;
    [
      230 + 2 * a,
      32 + b,
      0.03 + 0.001 * (a + b) + 0.0003 * g(),
      71 + 0.5 * a - 0.5 * b + broken,
      1.2 + 0.1 * g(),
      25 + 0.2 * a,
    ].forEach((v, j) => (cols[j]![r] = v));
  }
  return matrixFromColumns(cols);
}

describe('PCA monitor served by onnxruntime-node', () => {
  for (const rule of ['t2-or-q', 't2', 'q'] as const) {
    it(`${rule}: T², Q and the alarm score equal the in-process model (1e-4 relative) on 2,000 rows`, async () => {
      const options: PcaMonitorOptions = {
        components: 0.85,
        limits: 'theoretical',
        t2Distribution: 'f',
        alpha: 0.001,
        rule,
      };
      const monitor = PcaMonitor.fit(data(400, 1), options);
      const fresh = data(2000, 2, true);
      const expected = monitor.statistics(fresh);
      const score = monitor.score(fresh);
      const session = await OnnxModelSession.load(
        exportPcaMonitorToOnnx(monitor.toJSON(), ['a', 'b', 'c', 'd', 'e', 'f']),
      );
      try {
        const out = await session.run(fresh);
        const check = (name: string, got: Float32Array, want: Float64Array) => {
          let worst = 0;
          want.forEach((v, r) => (worst = Math.max(worst, Math.abs(got[r]! - v) / Math.max(1, Math.abs(v)))));
          assert.ok(worst < 1e-4, `${name}: worst relative difference ${worst}`);
        };
        check('t2', out.t2 as Float32Array, expected.t2);
        check('q', out.q as Float32Array, expected.q);
        check('score', out.score as Float32Array, score);
        const alarms = score.filter((s) => s > 1).length;
        assert.ok(alarms > 20, `the faults alarm (${alarms} rows)`);
        const onnxAlarms = (out.score as Float32Array).filter((s) => s > 1).length;
        assert.ok(Math.abs(onnxAlarms - alarms) <= 2, `alarms: ONNX ${onnxAlarms}, in-process ${alarms}`);
      } finally {
        await session.release();
      }
    });
  }
});
