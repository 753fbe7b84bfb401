/**
 * A DriftReport as a cli-table3 table: one row per column with the deciding
 * test, its statistic, the p-value or distance compared to the threshold,
 * and the verdict. Returns the string; the CLI prints it.
 */
import Table from 'cli-table3';
import { formatNumber, formatPercent } from '../../report/format-number.js';
import type { ColumnDriftResult, DriftReport } from '../types.js';

function verdict(c: ColumnDriftResult): string {
  if (c.status === 'insufficient-data') return 'insufficient data';
  if (c.status === 'kind-mismatch') return 'yes (kind changed)';
  return c.drifted ? 'yes' : 'no';
}

function scoreCell(c: ColumnDriftResult): string {
  if (c.score === null) return '—';
  const label = c.scoreKind === 'p-value' ? (c.adjustedPValue !== null ? 'p(BH)' : 'p') : 'd';
  return `${label} ${formatNumber(c.score)}`;
}

export interface TableOptions {
  /** Style the header in colour (terminals only). */
  color?: boolean;
}

export function renderDriftTable(report: DriftReport, options: TableOptions = {}): string {
  const table = new Table({
    head: ['column', 'test', 'statistic', 'p-value / distance', 'threshold', 'drifted'],
    style: options.color ? { head: ['cyan'] } : { head: [], border: [] },
  });
  for (const c of report.columns) {
    table.push([
      c.column,
      c.test,
      formatNumber(c.statistic),
      scoreCell(c),
      `${c.scoreKind === 'p-value' ? '<' : '>='} ${formatNumber(c.threshold)}`,
      verdict(c),
    ]);
  }
  const summary =
    report.status === 'insufficient-data'
      ? 'Dataset drift: not decided (no column had enough data)'
      : `Dataset drift: ${report.datasetDrift ? 'YES' : 'no'} — ${report.driftedColumns} of ${report.testedColumns} columns drifted (${formatPercent(report.shareDrifted)}, threshold ${formatPercent(report.driftShareThreshold)})`;
  return `${table.toString()}\n${summary}`;
}
