import { inputError } from '../../../errors.js';
import type { Dataset, Groups } from '../types.js';

/** Row indices of each group, in row order, groups in order of first appearance. */
export function rowsByGroup(groups: Groups): Int32Array[] {
  const lists = groups.names.map(() => [] as number[]);
  for (let r = 0; r < groups.index.length; r++) lists[groups.index[r] as number]!.push(r);
  return lists.filter((l) => l.length > 0).map((l) => Int32Array.from(l));
}

/** Stacks per-part column-major blocks (same feature names) into one dataset. */
export function stackParts(
  featureNames: string[],
  parts: {
    data: Float64Array;
    rows: number;
    target: Float64Array | null;
    truth?: Float64Array | undefined;
    group: number;
    time: Float64Array | null;
    /** Each row's position in its group's source rows (see Dataset.position). */
    position?: Int32Array;
  }[],
  base: Pick<Dataset, 'encoding'> & { groupNames: string[] },
): Dataset {
  const rows = parts.reduce((s, p) => s + p.rows, 0);
  const cols = featureNames.length;
  const data = new Float64Array(rows * cols);
  const hasTarget = parts.length > 0 && parts.every((p) => p.target !== null);
  const hasTime = parts.length > 0 && parts.every((p) => p.time !== null);
  const target = hasTarget ? new Float64Array(rows) : null;
  const time = hasTime ? new Float64Array(rows) : null;
  const truth = parts.length > 0 && parts.every((p) => p.truth !== undefined) ? new Float64Array(rows) : undefined;
  const index = new Int32Array(rows);
  const position = parts.some((p) => p.position) ? new Int32Array(rows) : undefined;
  let at = 0;
  for (const p of parts) {
    if (position) position.set(p.position ?? Int32Array.from({ length: p.rows }, (_, i) => i), at);
    for (let j = 0; j < cols; j++) data.set(p.data.subarray(j * p.rows, (j + 1) * p.rows), j * rows + at);
    if (target) target.set(p.target!, at);
    if (time) time.set(p.time!, at);
    if (truth) truth.set(p.truth!, at);
    index.fill(p.group, at, at + p.rows);
    at += p.rows;
  }
  return {
    shape: 'dataset',
    featureNames,
    rows,
    data,
    target,
    groups: { names: base.groupNames, index },
    time,
    encoding: base.encoding,
    ...(truth ? { truth } : {}),
    ...(position ? { position } : {}),
  };
}

/** Each row's position in its group's source rows: Dataset.position, or the row's rank within its group. */
export function rowPositions(ds: Pick<Dataset, 'rows' | 'groups' | 'position'>): Int32Array {
  if (ds.position) return ds.position;
  const seen = new Int32Array(ds.groups.names.length);
  const out = new Int32Array(ds.rows);
  for (let r = 0; r < ds.rows; r++) out[r] = seen[ds.groups.index[r] as number]!++;
  return out;
}

/** Rows of a column-major matrix picked by index. */
export function takeRows(data: Float64Array, rows: number, cols: number, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length * cols);
  for (let j = 0; j < cols; j++) {
    const src = j * rows;
    const dst = j * indices.length;
    for (let i = 0; i < indices.length; i++) out[dst + i] = data[src + (indices[i] as number)] as number;
  }
  return out;
}

export function subset(ds: Dataset, indices: Int32Array): Dataset {
  const positions = rowPositions(ds);
  return {
    ...ds,
    rows: indices.length,
    data: takeRows(ds.data, ds.rows, ds.featureNames.length, indices),
    target: ds.target ? Float64Array.from(indices, (i) => ds.target![i] as number) : null,
    time: ds.time ? Float64Array.from(indices, (i) => ds.time![i] as number) : null,
    ...(ds.truth ? { truth: Float64Array.from(indices, (i) => ds.truth![i] as number) } : {}),
    groups: { names: ds.groups.names, index: Int32Array.from(indices, (i) => ds.groups.index[i] as number) },
    position: Int32Array.from(indices, (i) => positions[i] as number),
    ...(ds.columns
      ? {
          columns: Object.fromEntries(
            Object.entries(ds.columns).map(([k, v]) => [k, Float64Array.from(indices, (i) => v[i] as number)]),
          ),
        }
      : {}),
  };
}

/** Trees need finite inputs: name the first feature and row that is not. */
export function assertFiniteFeatures(ds: Dataset, stage: string): void {
  for (let j = 0; j < ds.featureNames.length; j++) {
    for (let r = 0; r < ds.rows; r++) {
      if (!Number.isFinite(ds.data[j * ds.rows + r])) {
        throw inputError(
          `${stage}: feature ${JSON.stringify(ds.featureNames[j])} is missing or not finite at row ${r} (group ${ds.groups.names[ds.groups.index[r] as number]})`,
          {
            hint: 'Clean the source, or choose columns without gaps.',
          },
        );
      }
    }
  }
}
