/**
 * Decimal text → number, correctly rounded, without allocating on the common
 * path. Clinger's fast path: a mantissa of at most 15 digits (exact in a
 * double) scaled by 10^k with |k| ≤ 22 (also exact) gives a correctly rounded
 * result in one multiply or divide. Anything else falls back to Number() after
 * a strict syntax check, so "0x1A", "1_000", "Infinity" and "" are rejected
 * (NaN) instead of being read the way Number() would.
 */
const powers = Array.from({ length: 23 }, (_, k) => 10 ** k);
const decimalSyntax = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseDecimal(s: string): number {
  const n = s.length;
  if (n === 0) return NaN;
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i = 1;
  }
  let mantissa = 0;
  let digitCount = 0;
  let scale = 0;
  let seenDot = false;
  let any = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      any = true;
      if (mantissa === 0 && c === 48) {
        if (seenDot) scale += 1; // leading zeros after the point only shift the scale
        continue;
      }
      mantissa = mantissa * 10 + (c - 48);
      digitCount += 1;
      if (seenDot) scale += 1;
    } else if (c === 46 && !seenDot) {
      seenDot = true;
    } else {
      break;
    }
  }
  if (i < n || !any || digitCount > 15 || scale > 22) return slowParse(s);
  const value = scale === 0 ? mantissa : mantissa / powers[scale]!;
  return negative ? -value : value;
}

function slowParse(s: string): number {
  return decimalSyntax.test(s) ? Number(s) : NaN;
}
