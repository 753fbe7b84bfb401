import { windowsFromLabels, type NabWindow } from '../anomaly/nab/nab-windows.js';
import type { Dataset } from './types.js';

/** One group's rows in row order, as a series of the dataset's first feature, with its labelled windows. */
export interface GroupSeries {
  group: string;
  rows: Int32Array;
  series: Float64Array;
  labels: Float64Array | null;
  windows: NabWindow[];
}

/** The groups that `rows` touch, each with all of that group's rows among `rows` (in row order). */
export function groupSeries(ds: Dataset, rows: Int32Array, feature = 0): GroupSeries[] {
  const byGroup = new Map<number, number[]>();
  for (const r of rows) {
    const g = ds.groups.index[r] as number;
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(r);
  }
  return [...byGroup].map(([g, list]) => {
    const groupRows = Int32Array.from(list).sort();
    const labels = ds.target ? Float64Array.from(groupRows, (r) => ds.target![r] as number) : null;
    return {
      group: ds.groups.names[g] ?? String(g),
      rows: groupRows,
      series: Float64Array.from(groupRows, (r) => ds.data[feature * ds.rows + r] as number),
      labels,
      windows: labels ? windowsFromLabels(labels) : [],
    };
  });
}
