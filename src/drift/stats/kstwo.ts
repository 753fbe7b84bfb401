/**
 * Survival function of the two-sided one-sample KS statistic D_n for finite n:
 * scipy.stats.kstwo.sf(x, n). ks_2samp's asymptotic mode evaluates it at
 * n = round(m*n/(m+n)). The algorithm choice per (n, x) region is Simard &
 * L'Ecuyer (2011) as coded in SciPy's _ksstats.py, so results agree to ~1e-13.
 */
import { durbinMatrixCdf, pelzGoodCdf, pomeranzCdf } from './kolmogorov-cdf.js';
import { smirnovSf } from './smirnov.js';

const clip = (p: number): number => Math.min(1, Math.max(0, p));

// log(n!/n^n) by Stirling's series with n*log(n) removed up front (no cancellation).
const STIRLING_COEFFS = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * y + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

/** P(D_n >= x). */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  // kstwo's support is [1/(2n), 1].
  if (x <= 0.5 / n) return 1;
  if (x >= 1) return 0;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: P(D_n <= x) = n!/n^n (2t - 1)^n for 1/(2n) <= x <= 1/n.
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip(1 - clip(durbinMatrixCdf(n, x)));
    if (nxSquared <= 4) return clip(1 - clip(pomeranzCdf(n, x)));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnovSf(n, x));
  let cdf: number;
  if (nxSquared >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = durbinMatrixCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip(1 - clip(cdf));
}
