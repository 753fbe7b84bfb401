import { card, note, table } from '../../report/html-page.js';
import type { RulUnit } from '../pipelines/rul-evaluation.js';
import { regressionSection, residualBins, type RegressionFigures } from './regression-section.js';
import type { ReportSection } from './report-section.js';

/**
 * Remaining useful life: the C-MAPSS protocol scores one prediction per test
 * unit at its last cycle, so the charts are per unit — predicted against the
 * true remaining life (the truth file, uncapped) and the residuals by true
 * value, where a capped model's shortfall on units with more than `cap`
 * cycles left shows — and a table of the model beside its baselines.
 */
export interface RulFigures extends RegressionFigures {
  scores: { name: string; rmse: number; nasa: number }[];
}

export const rulSection: ReportSection<RulFigures> = {
  build({ metrics }) {
    const units = (metrics.detail.units ?? []) as RulUnit[];
    const actual = units.map((u) => u.truth);
    const predicted = units.map((u) => u.predicted);
    const m = metrics.metrics;
    const scores = [
      { name: 'model', rmse: m.rmse, nasa: m.nasa_score },
      { name: 'model, truth capped like the target', rmse: m.rmse_capped_truth, nasa: m.nasa_score_capped_truth },
      { name: 'baseline: constant (mean training target)', rmse: m.constant_rmse, nasa: m.constant_nasa_score },
      { name: 'baseline: age only', rmse: m.age_only_rmse, nasa: m.age_only_nasa_score },
    ].filter((s): s is { name: string; rmse: number; nasa: number } => s.rmse !== undefined && s.nasa !== undefined);
    return { actual, predicted, rows: units.length, bins: residualBins(actual, predicted, 8), scores };
  },

  render(f, context) {
    return [
      ...regressionSection
        .render(f, context)
        .map((html) =>
          html.replace('Predicted and actual', 'Each test unit at its last cycle: predicted and true remaining life'),
        ),
      card('Last-cycle scores beside the baselines', [
        table(
          ['prediction', 'RMSE', 'NASA score'],
          f.scores.map((s) => [s.name, s.rmse.toFixed(2), s.nasa.toFixed(1)]),
          { numeric: [1, 2] },
        ),
        note(
          `${f.rows} test units, one prediction each at its last cycle (charts: the registered seed; table: the version's figures, means over seeds where it has several). NASA score: Σ e^(−d/13) − 1 for d < 0, e^(d/10) − 1 otherwise, d = predicted − true (late predictions cost more).`,
        ),
      ]),
    ];
  },
};
