import type { EvaluationSpec } from '../../pipeline/schema.js';
import type { Metrics } from '../pipelines/evaluate-stage.js';
import type { Dataset, TrainedModel } from '../pipelines/types.js';

/**
 * The training report (`smx train --report`, `smx models show --report`) is
 * one page per model version: a header with the headline over seeds, the
 * figures beside their references, a chart of the seeds, then one *section*
 * per evaluation kind, then feature importances. A section has two halves:
 *
 * - `build` runs once at training, on the registered seed's test predictions,
 *   and returns the figures its charts need (curves, thinned series, bins).
 *   They are stored as report-data.json with the version, so
 *   `smx models show --report` draws the page without the data or the model.
 *   Keep it small (a few thousand numbers): thin long series (src/report/thin-series.ts).
 * - `render` turns those figures into cards of inline SVG (src/report/svg-chart.ts,
 *   svg-grid-charts.ts) and tables (src/report/html-page.ts).
 *
 * A new evaluation kind (anomaly protocols, remaining useful life, forecasts
 * against statistical baselines) adds a file with its section and one line in
 * report-sections.ts.
 */
export interface SectionInput {
  /** The pipeline's evaluation settings. */
  evaluation: EvaluationSpec;
  /** The dataset the model was evaluated on (test rows are trained.test.rows). */
  dataset: Dataset;
  /** The registered model's test predictions (trained.test) and, where it has them, fit scores. */
  trained: TrainedModel;
  /** metrics.json as registered (over seeds: means, with the registered seed's detail). */
  metrics: Metrics;
}

export interface RenderContext {
  metrics: Metrics;
  /** "ai4i-failure@3", used in chart titles. */
  label: string;
}

export interface ReportSection<Data> {
  build(input: SectionInput): Data;
  /** Cards of already-escaped HTML. */
  render(data: Data, context: RenderContext): string[];
}

/** report-data.json: what the page needs beyond metrics.json. */
export interface ReportData {
  formatVersion: 1;
  /** The evaluation kind whose section built `section` (metrics.kind). */
  evaluation: string;
  section: unknown;
  /** Importance per feature, when the model records one (forests: mean decrease in impurity; boosting: gain). */
  importances: { names: string[]; values: number[] } | null;
}
