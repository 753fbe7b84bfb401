/**
 * k-nearest-neighbour distance to the fitted (normal) rows: the mean
 * Euclidean distance of a row to its k nearest fit rows. Brute force, row-major
 * x[r * d + j]; fine for the few thousand rows per group it is used on.
 */
export class KnnDistance {
  private fitX = new Float64Array(0);
  private rows = 0;
  private d = 0;
  constructor(private readonly k: number) {}

  fit(x: Float64Array, rows: number, d: number): this {
    this.fitX = x.slice(0, rows * d);
    this.rows = rows;
    this.d = d;
    return this;
  }

  score(x: Float64Array, rows: number): Float64Array {
    const { d, k } = this;
    const out = new Float64Array(rows);
    const best = new Float64Array(k);
    for (let r = 0; r < rows; r++) {
      best.fill(Infinity);
      for (let f = 0; f < this.rows; f++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += ((x[r * d + j] as number) - (this.fitX[f * d + j] as number)) ** 2;
        if (s < (best[k - 1] as number)) {
          let i = k - 1;
          while (i > 0 && (best[i - 1] as number) > s) {
            best[i] = best[i - 1] as number;
            i--;
          }
          best[i] = s;
        }
      }
      let sum = 0;
      for (let i = 0; i < k; i++) sum += Math.sqrt(best[i] as number);
      out[r] = sum / k;
    }
    return out;
  }
}
