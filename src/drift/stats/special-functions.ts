/**
 * Special functions the drift tests need: log-gamma, the regularized upper
 * incomplete gamma (chi-square survival), the complementary error function
 * (normal survival) and an exact-remainder floor(n * x).
 *
 * Accuracy target: about 1e-14 relative where the result is representable,
 * which keeps every p-value within 1e-9 of SciPy's cephes implementations.
 */

const LOG_SQRT_2PI = 0.9189385332046728; // ln(sqrt(2*pi))

/** ln Γ(x) for x > 0: Stirling's series at x >= 10, shifted up by the recurrence below that. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  let product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
    // Keep the product finite for tiny x; fold it into the log now and then.
    if (product > 1e280) {
      shift += Math.log(product);
      product = 1;
    }
  }
  shift += Math.log(product);
  const r = 1 / x;
  const r2 = r * r;
  // Bernoulli terms B_{2j} / (2j (2j-1) x^(2j-1)), j = 1..7: error < 1e-17 at x >= 10.
  const series =
    r *
    (1 / 12 +
      r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156)))))));
  return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series - shift;
}

/**
 * Stirling's error term ln(k!) - [(k + 1/2) ln k - k + ln sqrt(2π)] for integer k >= 1.
 * Small, so combinations of large factorials can be formed without cancellation.
 */
export function stirlingError(k: number): number {
  if (k > 15) {
    const r = 1 / k;
    const r2 = r * r;
    return r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188)))));
  }
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  return logFactorial - ((k + 0.5) * Math.log(k) - k + LOG_SQRT_2PI);
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function regularizedGammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x); Q = 1 - P is well conditioned here because P is not close to 1.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 100000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return Math.min(1, Math.max(0, 1 - sum * Math.exp(logPrefactor)));
  }
  // Continued fraction for Q (modified Lentz), converges fast for x >= a + 1.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.max(0, Math.exp(logPrefactor) * h));
}

/** Survival function of the chi-square distribution with `dof` degrees of freedom. */
export function chiSquareSf(x: number, dof: number): number {
  if (dof <= 0) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erfc(x) with relative accuracy kept in the far tail (continued fraction) and near 0 (positive series). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (2n+1)!!: every term positive.
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  if (x > 27.3) return 0;
  // Continued fraction erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (Lentz).
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let i = 1; i < 500; i++) {
    const an = i / 2;
    d = x + an * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return ((TWO_OVER_SQRT_PI / 2) * Math.exp(-x * x)) / f;
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** x * 2^e without the intermediate overflow/underflow of x * Math.pow(2, e). */
export function ldexp(x: number, e: number): number {
  let result = x;
  let exponent = e;
  while (exponent > 1000) {
    result *= 2 ** 1000;
    exponent -= 1000;
  }
  while (exponent < -1000) {
    result *= 2 ** -1000;
    exponent += 1000;
  }
  return result * 2 ** exponent;
}

/** Round half to even, as numpy.round does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * floor(n * x) and the remainder n*x - floor(n*x), computed from the exact
 * product (Dekker's two-product), so values like n * (k/n) land on k, not k - 1.
 */
export function floorProduct(n: number, x: number): { floor: number; remainder: number; hi: number; lo: number } {
  const hi = n * x;
  const lo = twoProductError(n, x, hi);
  let floor = Math.floor(hi);
  let remainder = hi - floor + lo;
  if (remainder < 0) {
    floor -= 1;
    remainder += 1;
  } else if (remainder >= 1) {
    floor += 1;
    remainder -= 1;
  }
  return { floor, remainder, hi, lo };
}

const SPLITTER = 134217729; // 2^27 + 1

function twoProductError(a: number, b: number, product: number): number {
  const ca = SPLITTER * a;
  const aHi = ca - (ca - a);
  const aLo = a - aHi;
  const cb = SPLITTER * b;
  const bHi = cb - (cb - b);
  const bLo = b - bHi;
  return aLo * bLo - (product - aHi * bHi - aLo * bHi - aHi * bLo);
}
