/**
 * Deterministic minimisation over (0, 1)^d for the smoothing parameters: a
 * grid over every combination of `grid` values, then a compass search from the
 * best grid point (each coordinate tried +step then −step in order, the first
 * improvement taken; a pass without one halves the step; stop below
 * `minStep`). Plain loops and a fixed order, so a NumPy/Python re-implementation
 * (test/fixtures/forecasters/reference.py) lands on the same parameters.
 * Grid: values from 0.001 to 0.99, denser near 0 where noisy series put α.
 */
export const unitGrid = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99] as const;

export function minimiseOnUnitBox(
  f: (x: readonly number[]) => number,
  dims: number,
  options: { grid?: readonly number[]; step?: number; minStep?: number; lower?: number; upper?: number } = {},
): number[] {
  const grid = options.grid ?? unitGrid;
  const lower = options.lower ?? 0.0001;
  const upper = options.upper ?? 0.9999;
  let best: number[] = [];
  let bestValue = Infinity;
  const point = new Array<number>(dims).fill(0);
  const visit = (d: number): void => {
    if (d === dims) {
      const v = f(point);
      if (v < bestValue) {
        bestValue = v;
        best = [...point];
      }
      return;
    }
    for (const g of grid) {
      point[d] = g;
      visit(d + 1);
    }
  };
  visit(0);
  let step = options.step ?? 0.05;
  const minStep = options.minStep ?? 0.001;
  for (let pass = 0; pass < 500 && step >= minStep; pass++) {
    let improved = false;
    for (let d = 0; d < dims; d++) {
      for (const sign of [1, -1]) {
        const candidate = [...best];
        candidate[d] = Math.min(upper, Math.max(lower, (best[d] as number) + sign * step));
        if (candidate[d] === best[d]) continue;
        const v = f(candidate);
        if (v < bestValue) {
          bestValue = v;
          best = candidate;
          improved = true;
          break;
        }
      }
    }
    if (!improved) step /= 2;
  }
  return best;
}
