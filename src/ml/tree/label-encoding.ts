import { inputError } from '../../errors.js';

/** Sorted distinct labels and each row's index into them (scikit-learn's classes_). */
export function encodeLabels(y: ArrayLike<number>): { classes: number[]; yClass: Int32Array } {
  const distinct = new Set<number>();
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!Number.isFinite(v)) throw inputError(`label at row ${i} is not a finite number`);
    distinct.add(v);
  }
  const classes = [...distinct].sort((a, b) => a - b);
  const index = new Map(classes.map((c, i) => [c, i]));
  const yClass = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) yClass[i] = index.get(y[i] as number) as number;
  return { classes, yClass };
}

/** Index of the largest value in row r of a row-major rows × k array; first wins ties, like numpy.argmax. */
export function argmaxRow(values: Float64Array, r: number, k: number): number {
  let best = 0;
  let bestV = values[r * k] as number;
  for (let j = 1; j < k; j++) {
    const v = values[r * k + j] as number;
    if (v > bestV) {
      bestV = v;
      best = j;
    }
  }
  return best;
}
