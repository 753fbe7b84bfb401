import { inputError } from '../../errors.js';

/**
 * Metrics of a score that ranks rows by how likely they are positive (a class
 * probability, an anomaly score where higher = more abnormal). Rows with equal
 * scores are one threshold, as in scikit-learn, so ties never depend on row order.
 */

interface Curve {
  /** Cumulative true and false positives at each distinct score, highest score first. */
  tps: Float64Array;
  fps: Float64Array;
  positives: number;
  negatives: number;
}

function curve(yTrue: ArrayLike<number>, scores: ArrayLike<number>, positive: number): Curve {
  const n = yTrue.length;
  if (scores.length !== n) throw inputError(`got ${n} labels but ${scores.length} scores`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw inputError(`score at row ${i} is NaN`);
    order[i] = i;
  }
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    const r = order[i] as number;
    if (yTrue[r] === positive) tp++;
    else fp++;
    const next = order[i + 1];
    if (next === undefined || scores[next] !== scores[r]) {
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { tps: Float64Array.from(tps), fps: Float64Array.from(fps), positives: tp, negatives: fp };
}

/**
 * Area under the ROC curve (scikit-learn's roc_auc_score for binary labels):
 * trapezoids between distinct thresholds, so tied scores count half.
 * NaN when only one class is present (scikit-learn raises there).
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>, positive = 1): number {
  const { tps, fps, positives, negatives } = curve(yTrue, scores, positive);
  if (positives === 0 || negatives === 0) return Number.NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < tps.length; i++) {
    const tp = tps[i] as number;
    const fp = fps[i] as number;
    area += ((fp - prevFp) * (tp + prevTp)) / 2;
    prevTp = tp;
    prevFp = fp;
  }
  return area / (positives * negatives);
}

/**
 * Average precision (scikit-learn's average_precision_score, the usual
 * "PR-AUC"): Σ (R_i − R_{i−1}) · P_i over distinct thresholds, highest first,
 * a step function with no interpolation. NaN when there are no positives.
 */
export function averagePrecision(yTrue: ArrayLike<number>, scores: ArrayLike<number>, positive = 1): number {
  const { tps, fps, positives } = curve(yTrue, scores, positive);
  if (positives === 0) return Number.NaN;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < tps.length; i++) {
    const tp = tps[i] as number;
    const recall = tp / positives;
    const precision = tp / (tp + (fps[i] as number));
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

/**
 * Share of positives among the k highest-scoring rows. Rows tied at the k-th
 * score are taken in row order (document it when reporting: a coarse score can
 * make this depend on order).
 */
export function precisionAtK(yTrue: ArrayLike<number>, scores: ArrayLike<number>, k: number, positive = 1): number {
  const n = yTrue.length;
  if (scores.length !== n) throw inputError(`got ${n} labels but ${scores.length} scores`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw inputError(`k must be an integer in 1..${n}, got ${k}`);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  let hits = 0;
  for (let i = 0; i < k; i++) if (yTrue[order[i] as number] === positive) hits++;
  return hits / k;
}

/**
 * Precision at the known anomaly rate: k = round(rate · n), where rate defaults
 * to the share of positives in yTrue (then precision = recall, "R-precision").
 */
export function precisionAtRate(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  rate?: number,
  positive = 1,
): number {
  const n = yTrue.length;
  let r = rate;
  if (r === undefined) {
    let p = 0;
    for (let i = 0; i < n; i++) if (yTrue[i] === positive) p++;
    r = p / n;
  }
  if (!(r > 0 && r <= 1)) throw inputError(`rate must be in (0, 1], got ${r}`);
  return precisionAtK(yTrue, scores, Math.max(1, Math.round(r * n)), positive);
}

/**
 * The ROC curve (scikit-learn's roc_curve with drop_intermediate=False): false
 * and true positive rates at each distinct threshold, highest first, from
 * (0, 0) to (1, 1). Empty arrays when one class is missing.
 */
export function rocCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  positive = 1,
): { fpr: Float64Array; tpr: Float64Array } {
  const { tps, fps, positives, negatives } = curve(yTrue, scores, positive);
  if (positives === 0 || negatives === 0) return { fpr: new Float64Array(0), tpr: new Float64Array(0) };
  const fpr = new Float64Array(tps.length + 1);
  const tpr = new Float64Array(tps.length + 1);
  for (let i = 0; i < tps.length; i++) {
    fpr[i + 1] = (fps[i] as number) / negatives;
    tpr[i + 1] = (tps[i] as number) / positives;
  }
  return { fpr, tpr };
}

/**
 * The precision–recall curve (scikit-learn's precision_recall_curve, in the
 * opposite order): from (recall 0, precision 1) through each distinct
 * threshold, highest first, so recall rises. Empty when there are no positives.
 */
export function precisionRecallCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  positive = 1,
): { recall: Float64Array; precision: Float64Array } {
  const { tps, fps, positives } = curve(yTrue, scores, positive);
  if (positives === 0) return { recall: new Float64Array(0), precision: new Float64Array(0) };
  const last = tps.length - 1;
  const recall = new Float64Array(last + 2);
  const precision = new Float64Array(last + 2);
  precision[0] = 1;
  for (let i = 0; i <= last; i++) {
    recall[i + 1] = (tps[i] as number) / positives;
    precision[i + 1] = (tps[i] as number) / ((tps[i] as number) + (fps[i] as number));
  }
  return { recall, precision };
}
