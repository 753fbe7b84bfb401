import { writeFileAtomic } from '../../integrity/atomic-write.js';
import { renderComparisonReport, renderTrainingReport, type ReportView } from './training-report.js';

/** Writes the training report of one version (atomically: beside the target, then renamed); returns the path. */
export async function writeTrainingReport(file: string, view: ReportView, now = new Date()): Promise<string> {
  await writeFileAtomic(file, renderTrainingReport(view, { generatedAt: now.toISOString() }));
  return file;
}

/** Writes the side-by-side report of two versions; returns the path. */
export async function writeComparisonReport(
  file: string,
  a: ReportView,
  b: ReportView,
  now = new Date(),
): Promise<string> {
  await writeFileAtomic(file, renderComparisonReport(a, b, { generatedAt: now.toISOString() }));
  return file;
}
