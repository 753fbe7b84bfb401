/**
 * NAB's weighting of a detection by where it falls relative to a window
 * (numenta/NAB nab/sweeper.py `scaledSigmoid`): 2·σ(−5y) − 1, and −1 beyond
 * y = 3. y = −1 is a window's left edge (0.98661), 0 its right edge (0),
 * y > 0 a false positive that far past the previous window's right edge,
 * measured in window lengths (y = 1 gives −0.98661).
 */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}
