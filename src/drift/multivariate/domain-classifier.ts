/**
 * Domain-classifier drift (NannyML's DomainClassifierCalculator, with the
 * project's random forest in place of LightGBM): label reference rows 0 and
 * current rows 1, and measure how well a classifier tells them apart by the
 * cross-validated AUROC (stratified k-fold, each row scored by a forest that
 * did not see it). 0.5: indistinguishable; towards 1: the windows differ —
 * in any column or in how the columns move together. The forest's mean
 * decrease in impurity, refitted on all rows, says which features drive it.
 */
import { type Matrix, RandomForestClassifier } from '../../ml/tree/index.js';
import { rocAuc } from '../../ml/metrics/ranking-metrics.js';
import { type RowTable, stackRows, strideRows } from './row-table.js';

export interface DomainClassifierOptions {
  folds: number;
  trees: number;
  maxDepth: number;
  seed: number;
  /** The reference is thinned (even stride) to at most this many times the current rows, to bound the cost. */
  maxReferenceRatio: number;
  /** And both sides to at most this many rows. */
  maxRows: number;
}

export const DEFAULT_DOMAIN_CLASSIFIER: Readonly<DomainClassifierOptions> = Object.freeze({
  folds: 5,
  trees: 50,
  maxDepth: 8,
  seed: 13,
  maxReferenceRatio: 4,
  maxRows: 2000,
});

export interface DomainClassifierResult {
  auroc: number;
  /** Columns by importance, largest first (mean decrease in impurity, sums to 1). */
  features: Array<{ column: string; importance: number }>;
  referenceRows: number;
  currentRows: number;
}

function toMatrix(table: RowTable): Matrix {
  return { rows: table.rows, cols: table.columns.length, data: table.data };
}

/** Fold of each row, stratified: each class's rows dealt round-robin, so every fold has both classes. */
function stratifiedFolds(labels: Uint8Array, folds: number): Uint8Array {
  const out = new Uint8Array(labels.length);
  const next = [0, 0];
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    out[i] = next[c]! % folds;
    next[c]!++;
  }
  return out;
}

function rowsWhere(x: Matrix, keep: (r: number) => boolean): { m: Matrix; index: number[] } {
  const index: number[] = [];
  for (let r = 0; r < x.rows; r++) if (keep(r)) index.push(r);
  const data = new Float64Array(index.length * x.cols);
  for (let j = 0; j < x.cols; j++)
    for (let k = 0; k < index.length; k++) data[j * index.length + k] = x.data[j * x.rows + index[k]!]!;
  return { m: { rows: index.length, cols: x.cols, data }, index };
}

export function domainClassifierDrift(
  reference: RowTable,
  current: RowTable,
  options: Partial<DomainClassifierOptions> = {},
): DomainClassifierResult {
  const o = { ...DEFAULT_DOMAIN_CLASSIFIER, ...options };
  const cur = strideRows(current, o.maxRows);
  const ref = strideRows(reference, Math.min(o.maxRows, Math.max(cur.rows, cur.rows * o.maxReferenceRatio)));
  const all = toMatrix(stackRows(ref, cur));
  const labels = new Uint8Array(all.rows);
  labels.fill(1, ref.rows);
  const folds = Math.max(2, Math.min(o.folds, ref.rows, cur.rows));
  const fold = stratifiedFolds(labels, folds);
  const scores = new Float64Array(all.rows);
  const forestOptions = { nEstimators: o.trees, maxDepth: o.maxDepth, precision: 'float64' as const };
  for (let f = 0; f < folds; f++) {
    const train = rowsWhere(all, (r) => fold[r] !== f);
    const test = rowsWhere(all, (r) => fold[r] === f);
    const forest = new RandomForestClassifier({ ...forestOptions, seed: o.seed + f }).train(
      train.m,
      train.index.map((r) => labels[r]!),
    );
    const p = forest.predictProbability(test.m, 1);
    test.index.forEach((r, k) => (scores[r] = p[k]!));
  }
  const auroc = rocAuc(labels, scores);
  const whole = new RandomForestClassifier({ ...forestOptions, seed: o.seed }).train(all, Array.from(labels));
  const features = ref.columns
    .map((column, j) => ({ column, importance: whole.featureImportances[j] ?? 0 }))
    .sort((a, b) => b.importance - a.importance);
  return { auroc: Number.isNaN(auroc) ? 0.5 : auroc, features, referenceRows: ref.rows, currentRows: cur.rows };
}
