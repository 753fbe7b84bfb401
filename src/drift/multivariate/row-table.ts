/**
 * Rows for the multivariate checks: numeric columns side by side with no
 * missing value in a row. CSV and model inputs are rows already; sensor
 * windows are aligned on time first — each sensor's readings rounded to a
 * shared grid (the slowest sensor's usual interval) and a row kept where every
 * sensor has a reading in that cell.
 */
import type { DriftColumn, DriftDataset } from '../types.js';

export interface RowTable {
  columns: string[];
  /** Column-major: column j of row r at data[j * rows + r]. */
  data: Float64Array;
  rows: number;
}

/** The numeric columns of a dataset (categorical ones left out), rows with any NaN dropped. */
export function rowTableOf(dataset: DriftDataset, names?: readonly string[]): RowTable {
  const all =
    dataset.columns instanceof Map
      ? (dataset.columns as ReadonlyMap<string, DriftColumn>)
      : new Map(Object.entries(dataset.columns as Record<string, DriftColumn>));
  const columns = (names ?? [...all.keys()]).filter((n) => all.get(n)?.kind === 'numeric');
  const arrays = columns.map((n) => all.get(n)!.values as Float64Array);
  const length = Math.min(...arrays.map((a) => a.length));
  const keep: number[] = [];
  for (let r = 0; r < length; r++) if (arrays.every((a) => Number.isFinite(a[r]!))) keep.push(r);
  const data = new Float64Array(keep.length * columns.length);
  arrays.forEach((a, j) => keep.forEach((r, k) => (data[j * keep.length + k] = a[r]!)));
  return { columns, data, rows: keep.length };
}

export interface TimedColumn {
  name: string;
  /** Epoch ms, ascending. */
  times: Float64Array;
  values: Float64Array;
}

/**
 * Aligns time series on a grid of `resolutionMs`: a cell's value is the
 * sensor's mean there; a row is kept when every sensor has one.
 */
export function alignOnTime(series: readonly TimedColumn[], resolutionMs: number): RowTable {
  const cells = series.map((s) => {
    const sums = new Map<number, { sum: number; n: number }>();
    for (let i = 0; i < s.times.length; i++) {
      const v = s.values[i]!;
      if (!Number.isFinite(v)) continue;
      const key = Math.round(s.times[i]! / resolutionMs);
      const cell = sums.get(key);
      if (cell) {
        cell.sum += v;
        cell.n++;
      } else sums.set(key, { sum: v, n: 1 });
    }
    return sums;
  });
  const first = cells[0];
  const keys = first ? [...first.keys()].filter((k) => cells.every((c) => c.has(k))).sort((a, b) => a - b) : [];
  const data = new Float64Array(keys.length * series.length);
  cells.forEach((c, j) =>
    keys.forEach((key, r) => {
      const cell = c.get(key)!;
      data[j * keys.length + r] = cell.sum / cell.n;
    }),
  );
  return { columns: series.map((s) => s.name), data, rows: keys.length };
}

/** Rows `from..to` (exclusive) and the rest, as two tables. */
export function splitRows(table: RowTable, from: number, to: number): { inside: RowTable; outside: RowTable } {
  const p = table.columns.length;
  const nIn = to - from;
  const nOut = table.rows - nIn;
  const inside = new Float64Array(nIn * p);
  const outside = new Float64Array(nOut * p);
  for (let j = 0; j < p; j++) {
    const col = table.data.subarray(j * table.rows, (j + 1) * table.rows);
    inside.set(col.subarray(from, to), j * nIn);
    outside.set(col.subarray(0, from), j * nOut);
    outside.set(col.subarray(to), j * nOut + from);
  }
  return {
    inside: { columns: table.columns, data: inside, rows: nIn },
    outside: { columns: table.columns, data: outside, rows: nOut },
  };
}

/** At most `max` rows, taken at an even stride (deterministic, and spread over the whole window). */
export function strideRows(table: RowTable, max: number): RowTable {
  if (table.rows <= max) return table;
  const p = table.columns.length;
  const data = new Float64Array(max * p);
  for (let k = 0; k < max; k++) {
    const r = Math.floor((k * table.rows) / max);
    for (let j = 0; j < p; j++) data[j * max + k] = table.data[j * table.rows + r]!;
  }
  return { columns: table.columns, data, rows: max };
}

/** Two tables' rows one after the other (same columns). */
export function stackRows(a: RowTable, b: RowTable): RowTable {
  const p = a.columns.length;
  const rows = a.rows + b.rows;
  const data = new Float64Array(rows * p);
  for (let j = 0; j < p; j++) {
    data.set(a.data.subarray(j * a.rows, (j + 1) * a.rows), j * rows);
    data.set(b.data.subarray(j * b.rows, (j + 1) * b.rows), j * rows + a.rows);
  }
  return { columns: a.columns, data, rows };
}
