import { anomalySection } from './anomaly-section.js';
import { classificationSection } from './classification-section.js';
import { forecastSection } from './forecast-section.js';
import { regressionSection } from './regression-section.js';
import type { ReportData, ReportSection, SectionInput } from './report-section.js';
import { rulSection } from './rul-section.js';

/**
 * The section per evaluation kind (metrics.kind). A new kind adds its file and
 * one line here; a kind without a section still gets the header, the figures
 * over seeds and the references.
 */
export const reportSections: Partial<Record<string, ReportSection<never>>> = {
  classification: classificationSection as ReportSection<never>,
  regression: regressionSection as ReportSection<never>,
  rul: rulSection as ReportSection<never>,
  forecast: forecastSection as ReportSection<never>,
  anomaly: anomalySection as ReportSection<never>,
};

/** What report-data.json holds for a registered version: its section's figures and the importances. */
export function buildReportData(input: SectionInput): ReportData {
  const section = reportSections[input.metrics.kind];
  return {
    formatVersion: 1,
    evaluation: input.metrics.kind,
    section: section ? (section.build(input) as unknown) : null,
    importances: importancesOf(input.trained.model, input.trained.featureNames),
  };
}

/** `featureImportances` of a model's JSON (forests, boosting), when it has one per feature. */
export function importancesOf(model: unknown, names: readonly string[]): ReportData['importances'] {
  const values = (model as { featureImportances?: unknown } | null)?.featureImportances;
  if (!Array.isArray(values) || values.length !== names.length || !values.every((v) => typeof v === 'number'))
    return null;
  return { names: [...names], values: values as number[] };
}
