/**
 * Standardised two-sample Anderson–Darling statistic, as the `statistic` of
 * scipy.stats.anderson_ksamp([a, b]) (midrank=True) in SciPy 1.10:
 * Scholz & Stephens (1987) A²akN, centred by k-1 and divided by its standard
 * deviation under H0. Larger values mean stronger evidence of a difference.
 */
import { usageError } from '../../errors.js';
import { forEachTieGroup } from './sorted-sample.js';

/** A²akN (Scholz & Stephens eq. 7) for two ascending samples, by one merge pass. */
function a2akn(a: Float64Array, b: Float64Array): number {
  const N = a.length + b.length;
  const sizes = [a.length, b.length];
  let below = 0; // pooled values strictly below the current one
  let m1 = 0; // a values strictly below the current one
  let m2 = 0;
  const inner = [0, 0];
  forEachTieGroup(a, b, (_x, f1, f2) => {
    const lj = f1 + f2;
    const bj = below + lj / 2;
    const denominator = bj * (N - bj) - (N * lj) / 4;
    const mij = [m1 + f1 - f1 / 2, m2 + f2 - f2 / 2];
    for (let s = 0; s < 2; s++) {
      inner[s]! += ((lj / N) * (N * mij[s]! - bj * sizes[s]!) ** 2) / denominator;
    }
    below += lj;
    m1 += f1;
    m2 += f2;
  });
  return ((inner[0]! / sizes[0]! + inner[1]! / sizes[1]!) * (N - 1)) / N;
}

export function andersonDarlingTwoSampleSorted(a: Float64Array, b: Float64Array): number {
  const N = a.length + b.length;
  if (a.length === 0 || b.length === 0) throw usageError('Anderson-Darling needs two non-empty samples');
  const distinct = a[0] !== a[a.length - 1] || b[0] !== b[b.length - 1] || a[0] !== b[0];
  if (!distinct || N < 4) return Number.NaN;
  const k = 2;
  const A2kN = a2akn(a, b);
  const H = 1 / a.length + 1 / b.length;
  // h = Σ_{i=1}^{N-1} 1/i; g = Σ_{i=1}^{N-2} Σ_{j=i+1}^{N-1} 1/((N-i) j), via SciPy's cumulative form.
  let cumulative = 0;
  let g = 0;
  for (let idx = 0, denom = N - 1; denom > 1; idx++, denom--) {
    cumulative += 1 / denom;
    g += cumulative / (idx + 2);
  }
  const h = cumulative + 1;
  const aa = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const bb = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const cc = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const dd = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (aa * N ** 3 + bb * N ** 2 + cc * N + dd) / ((N - 1) * (N - 2) * (N - 3));
  return (A2kN - (k - 1)) / Math.sqrt(sigmasq);
}
