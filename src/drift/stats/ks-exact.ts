/**
 * Exact null distribution of the two-sample two-sided KS statistic
 * (Hodges 1958 lattice-path counting), as ks_2samp's 'exact' method:
 * P(D_{m,n} >= h / lcm(m, n)).
 */

/** m = n: Pr(D_{n,n} >= h/n) = 2 sum_k (-1)^(k+1) C(2n, n - kh) / C(2n, n), in a Horner-like form. */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * m != n: 1 - (paths from (0,0) to (m,n) staying strictly inside |x/m - y/n| < h/lcm) / C(m+n, n),
 * computed directly as a proportion with Viehmann's (2021) stable recursion: one sliding column,
 * every entry a probability in [0, 1], so nothing overflows.
 */
export function probOutsideInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * ks_2samp's _attempt_exact_2kssamp for the two-sided alternative: the statistic
 * is snapped to h/lcm (the lattice it lives on) and the exact tail returned,
 * or success=false when the value is not a probability (then SciPy falls back to asymp).
 */
export function exactTwoSampleKs(n1: number, n2: number, d: number): { ok: boolean; d: number; p: number } {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  const snapped = h / lcm;
  if (h === 0) return { ok: true, d: snapped, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInsideMethod(n1, n2, g, h);
  if (!Number.isFinite(p) || p < 0 || p > 1) return { ok: false, d: snapped, p: Number.NaN };
  return { ok: true, d: snapped, p };
}
