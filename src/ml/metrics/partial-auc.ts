/**
 * Partial ROC-AUC up to a false-positive rate, standardised as McClish
 * (1989) does and as scikit-learn's roc_auc_score(max_fpr=…) reports it (the
 * DCASE task 2 "pAUC"): the area under the ROC curve for FPR ∈ [0, maxFpr]
 * (linearly interpolated at maxFpr), mapped so that chance is 0.5 and a
 * perfect detector 1: 0.5 × (1 + (area − minArea)/(maxArea − minArea)) with
 * minArea = maxFpr²/2 and maxArea = maxFpr. Ties in score move together.
 */
export function partialRocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>, maxFpr = 0.1, positive = 1): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === positive) positives++;
  const negatives = yTrue.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (yTrue[i] === positive) tp++;
    else fp++;
    if (k === order.length - 1 || scores[order[k + 1]!] !== scores[i]) {
      fpr.push(fp / negatives);
      tpr.push(tp / positives);
    }
  }
  let area = 0;
  for (let k = 1; k < fpr.length; k++) {
    const x0 = fpr[k - 1]!;
    const x1 = fpr[k]!;
    if (x0 >= maxFpr) break;
    const y0 = tpr[k - 1]!;
    let y1 = tpr[k]!;
    let end = x1;
    if (x1 > maxFpr) {
      y1 = y0 + ((y1 - y0) * (maxFpr - x0)) / (x1 - x0);
      end = maxFpr;
    }
    area += ((end - x0) * (y0 + y1)) / 2;
  }
  const minArea = (maxFpr * maxFpr) / 2;
  return 0.5 * (1 + (area - minArea) / (maxFpr - minArea));
}
