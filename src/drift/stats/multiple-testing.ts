/**
 * Benjamini–Hochberg false-discovery-rate adjustment, as
 * statsmodels.stats.multitest.multipletests(p, method='fdr_bh')[1]:
 *   adjusted_(i) = min_{j >= i} min(1, m / j · p_(j)) over ascending p.
 * Testing many columns at p < 0.05 flags about 5% of stable columns by
 * chance; comparing adjusted p-values to the threshold bounds the expected
 * share of false alarms among the flagged columns instead.
 */

/** Adjusted p-values in the input order. NaN inputs stay NaN and do not count towards m. */
export function benjaminiHochberg(pvalues: readonly number[]): number[] {
  const indices = pvalues.map((_, i) => i).filter((i) => !Number.isNaN(pvalues[i]!));
  const m = indices.length;
  const adjusted = pvalues.map(() => Number.NaN);
  indices.sort((a, b) => pvalues[a]! - pvalues[b]!);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = indices[rank - 1]!;
    running = Math.min(running, pvalues[index]! / (rank / m)); // statsmodels divides by the ECDF rank/m
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}
