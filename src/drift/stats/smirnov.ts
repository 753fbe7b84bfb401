/**
 * Survival function of the one-sided Kolmogorov–Smirnov statistic D_n^+,
 * P(D_n^+ >= x) — what scipy.special.smirnov(n, x) returns.
 *
 * Smirnov (1944) / Birnbaum & Tingey (1951):
 *   P(D_n^+ >= x) = x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
 *
 * Every term is positive, so the sum is well conditioned; each term is formed
 * in log space with the binomial written through Stirling error terms, which
 * keeps n up to 10^6 at ~1e-12 relative accuracy without double-double
 * arithmetic. The branch structure (special cases, the upper sum for tiny x,
 * the n > 10^6 approximation) follows SciPy's cephes/kolmogorov.c.
 */
import { floorProduct, stirlingError } from './special-functions.js';

const LOG_SQRT_2PI = 0.9189385332046728;
const MIN_LOG = -745.1332191019412; // cephes MINLOG
const MAX_COMPUTE_N = 1_000_000;
const EPS = 2.220446049250313e-16;

function logBinomial(n: number, v: number): number {
  if (v === 0 || v === n) return 0;
  return (
    stirlingError(n) -
    stirlingError(v) -
    stirlingError(n - v) -
    LOG_SQRT_2PI +
    0.5 * Math.log(n / (v * (n - v))) -
    v * Math.log(v / n) -
    (n - v) * Math.log1p(-v / n)
  );
}

/** log of one lower-sum term A_v = C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v), 0 <= v < n(1-x). */
function logLowerTerm(n: number, v: number, x: number, nxHi: number, nxLo: number): number {
  if (v === 0) return n * Math.log1p(-x) - Math.log(x);
  const rest = n - v;
  const ratio = nxHi / rest;
  // (n-v) * ln((n - v - nx) / (n - v)), formed without cancellation near either end.
  const tail = ratio < 0.5 ? rest * Math.log1p(-ratio) : rest * Math.log((rest - nxHi - nxLo) / rest);
  return (
    stirlingError(n) -
    stirlingError(v) -
    stirlingError(rest) -
    LOG_SQRT_2PI +
    0.5 * Math.log(n / (v * rest)) +
    v * Math.log1p(nxHi / v) +
    tail -
    Math.log((nxHi + v) / n)
  );
}

/** Neumaier-compensated running sum. */
class CompensatedSum {
  sum = 0;
  private c = 0;
  add(x: number): void {
    const t = this.sum + x;
    this.c += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.c;
  }
}

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxFloor, remainder: alpha, hi: nxHi, lo: nxLo } = floorProduct(n, x);
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    // x <= 1/n: P(D+ < x) = x (1 + x)^(n-1).
    return clip(1 - x * Math.exp((n - 1) * Math.log1p(x)));
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return clip(Math.exp(n * Math.log1p(-x)));
  if (n > MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  let lastLower = n - nxFloor - (alpha === 0 ? 0 : 1);
  let firstUpper = n - nxFloor;
  if (alpha === 0) {
    lastLower -= 1;
    firstUpper += 1;
  }
  const upperTerms = n - firstUpper + 1;
  const useUpper = (upperTerms <= 1 && x < 0.5) || (n >= 10 && upperTerms <= 3 && x <= 0.5 / Math.sqrt(n));
  if (useUpper) {
    // The few terms above n(1-x) alternate in sign; sum them directly. They give the CDF.
    const sum = new CompensatedSum();
    for (let v = firstUpper; v <= n; v++) {
      const base = 1 - x - v / n;
      const magnitude =
        logBinomial(n, v) + (v - 1) * Math.log(x + v / n) + (n - v === 0 ? 0 : (n - v) * Math.log(Math.abs(base)));
      const sign = base < 0 && (n - v) % 2 === 1 ? -1 : 1;
      sum.add(sign * Math.exp(magnitude));
    }
    return clip(1 - x * sum.value);
  }
  const sum = new CompensatedSum();
  const terms = lastLower + 1;
  for (let v = 0; v < terms; v++) {
    const term = Math.exp(logLowerTerm(n, v, x, nxHi, nxLo));
    sum.add(term);
    // Same early exit as SciPy: the rest cannot move the sum by more than an ulp.
    if (term !== 0 && 4 * (terms - v) * term < EPS * sum.value && v !== terms - 1) break;
    if (term === 0 && v > n / 2) break;
  }
  return clip(x * sum.value);
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
