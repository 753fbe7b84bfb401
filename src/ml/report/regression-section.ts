import { formatNumber } from '../../report/format-number.js';
import { card, note } from '../../report/html-page.js';
import { xyChart } from '../../report/svg-chart.js';
import { pick, round, strideIndices } from '../../report/thin-series.js';
import type { ReportSection } from './report-section.js';

/**
 * Regression (and remaining useful life): predicted against actual with the
 * diagonal, and the residuals (predicted − actual) against the actual value
 * with their mean and ± sd per bin of actual values, which shows where the
 * model is biased (e.g. a capped RUL target over-predicted near failure).
 */
export interface RegressionFigures {
  /** At most MAX_POINTS test rows, at an even stride over the test rows in order. */
  actual: number[];
  predicted: number[];
  rows: number;
  bins: { center: number; mean: number; sd: number; count: number }[];
}

const MAX_POINTS = 2000;
const BINS = 12;

export function residualBins(actual: ArrayLike<number>, predicted: ArrayLike<number>, bins = BINS) {
  const order = Array.from({ length: actual.length }, (_, i) => i).sort(
    (a, b) => (actual[a] as number) - (actual[b] as number),
  );
  const out: RegressionFigures['bins'] = [];
  for (let b = 0; b < bins; b++) {
    const idx = order.slice(Math.floor((b * order.length) / bins), Math.floor(((b + 1) * order.length) / bins));
    if (idx.length === 0) continue;
    const res = idx.map((i) => (predicted[i] as number) - (actual[i] as number));
    const mean = res.reduce((a, v) => a + v, 0) / res.length;
    const sd = Math.sqrt(res.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(res.length - 1, 1));
    const center = idx.reduce((a, i) => a + (actual[i] as number), 0) / idx.length;
    out.push({ center: round(center), mean: round(mean), sd: round(sd), count: idx.length });
  }
  return out;
}

export const regressionSection: ReportSection<RegressionFigures> = {
  build({ trained, dataset }) {
    const rows = trained.test.rows;
    const actual = Float64Array.from(rows, (r) => dataset.target?.[r] ?? Number.NaN);
    const predicted = trained.test.scores;
    const at = strideIndices(rows.length, MAX_POINTS);
    return {
      actual: pick(actual, at),
      predicted: pick(predicted, at),
      rows: rows.length,
      bins: residualBins(actual, predicted),
    };
  },

  render(f, { label, metrics }) {
    const residuals = f.predicted.map((p, i) => p - f.actual[i]!);
    const mae = metrics.metrics.mae ?? metrics.metrics.rmse;
    return [
      card('Predicted and actual', [
        `<div class="charts">${[
          xyChart(
            `Predicted vs actual, ${label}`,
            [
              { kind: 'diagonal', name: 'perfect' },
              { kind: 'points', name: 'test row', x: f.actual, y: f.predicted, radius: 2.2 },
            ],
            { width: 400, height: 380, x: { label: 'actual' }, y: { label: 'predicted' } },
          ),
          xyChart(
            `Residuals by actual value, ${label}`,
            [
              { kind: 'hline', name: 'no error', value: 0, color: '#9aa5b1', dash: false },
              { kind: 'points', name: 'test row', x: f.actual, y: residuals, radius: 2, opacity: 0.35 },
              {
                kind: 'line',
                name: 'mean per bin',
                x: f.bins.map((b) => b.center),
                y: f.bins.map((b) => b.mean),
                color: '#e45756',
                width: 2.2,
              },
              {
                kind: 'line',
                name: '± sd',
                x: f.bins.map((b) => b.center),
                y: f.bins.map((b) => b.mean + b.sd),
                color: '#e45756',
                dash: true,
                width: 1,
              },
              {
                kind: 'line',
                name: '− sd',
                x: f.bins.map((b) => b.center),
                y: f.bins.map((b) => b.mean - b.sd),
                color: '#e45756',
                dash: true,
                width: 1,
                hideInLegend: true,
              },
            ],
            { width: 560, height: 380, x: { label: 'actual' }, y: { label: 'predicted − actual' } },
          ),
        ].join('')}</div>`,
        note(
          `${f.actual.length < f.rows ? `${f.actual.length} of ${f.rows} test rows drawn (even stride); ` : ''}bins: ${f.bins.length} equal-count bins of the actual value${mae !== undefined ? `; MAE ${formatNumber(mae, 4)}` : ''}.`,
        ),
      ]),
    ];
  },
};
