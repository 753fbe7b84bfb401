import { formatNumber } from '../../report/format-number.js';
import { card, note } from '../../report/html-page.js';
import { xyChart } from '../../report/svg-chart.js';
import { heatmap } from '../../report/svg-grid-charts.js';
import { pick, round, strideIndices } from '../../report/thin-series.js';
import { calibrationCurve, type CalibrationCurve } from '../metrics/calibration-curve.js';
import { precisionRecallCurve, rocCurve } from '../metrics/ranking-metrics.js';
import { confusionLayout } from '../pipelines/confusion-layout.js';
import type { ReportSection } from './report-section.js';

/**
 * Classification: ROC and precision–recall curves with the operating point at
 * the decision threshold, the reliability curve, the distribution of the
 * positive-class probability per actual class, and the confusion matrix as a
 * heat map. Curves need two classes; a multi-class model gets the matrix only.
 */
export interface ClassificationFigures {
  classes: number[];
  positive: number | null;
  threshold: number;
  prevalence: number | null;
  roc: { fpr: number[]; tpr: number[] } | null;
  pr: { recall: number[]; precision: number[] } | null;
  calibration: CalibrationCurve | null;
  /** Share of each actual class's rows per probability bin (20 bins over [0, 1]). */
  histogram: { edges: number[]; negative: number[]; positive: number[] } | null;
  operatingPoint: { fpr: number; tpr: number; precision: number } | null;
}

const MAX_CURVE_POINTS = 400;
const BINS = 20;

export const classificationSection: ReportSection<ClassificationFigures> = {
  build({ trained, dataset, metrics }) {
    const classes = trained.classes ?? [];
    const threshold = Number(metrics.detail.threshold ?? 0.5);
    const base = { classes, threshold, positive: null, prevalence: null, roc: null, pr: null };
    const empty = { ...base, calibration: null, histogram: null, operatingPoint: null };
    if (classes.length !== 2 || !dataset.target) return empty;
    const positive = classes[1]!;
    const y = Float64Array.from(trained.test.rows, (r) => dataset.target![r] as number);
    const p = trained.test.scores;
    const roc = rocCurve(y, p, positive);
    const pr = precisionRecallCurve(y, p, positive);
    const rocAt = strideIndices(roc.fpr.length, MAX_CURVE_POINTS);
    const prAt = strideIndices(pr.recall.length, MAX_CURVE_POINTS);
    let tp = 0;
    let fp = 0;
    let positives = 0;
    const negHist = new Array<number>(BINS).fill(0);
    const posHist = new Array<number>(BINS).fill(0);
    for (let i = 0; i < y.length; i++) {
      const isPos = y[i] === positive;
      const flagged = (p[i] as number) >= threshold;
      if (isPos) positives++;
      if (flagged && isPos) tp++;
      if (flagged && !isPos) fp++;
      const b = Math.min(BINS - 1, Math.floor((p[i] as number) * BINS));
      if (isPos) posHist[b]!++;
      else negHist[b]!++;
    }
    const negatives = y.length - positives;
    return {
      ...base,
      positive,
      prevalence: positives / y.length,
      roc: roc.fpr.length ? { fpr: pick(roc.fpr, rocAt), tpr: pick(roc.tpr, rocAt) } : null,
      pr: pr.recall.length ? { recall: pick(pr.recall, prAt), precision: pick(pr.precision, prAt) } : null,
      calibration: calibrationCurve(y, p, 10, positive),
      histogram: {
        edges: Array.from({ length: BINS + 1 }, (_, i) => round(i / BINS)),
        negative: negHist.map((c) => round(c / Math.max(negatives, 1))),
        positive: posHist.map((c) => round(c / Math.max(positives, 1))),
      },
      operatingPoint: {
        fpr: round(fp / Math.max(negatives, 1)),
        tpr: round(tp / Math.max(positives, 1)),
        precision: round(tp + fp ? tp / (tp + fp) : 1),
      },
    };
  },

  render(f, { metrics, label }) {
    const cards: string[] = [];
    const charts: string[] = [];
    const square = { width: 360, height: 340 };
    const rate = { min: 0, max: 1 };
    const at = `threshold ${formatNumber(f.threshold, 3)}`;
    if (f.roc) {
      charts.push(
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
            ...(f.operatingPoint
              ? [
                  {
                    kind: 'points' as const,
                    name: at,
                    x: [f.operatingPoint.fpr],
                    y: [f.operatingPoint.tpr],
                    radius: 5,
                    color: '#e45756',
                    opacity: 1,
                  },
                ]
              : []),
          ],
          {
            ...square,
            x: { label: 'false positive rate', ...rate },
            y: { label: 'true positive rate (recall)', ...rate },
          },
        ),
      );
    }
    if (f.pr) {
      charts.push(
        xyChart(
          `Precision–recall curve, ${label}`,
          [
            ...(f.prevalence !== null
              ? [
                  {
                    kind: 'hline' as const,
                    name: `chance (prevalence ${formatNumber(f.prevalence, 3)})`,
                    value: f.prevalence,
                    color: '#9aa5b1',
                  },
                ]
              : []),
            {
              kind: 'line',
              name: `PR (AP ${formatNumber(metrics.metrics.pr_auc ?? Number.NaN, 3)})`,
              x: f.pr.recall,
              y: f.pr.precision,
              step: true,
              color: '#4c78a8',
            },
            ...(f.operatingPoint
              ? [
                  {
                    kind: 'points' as const,
                    name: at,
                    x: [f.operatingPoint.tpr],
                    y: [f.operatingPoint.precision],
                    radius: 5,
                    color: '#e45756',
                    opacity: 1,
                  },
                ]
              : []),
          ],
          { ...square, x: { label: 'recall', ...rate }, y: { label: 'precision', ...rate } },
        ),
      );
    }
    if (charts.length) cards.push(card('Ranking: ROC and precision–recall', charts, { charts: true }));

    const matrix = confusionLayout(metrics);
    const second: string[] = [];
    if (matrix) {
      const labels = matrix.head.slice(1);
      second.push(
        heatmap(
          `Confusion matrix, ${label}`,
          labels,
          labels,
          matrix.rows.map((r) => r.slice(1).map(Number)),
          {
            rowTitle: 'actual class',
            colTitle: `predicted class${f.classes.length === 2 ? ` (${at})` : ''}`,
            byRow: true,
          },
        ),
      );
    }
    if (f.calibration) {
      second.push(
        xyChart(
          `Reliability curve, ${label}`,
          [
            { kind: 'diagonal', name: 'perfectly calibrated' },
            {
              kind: 'line',
              name: 'model (10 bins)',
              x: f.calibration.meanPredicted,
              y: f.calibration.fractionPositive,
              color: '#4c78a8',
            },
            {
              kind: 'points',
              name: 'bin',
              x: f.calibration.meanPredicted,
              y: f.calibration.fractionPositive,
              radius: 3.5,
              color: '#4c78a8',
              opacity: 1,
              hideInLegend: true,
            },
          ],
          {
            ...square,
            x: { label: 'mean predicted probability', ...rate },
            y: { label: 'observed share of positives', ...rate },
          },
        ),
      );
    }
    if (second.length)
      cards.push(
        card('Decisions and calibration', [
          `<div class="charts">${second.join('')}</div>`,
          ...(f.calibration
            ? [
                note(
                  `Reliability bins hold ${f.calibration.counts.join(', ')} test rows (empty bins left out); rows: ${metrics.nTest}.`,
                ),
              ]
            : []),
        ]),
      );
    if (f.histogram) {
      const h = f.histogram;
      const mids = h.edges.slice(0, -1).map((e, i) => (e + h.edges[i + 1]!) / 2);
      cards.push(
        card(
          'Predicted probability by actual class',
          [
            xyChart(
              `Distribution of P(class ${f.positive}), ${label}`,
              [
                { kind: 'line', name: `actual ${f.classes[0]}`, x: mids, y: h.negative, color: '#4c78a8' },
                { kind: 'line', name: `actual ${f.positive}`, x: mids, y: h.positive, color: '#f58518' },
                { kind: 'vline', name: at, value: f.threshold, color: '#e45756' },
              ],
              {
                width: 740,
                height: 280,
                x: { label: `predicted probability of class ${f.positive}`, min: 0, max: 1 },
                y: { label: 'share of the class’s test rows', min: 0 },
              },
            ),
          ],
          { charts: true },
        ),
      );
    }
    return cards;
  },
};
