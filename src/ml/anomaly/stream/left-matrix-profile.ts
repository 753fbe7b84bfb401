/**
 * The left matrix profile of a series (Zhu et al., "Matrix Profile XI",
 * 2017, in its streaming "left" form): for the subsequence of `length` rows
 * ending at row t, the distance to its nearest neighbour among the
 * subsequences that ended at least `length` rows earlier — so it uses only
 * the past, and a pattern the series has never shown before is far from all
 * of them. Distances are root-mean-square differences of the raw values (not
 * z-normalised): a temperature that drifts to a level never seen before is
 * what should stand out, not only an unusual shape. Rows before the first
 * comparable pair are NaN.
 *
 * O(n²) time, O(n) memory: the dot products of subsequence s with every
 * earlier one are updated from those of s − 1 (STOMP's recurrence), and
 * ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b.
 */
export function leftMatrixProfile(x: Float64Array, length: number): Float64Array {
  const n = x.length;
  const m = length;
  const out = new Float64Array(n).fill(NaN);
  const count = n - m + 1;
  if (count <= m) return out;
  const squares = new Float64Array(count);
  let sum = 0;
  for (let i = 0; i < m; i++) sum += (x[i] as number) ** 2;
  squares[0] = sum;
  for (let s = 1; s < count; s++) {
    sum += (x[s + m - 1] as number) ** 2 - (x[s - 1] as number) ** 2;
    squares[s] = sum;
  }
  // dots[j] = x[j..j+m) · x[s..s+m), for j ≤ s; rebuilt in place from s − 1's values.
  const dots = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const head = x[s - 1] as number;
    const tail = x[s + m - 1] as number;
    for (let j = s; j >= 1; j--)
      dots[j] = (dots[j - 1] as number) - (x[j - 1] as number) * head + (x[j + m - 1] as number) * tail;
    let d0 = 0;
    for (let i = 0; i < m; i++) d0 += (x[i] as number) * (x[s + i] as number);
    dots[0] = d0;
    const last = s - m; // the latest subsequence that does not overlap s
    if (last < 0) continue;
    let best = Infinity;
    const own = squares[s] as number;
    for (let j = 0; j <= last; j++) {
      const d2 = (squares[j] as number) + own - 2 * (dots[j] as number);
      if (d2 < best) best = d2;
    }
    out[s + m - 1] = Math.sqrt(Math.max(best, 0) / m);
  }
  return out;
}
