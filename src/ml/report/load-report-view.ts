import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StoredModel } from '../pipelines/stored-model.js';
import type { ReportData } from './report-section.js';
import { importancesOf } from './report-sections.js';
import type { ReportView } from './training-report.js';

/**
 * A registered version as the report draws it: metrics.json, params.json and
 * report-data.json. A version registered before report-data.json existed gets
 * the tables and (from model.json) the importances, with a note to retrain.
 */
export async function reportViewOf(model: StoredModel): Promise<ReportView> {
  const file = path.join(model.dir, 'report-data.json');
  let data: ReportData | null = null;
  if (existsSync(file)) data = JSON.parse(await readFile(file, 'utf8')) as ReportData;
  else {
    const importances = importancesOf(await model.readModelJson(), model.featureNames);
    if (importances) data = { formatVersion: 1, evaluation: model.metrics.kind, section: null, importances };
  }
  return {
    label: `${model.name}@${model.version}`,
    description: model.entry.description,
    modelKind: model.entry.modelKind,
    metrics: model.metrics,
    data,
    params: model.params,
    registeredAt: model.entry.createdAt,
  };
}
