import { formatNumber } from '../../report/format-number.js';
import { card, note } from '../../report/html-page.js';
import { xyChart, type ChartLayer } from '../../report/svg-chart.js';
import { minMaxIndices, pick, strideIndices } from '../../report/thin-series.js';
import { precisionRecallCurve, rocCurve } from '../metrics/ranking-metrics.js';
import { buildProtocolFigures, renderProtocolFigures, type ProtocolFigures } from './anomaly-protocol-section.js';
import type { ReportSection } from './report-section.js';

/**
 * Anomaly detection (the basic section; protocol-specific figures such as
 * per-group panels, baselines and PCA contributions extend it): the anomaly
 * score over the test rows in order with the labelled anomalies shaded and the
 * alarm threshold drawn, and ROC and precision–recall curves when there are labels.
 */
export interface AnomalyFigures {
  /** Test-row position (0…n−1) and score, min–max thinned so peaks survive. */
  x: number[];
  score: number[];
  rows: number;
  threshold: number | null;
  /** Runs of labelled-anomalous test rows, as [first, last + 1) positions. */
  anomalies: [number, number][];
  /** Where one group (experiment, file) ends and the next begins. */
  groupStarts: { at: number; name: string }[];
  roc: { fpr: number[]; tpr: number[] } | null;
  pr: { recall: number[]; precision: number[] } | null;
  /** Detector protocols: per-group runs, baselines, PCA contributions (anomaly-protocol-section.ts). */
  protocol?: ProtocolFigures | null;
}

const MAX_POINTS = 3000;
const MAX_CURVE_POINTS = 400;

export const anomalySection: ReportSection<AnomalyFigures> = {
  build(input) {
    const { trained, dataset, metrics } = input;
    const rows = trained.test.rows;
    const scores = trained.test.scores;
    const y = dataset.target ? Float64Array.from(rows, (r) => dataset.target![r] as number) : null;
    const anomalies: [number, number][] = [];
    if (y)
      for (let i = 0; i < y.length; i++)
        if (y[i] === 1) {
          const last = anomalies[anomalies.length - 1];
          if (last && last[1] === i) last[1] = i + 1;
          else anomalies.push([i, i + 1]);
        }
    const groupStarts: AnomalyFigures['groupStarts'] = [];
    rows.forEach((r, i) => {
      const g = dataset.groups.index[r] as number;
      if (i === 0 || g !== dataset.groups.index[rows[i - 1]!])
        groupStarts.push({ at: i, name: dataset.groups.names[g] ?? '' });
    });
    const at = minMaxIndices(scores, MAX_POINTS);
    const threshold = typeof metrics.detail.threshold === 'number' ? metrics.detail.threshold : null;
    const labelled = y !== null && anomalies.length > 0 && anomalies.length < y.length;
    const roc = labelled ? rocCurve(y, scores) : null;
    const pr = labelled ? precisionRecallCurve(y, scores) : null;
    const rocAt = roc ? strideIndices(roc.fpr.length, MAX_CURVE_POINTS) : [];
    const prAt = pr ? strideIndices(pr.recall.length, MAX_CURVE_POINTS) : [];
    return {
      x: at,
      score: pick(scores, at),
      rows: rows.length,
      threshold,
      anomalies,
      groupStarts: groupStarts.length > 60 ? [] : groupStarts,
      roc: roc && roc.fpr.length ? { fpr: pick(roc.fpr, rocAt), tpr: pick(roc.tpr, rocAt) } : null,
      pr: pr && pr.recall.length ? { recall: pick(pr.recall, prAt), precision: pick(pr.precision, prAt) } : null,
      protocol: buildProtocolFigures(input),
    };
  },

  render(f, context) {
    const { label, metrics } = context;
    const layers: ChartLayer[] = [];
    if (f.anomalies.length)
      layers.push({ kind: 'bands', name: 'labelled anomaly', ranges: f.anomalies, color: '#e45756' });
    if (f.groupStarts.length > 1)
      layers.push({
        kind: 'bands',
        name: 'group start',
        ranges: f.groupStarts.slice(1).map((g) => [g.at, g.at + f.rows / 1500] as [number, number]),
        color: '#52606d',
        opacity: 0.5,
      });
    layers.push({ kind: 'line', name: 'anomaly score', x: f.x, y: f.score, color: '#4c78a8', width: 1 });
    if (f.threshold !== null)
      layers.push({
        kind: 'hline',
        name: `alarm threshold ${formatNumber(f.threshold, 4)}`,
        value: f.threshold,
        color: '#e45756',
      });
    const cards = [
      card('Anomaly score over the test rows', [
        xyChart(`Anomaly score, ${label}`, layers, {
          width: 1100,
          height: 320,
          x: { label: 'test row (in order)' },
          y: { label: 'score (higher = more abnormal)' },
        }),
        note(
          `${f.x.length < f.rows ? `${f.x.length} of ${f.rows} points drawn (each bucket's lowest and highest, so peaks survive); ` : ''}${f.groupStarts.length > 1 ? `${f.groupStarts.length} groups, their starts marked. ` : ''}`,
        ),
      ]),
    ];
    const curves: string[] = [];
    const square = { width: 360, height: 340 };
    if (f.roc)
      curves.push(
        xyChart(
          `ROC curve, ${label}`,
          [
            { kind: 'diagonal', name: 'chance' },
            {
              kind: 'line',
              name: `ROC (AUC ${formatNumber(metrics.metrics.roc_auc ?? Number.NaN, 3)})`,
              x: f.roc.fpr,
              y: f.roc.tpr,
            },
          ],
          {
            ...square,
            x: { label: 'false alarm rate', min: 0, max: 1 },
            y: { label: 'detection rate', min: 0, max: 1 },
          },
        ),
      );
    if (f.pr)
      curves.push(
        xyChart(
          `Precision–recall curve, ${label}`,
          [
            {
              kind: 'line',
              name: `PR (AP ${formatNumber(metrics.metrics.pr_auc ?? Number.NaN, 3)})`,
              x: f.pr.recall,
              y: f.pr.precision,
              step: true,
            },
          ],
          { ...square, x: { label: 'recall', min: 0, max: 1 }, y: { label: 'precision', min: 0, max: 1 } },
        ),
      );
    if (curves.length) cards.push(card('Ranking: ROC and precision–recall', curves, { charts: true }));
    if (f.protocol) cards.push(...renderProtocolFigures(f.protocol, context));
    return cards;
  },
};
