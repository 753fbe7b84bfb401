import type { Dataset } from '../../../src/ml/pipelines/types.js';
import { Random } from '../../../src/random.js';

/**
 * Three groups of 60 rows, 2 features. Rows 0–29 are quiet (sd 1), rows 30–39
 * (calibration) much noisier (sd 5) but still normal, and rows 50–59 of each
 * group are anomalous (shifted). A calibration that used the fitted rows would
 * set a far lower threshold than one set on rows 30–39.
 */
export function perGroupDataset(): Dataset {
  const random = new Random(3);
  const groups = 3;
  const n = 60;
  const rows = groups * n;
  const data = new Float64Array(rows * 2);
  const target = new Float64Array(rows);
  const index = new Int32Array(rows);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random.nextFloat())) * Math.cos(2 * Math.PI * random.nextFloat());
  for (let g = 0; g < groups; g++)
    for (let p = 0; p < n; p++) {
      const r = g * n + p;
      const sd = p >= 30 && p < 40 ? 5 : 1;
      const shift = p >= 50 ? 20 : 0;
      const a = gauss();
      data[r] = 10 * g + sd * a + shift;
      data[rows + r] = 10 * g + sd * (a + 0.3 * gauss()) - shift;
      target[r] = p >= 50 ? 1 : 0;
      index[r] = g;
    }
  return {
    shape: 'dataset',
    featureNames: ['a', 'b'],
    rows,
    data,
    target,
    groups: { names: ['x/0.csv', 'x/1.csv', 'y/0.csv'], index },
    time: null,
    encoding: { ordinal: {} },
  };
}
