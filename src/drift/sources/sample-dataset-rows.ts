/**
 * A seeded uniform sample of whole rows of an in-memory dataset (the CSV
 * path; database windows sample while streaming instead). Row indices go
 * through the engine's reservoir, then every column keeps the same rows, so
 * numeric and categorical columns stay aligned.
 */
import { Reservoir } from './reservoir.js';
import type { DriftColumn, DriftDataset } from '../types.js';

export function sampleDatasetRows(dataset: DriftDataset, size: number, seed: number): DriftDataset {
  const columns =
    dataset.columns instanceof Map
      ? dataset.columns
      : new Map(Object.entries(dataset.columns as Record<string, DriftColumn>));
  let rows = 0;
  for (const column of columns.values()) rows = Math.max(rows, column.values.length);
  if (rows <= size)
    return { ...dataset, columns, totalRows: dataset.totalRows ?? rows, sampled: dataset.sampled ?? false };
  const reservoir = new Reservoir(size, seed);
  for (let i = 0; i < rows; i++) reservoir.add(i);
  // Ascending row order keeps the sample in the file's order (deterministic, and kinder to caches).
  const picked = reservoir.result().values.sort();
  const sampled = new Map<string, DriftColumn>();
  for (const [name, column] of columns) {
    if (column.kind === 'numeric') {
      const values = new Float64Array(picked.length);
      for (let k = 0; k < picked.length; k++) values[k] = column.values[picked[k]!] ?? Number.NaN;
      sampled.set(name, { kind: 'numeric', values });
    } else {
      sampled.set(name, { kind: 'categorical', values: Array.from(picked, (i) => column.values[i] ?? null) });
    }
  }
  return { columns: sampled, totalRows: dataset.totalRows ?? rows, sampled: true };
}
