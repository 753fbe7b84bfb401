import type { Metrics } from './evaluate-stage.js';

/**
 * The confusion matrix of an evaluation (metrics.json `detail.confusion`) laid
 * out for a table: one row per actual class, one column per predicted class
 * (anomaly detectors: predicted = flagged at the alarm threshold). Null when the
 * evaluation has none (forecasts, regressions, unlabelled detectors).
 */
export interface ConfusionLayout {
  head: string[];
  rows: string[][];
}

export function confusionLayout(m: Pick<Metrics, 'detail'>): ConfusionLayout | null {
  const c = m.detail.confusion as { labels?: unknown; matrix?: unknown } | undefined;
  if (!c || !Array.isArray(c.labels) || !Array.isArray(c.matrix) || c.matrix.length !== c.labels.length) return null;
  const labels = c.labels.map(String);
  const matrix = c.matrix as unknown[];
  if (!matrix.every((row) => Array.isArray(row) && row.length === labels.length)) return null;
  return {
    head: ['actual \\ predicted', ...labels],
    rows: labels.map((label, i) => [label, ...(matrix[i] as unknown[]).map(String)]),
  };
}
