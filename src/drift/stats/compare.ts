/**
 * compareDatasets: per-column drift tests between a reference and a current
 * window, and the dataset verdict. Pure: takes in-memory columns, returns a
 * DriftReport as data (nothing printed, nothing thrown for drift itself).
 *
 * @example
 *   const report = compareDatasets(
 *     { columns: { torque: { kind: 'numeric', values: refTorque } } },
 *     { columns: { torque: { kind: 'numeric', values: curTorque } } },
 *     { pValueCorrection: 'benjamini-hochberg' },
 *   );
 *   if (report.datasetDrift) console.log(report.shareDrifted);
 */
import { usageError } from '../../errors.js';
import { categoricalStatistics, distinctValueStatistics, numericStatistics } from './column-statistics.js';
import { AUTO_FEW_VALUES, chooseTest } from './method-selection.js';
import { benjaminiHochberg } from './multiple-testing.js';
import { distinctCountsUpTo, sortFinite } from './sorted-sample.js';
import { decideColumn } from './column-decision.js';
import {
  type ColumnDriftResult,
  type CompareOptions,
  DEFAULT_THRESHOLDS,
  type DriftColumn,
  type DriftDataset,
  type DriftReport,
  PVALUE_TESTS,
} from '../types.js';

function columnMap(dataset: DriftDataset): ReadonlyMap<string, DriftColumn> {
  const c = dataset.columns;
  return c instanceof Map ? c : new Map(Object.entries(c as Record<string, DriftColumn>));
}

function rowCount(columns: ReadonlyMap<string, DriftColumn>): number {
  let rows = 0;
  for (const column of columns.values()) rows = Math.max(rows, column.values.length);
  return rows;
}

function presentStrings(values: readonly (string | null)[]): string[] {
  return values.filter((v): v is string => v !== null && v !== '');
}

function validateOptions(options: CompareOptions): void {
  const share = options.driftShare ?? 0.5;
  if (!(share > 0 && share <= 1)) throw usageError(`driftShare must be in (0, 1], got ${share}`);
  const minSamples = options.minSamples ?? 5;
  if (!(Number.isInteger(minSamples) && minSamples >= 1))
    throw usageError(`minSamples must be a positive integer, got ${minSamples}`);
  for (const [name, value] of [
    ...Object.entries(options.thresholds ?? {}),
    ...Object.entries(options.columnThresholds ?? {}),
  ]) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0))
      throw usageError(`Threshold for '${name}' must be a non-negative number`);
  }
}

/** Test one column pair; `pValue` is left unadjusted here. */
function testColumn(name: string, ref: DriftColumn, cur: DriftColumn, options: CompareOptions): ColumnDriftResult {
  const minSamples = options.minSamples ?? 5;
  const base = { column: name, kind: ref.kind, adjustedPValue: null } as const;
  if (ref.kind !== cur.kind) {
    const choice = chooseTest(
      name,
      ref.kind,
      ref.values.length,
      options.columnMethods?.[name],
      options.method ?? 'auto',
    );
    return {
      ...base,
      status: 'kind-mismatch',
      note: `reference is ${ref.kind}, current is ${cur.kind}`,
      test: choice.test,
      chosenBy: choice.chosenBy,
      statistic: null,
      pValue: null,
      score: null,
      scoreKind: PVALUE_TESTS.includes(choice.test) ? 'p-value' : 'distance',
      threshold:
        options.columnThresholds?.[name] ?? options.thresholds?.[choice.test] ?? DEFAULT_THRESHOLDS[choice.test],
      drifted: true,
      referenceCount: ref.values.length,
      currentCount: cur.values.length,
      referenceMissing: 0,
      currentMissing: 0,
    };
  }
  if (ref.kind === 'numeric' && cur.kind === 'numeric') {
    const a = sortFinite(ref.values);
    const b = sortFinite(cur.values);
    // Evidently tests a numeric column with few distinct values (both sides together) as categories.
    const distinct = distinctCountsUpTo(a.values, b.values, AUTO_FEW_VALUES);
    const choice = chooseTest(
      name,
      'numeric',
      a.values.length,
      options.columnMethods?.[name],
      options.method ?? 'auto',
      distinct?.values.length,
    );
    const counts = {
      referenceCount: a.values.length,
      currentCount: b.values.length,
      referenceMissing: a.dropped,
      currentMissing: b.dropped,
    };
    if (a.values.length < minSamples || b.values.length < minSamples) {
      return decideColumn({ ...base, ...counts, choice, options, insufficient: minSamples });
    }
    const numeric = numericStatistics(a.values, b.values, {
      mannWhitney: choice.test === 'mannwhitney',
      anderson: choice.test === 'anderson',
      histogramBins: options.histogramBins ?? 30,
    });
    const categorical = distinct ? distinctValueStatistics(distinct) : undefined;
    return decideColumn({ ...base, ...counts, choice, options, numeric, ...(categorical ? { categorical } : {}) });
  }
  const a = presentStrings(ref.values as readonly (string | null)[]);
  const b = presentStrings(cur.values as readonly (string | null)[]);
  const choice = chooseTest(name, 'categorical', a.length, options.columnMethods?.[name], options.method ?? 'auto');
  const counts = {
    referenceCount: a.length,
    currentCount: b.length,
    referenceMissing: ref.values.length - a.length,
    currentMissing: cur.values.length - b.length,
  };
  if (a.length < minSamples || b.length < minSamples) {
    return decideColumn({ ...base, ...counts, choice, options, insufficient: minSamples });
  }
  return decideColumn({ ...base, ...counts, choice, options, categorical: categoricalStatistics(a, b) });
}

export function compareDatasets(
  reference: DriftDataset,
  current: DriftDataset,
  options: CompareOptions = {},
): DriftReport {
  validateOptions(options);
  const refColumns = columnMap(reference);
  const curColumns = columnMap(current);
  const onlyInReference = [...refColumns.keys()].filter((c) => !curColumns.has(c));
  const onlyInCurrent = [...curColumns.keys()].filter((c) => !refColumns.has(c));
  const names = options.columns ?? [...refColumns.keys()].filter((c) => curColumns.has(c));
  for (const name of names) {
    if (!refColumns.has(name) || !curColumns.has(name)) {
      throw usageError(`Column '${name}' is not in both datasets`, { hint: 'Check the column names of both windows' });
    }
  }
  // A per-column override naming no compared column is a typo that would silently do nothing.
  for (const [what, overrides] of [
    ['columnThresholds', options.columnThresholds],
    ['columnMethods', options.columnMethods],
  ] as const) {
    const unknown = Object.keys(overrides ?? {}).filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      throw usageError(
        `${what}: ${unknown.map((n) => `'${n}'`).join(', ')} ${unknown.length === 1 ? 'is not a compared column' : 'are not compared columns'}`,
        {
          hint: `Compared columns: ${names.join(', ') || '(none)'}`,
        },
      );
    }
  }
  const columns = names.map((name) => testColumn(name, refColumns.get(name)!, curColumns.get(name)!, options));

  const correction = options.pValueCorrection ?? 'none';
  if (correction === 'benjamini-hochberg') {
    const eligible = columns.filter((c) => c.status === 'tested' && c.scoreKind === 'p-value' && c.pValue !== null);
    const adjusted = benjaminiHochberg(eligible.map((c) => c.pValue!));
    eligible.forEach((c, i) => {
      c.adjustedPValue = adjusted[i]!;
      c.score = adjusted[i]!;
      c.drifted = adjusted[i]! < c.threshold;
    });
  }

  const counted = columns.filter((c) => c.status !== 'insufficient-data');
  const drifted = counted.filter((c) => c.drifted).length;
  const share = counted.length === 0 ? 0 : drifted / counted.length;
  const driftShareThreshold = options.driftShare ?? 0.5;
  const refRows = rowCount(refColumns);
  const curRows = rowCount(curColumns);
  return {
    datasetDrift: counted.length > 0 && share >= driftShareThreshold,
    status: counted.length === 0 ? 'insufficient-data' : 'tested',
    driftedColumns: drifted,
    testedColumns: counted.length,
    shareDrifted: share,
    driftShareThreshold,
    pValueCorrection: correction,
    columns,
    onlyInReference,
    onlyInCurrent,
    reference: { rows: refRows, totalRows: reference.totalRows ?? refRows, sampled: reference.sampled ?? false },
    current: { rows: curRows, totalRows: current.totalRows ?? curRows, sampled: current.sampled ?? false },
  };
}
