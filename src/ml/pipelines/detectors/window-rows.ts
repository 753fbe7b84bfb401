import { rowPositions } from '../features/dataset-ops.js';
import type { Dataset } from '../types.js';

/**
 * The rows of the window ending at each requested row: the `window` rows of the
 * same group at positions p − window + 1 … p. A window that would reach before
 * the group's first row, or over a gap in positions, is incomplete: its row is
 * left out (`complete[i] = false`), so no row is scored on data it lacks.
 */
export function windowRows(
  ds: Dataset,
  rows: Int32Array,
  window: number,
): { members: Int32Array; complete: boolean[]; count: number } {
  const positions = rowPositions(ds);
  const index = new Map<number, Map<number, number>>();
  for (let r = 0; r < ds.rows; r++) {
    const g = ds.groups.index[r] as number;
    let m = index.get(g);
    if (!m) index.set(g, (m = new Map()));
    m.set(positions[r] as number, r);
  }
  const members: number[] = [];
  const complete: boolean[] = [];
  let count = 0;
  for (const r of rows) {
    const byPosition = index.get(ds.groups.index[r] as number)!;
    const end = positions[r] as number;
    const w: number[] = [];
    for (let p = end - window + 1; p <= end; p++) {
      const q = byPosition.get(p);
      if (q === undefined) break;
      w.push(q);
    }
    const ok = w.length === window;
    complete.push(ok);
    if (ok) {
      members.push(...w);
      count++;
    }
  }
  return { members: Int32Array.from(members), complete, count };
}
