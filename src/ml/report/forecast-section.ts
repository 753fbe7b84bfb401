import { formatNumber } from '../../report/format-number.js';
import { card, note, table } from '../../report/html-page.js';
import { xyChart } from '../../report/svg-chart.js';
import { pick, strideIndices } from '../../report/thin-series.js';
import { meanAbsoluteError } from '../metrics/regression-metrics.js';
import { forecastBaselines } from '../pipelines/forecast-evaluation.js';
import type { ReportSection, SectionInput } from './report-section.js';

/**
 * Forecast: the test period's actual series with the model's forecast and the
 * best baseline's (lowest MAE on the same points, the statistical forecasters
 * included; a statistical model is not its own baseline) overlaid, the whole
 * period and its last stretch up close, and every baseline's MAE beside the
 * model's.
 */
export interface ForecastFigures {
  column: string;
  /** Seconds since the test period began when the data has time, else the test step. */
  x: number[];
  xLabel: string;
  actual: number[];
  model: number[];
  best: { name: string; values: number[] } | null;
  mae: Record<string, number>;
  rows: number;
  /** The last ZOOM test points, unthinned. */
  zoom: { x: number[]; actual: number[]; model: number[]; best: number[] | null };
}

/**
 * The evaluation's baselines (naive, seasonal naive, the statistical
 * forecasters, each fitted on the series before the test period), recomputed
 * here as forecast-evaluation.ts does; the model stage's own naive pair when
 * the test period does not follow a training part (a hand-made dataset).
 */
function baselinesOf({ trained, dataset, evaluation }: SectionInput, j: number): Record<string, Float64Array> {
  const from = trained.test.rows[0] ?? 0;
  const season = evaluation.kind === 'forecast' ? evaluation.season : 1;
  if (from >= Math.max(2, season))
    return forecastBaselines(dataset.data.slice(j * dataset.rows, (j + 1) * dataset.rows), from, season).predictions;
  return trained.test.baselines ?? {};
}

const MAX_POINTS = 1500;
const ZOOM = 300;

export const forecastSection: ReportSection<ForecastFigures> = {
  build(input) {
    const { trained, dataset, metrics } = input;
    const rows = trained.test.rows;
    const column = trained.featureNames[0] ?? '';
    const j = Math.max(0, dataset.featureNames.indexOf(column));
    const actual = Float64Array.from(rows, (r) => dataset.data[j * dataset.rows + r] as number);
    const t0 = dataset.time ? (dataset.time[rows[0] ?? 0] as number) : 0;
    const x = Float64Array.from(rows, (r, i) => (dataset.time ? ((dataset.time[r] as number) - t0) / 1000 : i));
    const mae: Record<string, number> = { model: meanAbsoluteError(actual, trained.test.scores) };
    let best: { name: string; values: Float64Array } | null = null;
    const own = metrics.detail.comparedWithout;
    for (const [name, values] of Object.entries(baselinesOf(input, j))) {
      mae[name] = meanAbsoluteError(actual, values);
      if (name !== own && (!best || mae[name]! < mae[best.name]!)) best = { name, values };
    }
    const at = strideIndices(rows.length, MAX_POINTS);
    const tail = Array.from(
      { length: Math.min(ZOOM, rows.length) },
      (_, k) => rows.length - Math.min(ZOOM, rows.length) + k,
    );
    return {
      column,
      x: pick(x, at),
      xLabel: dataset.time ? 'seconds since the test period began' : 'test step',
      actual: pick(actual, at),
      model: pick(trained.test.scores, at),
      best: best ? { name: best.name, values: pick(best.values, at) } : null,
      mae,
      rows: rows.length,
      zoom: {
        x: pick(x, tail),
        actual: pick(actual, tail),
        model: pick(trained.test.scores, tail),
        best: best ? pick(best.values, tail) : null,
      },
    };
  },

  render(f, { label }) {
    const layers = (x: number[], actual: number[], model: number[], best: number[] | null) => [
      { kind: 'line' as const, name: `actual ${f.column}`, x, y: actual, color: '#7b8794', width: 1.2 },
      ...(best && f.best
        ? [{ kind: 'line' as const, name: `best baseline: ${f.best.name}`, x, y: best, color: '#f58518', dash: true }]
        : []),
      { kind: 'line' as const, name: 'model', x, y: model, color: '#4c78a8' },
    ];
    const modelMae = f.mae.model!;
    return [
      card('Forecast over the test period', [
        xyChart(`Forecast of ${f.column}, ${label}`, layers(f.x, f.actual, f.model, f.best?.values ?? null), {
          width: 1100,
          height: 320,
          x: { label: f.xLabel },
          y: { label: f.column },
        }),
        xyChart(
          `Last ${f.zoom.x.length} test points, ${label}`,
          layers(f.zoom.x, f.zoom.actual, f.zoom.model, f.zoom.best),
          { width: 1100, height: 280, x: { label: f.xLabel }, y: { label: f.column } },
        ),
        table(
          ['forecast', 'MAE on the test points', 'ratio to the model'],
          Object.entries(f.mae).map(([name, v]) => [name, formatNumber(v, 4), formatNumber(v / modelMae, 3)]),
          { numeric: [1, 2] },
        ),
        note(
          `${f.x.length < f.rows ? `${f.x.length} of ${f.rows} test points drawn (even stride) in the first chart; ` : ''}every forecast is one step ahead from the true past.`,
        ),
      ]),
    ];
  },
};
