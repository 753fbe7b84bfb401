import { inputError } from '../../errors.js';
import type { FeatureMatrix } from './feature-matrix.js';

/**
 * Per-group (per-experiment, per-machine) normalisation. SKAB experiments start
 * at different operating points, so a detector fitted across experiments mostly
 * learns which experiment a row came from; centring each experiment on its own
 * reference removes that offset.
 *
 * Two explicit methods:
 * - `baseline`: z-score with the mean and std of the group's first `rows` rows
 *   (in the order given, which must be time order). Causal: only the start of the
 *   experiment is used, which in SKAB is before any anomaly, so it can run online.
 * - `median-mad`: centre on the group's own median and scale by 1.4826·MAD over
 *   all its rows. Robust to the anomalous part but it looks at the whole
 *   experiment, future rows included: fine for offline scoring, not for online use.
 * A zero spread (constant sensor) is replaced by 1 so the column becomes 0.
 */
export type GroupNormalisation = { method: 'baseline'; rows: number } | { method: 'median-mad' };

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function centreAndScale(values: Float64Array, how: GroupNormalisation): [number, number] {
  if (how.method === 'median-mad') {
    const m = median(values);
    const mad = median(values.map((v) => Math.abs(v - m))) * 1.4826;
    return [m, mad > 0 ? mad : 1];
  }
  const ref = values.subarray(0, Math.min(how.rows, values.length));
  const mean = ref.reduce((a, b) => a + b, 0) / ref.length;
  const sd = Math.sqrt(ref.reduce((a, b) => a + (b - mean) ** 2, 0) / ref.length);
  return [mean, sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1];
}

/** Returns a new matrix with every column normalised within each group. */
export function normaliseByGroup(
  matrix: FeatureMatrix,
  groups: ArrayLike<string | number>,
  how: GroupNormalisation,
): FeatureMatrix {
  if (groups.length !== matrix.rows) throw inputError(`${groups.length} group labels for ${matrix.rows} rows`);
  if (how.method === 'baseline' && !(Number.isInteger(how.rows) && how.rows >= 2)) {
    throw inputError(`baseline normalisation needs at least 2 reference rows, got ${how.rows}`);
  }
  const members = new Map<string | number, number[]>();
  for (let r = 0; r < matrix.rows; r++) {
    const g = groups[r] as string | number;
    let list = members.get(g);
    if (!list) members.set(g, (list = []));
    list.push(r);
  }
  const data = new Float64Array(matrix.data.length);
  for (let j = 0; j < matrix.featureNames.length; j++) {
    const offset = j * matrix.rows;
    for (const rows of members.values()) {
      const values = Float64Array.from(rows, (r) => matrix.data[offset + r] as number);
      const [centre, scale] = centreAndScale(values, how);
      for (const r of rows) data[offset + r] = ((matrix.data[offset + r] as number) - centre) / scale;
    }
  }
  return { featureNames: [...matrix.featureNames], rows: matrix.rows, data };
}
