import { inputError } from '../../errors.js';

/** One class's row of a classification report (scikit-learn's classification_report). */
export interface ClassMetrics {
  label: number;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true label is this class. */
  support: number;
}

export interface ClassificationReport {
  labels: number[];
  perClass: ClassMetrics[];
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** F1 averaged with class supports as weights. */
  weightedF1: number;
  /** confusion[i][j] = rows of true labels[i] predicted as labels[j]. */
  confusion: number[][];
  n: number;
}

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw inputError(`got ${a.length} true labels but ${b.length} predictions`);
}

/** Labels present in either array, ascending (scikit-learn's unique_labels). */
export function labelsOf(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number[] {
  const s = new Set<number>();
  for (let i = 0; i < yTrue.length; i++) s.add(yTrue[i] as number);
  for (let i = 0; i < yPred.length; i++) s.add(yPred[i] as number);
  return [...s].sort((a, b) => a - b);
}

export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels = labelsOf(yTrue, yPred),
): number[][] {
  checkLengths(yTrue, yPred);
  const index = new Map(labels.map((l, i) => [l, i]));
  const m = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i] as number);
    const p = index.get(yPred[i] as number);
    if (t === undefined || p === undefined) continue; // labels outside the requested set are ignored, as in scikit-learn
    const row = m[t] as number[];
    row[p] = (row[p] as number) + 1;
  }
  return m;
}

/** 0 instead of NaN when a denominator is empty (scikit-learn's zero_division=0 result). */
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Per-class precision, recall, F1 and support, macro and weighted averages,
 * accuracy and the confusion matrix. Undefined ratios (a class never
 * predicted, or absent) count as 0, like scikit-learn with zero_division=0.
 */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels = labelsOf(yTrue, yPred),
): ClassificationReport {
  const confusion = confusionMatrix(yTrue, yPred, labels);
  const k = labels.length;
  const perClass: ClassMetrics[] = [];
  let correct = 0;
  let total = 0;
  for (let i = 0; i < k; i++) {
    const row = confusion[i] as number[];
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += row[j] as number;
      predicted += (confusion[j] as number[])[i] as number;
    }
    const tp = row[i] as number;
    correct += tp;
    total += support;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    perClass.push({
      label: labels[i] as number,
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
      support,
    });
  }
  const mean = (f: (c: ClassMetrics) => number): number => (k === 0 ? 0 : perClass.reduce((s, c) => s + f(c), 0) / k);
  return {
    labels,
    perClass,
    accuracy: ratio(correct, total),
    macroPrecision: mean((c) => c.precision),
    macroRecall: mean((c) => c.recall),
    macroF1: mean((c) => c.f1),
    weightedF1: ratio(
      perClass.reduce((s, c) => s + c.f1 * c.support, 0),
      total,
    ),
    confusion,
    n: yTrue.length,
  };
}

/** Macro-averaged F1 (scikit-learn's f1_score(average='macro')). */
export function macroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return classificationReport(yTrue, yPred).macroF1;
}
