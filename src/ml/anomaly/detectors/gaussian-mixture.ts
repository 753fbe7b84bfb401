import { Random } from '../../../random.js';

/**
 * A Gaussian mixture with full covariances fitted by EM (as scikit-learn's
 * GaussianMixture: k-means++-style seeding of the means, `regCovar` added to
 * every covariance's diagonal, stop when the mean log-likelihood gains less
 * than `tol`). Rows are row-major: x[r * d + j]. The anomaly score of a row is
 * its negative log-density: low density under every component = unusual.
 */
export interface GaussianMixtureOptions {
  components: number;
  seed?: number;
  regCovar?: number;
  maxIter?: number;
  tol?: number;
}

interface Component {
  weight: number;
  mean: Float64Array;
  /** Lower Cholesky factor of the covariance, row-major d×d. */
  chol: Float64Array;
  logDet: number;
}

export class GaussianMixture {
  private components: Component[] = [];
  private d = 0;
  constructor(private readonly options: GaussianMixtureOptions) {}

  fit(x: Float64Array, rows: number, d: number): this {
    this.d = d;
    const k = Math.min(this.options.components, rows);
    const reg = this.options.regCovar ?? 1e-6;
    const rng = new Random(this.options.seed ?? 0);
    // Seeding: k-means++ picks of rows as means; every row starts with the responsibility of its nearest mean.
    const first = rng.nextInt(rows);
    const means: Float64Array[] = [x.slice(first * d, first * d + d)];
    const nearest = new Float64Array(rows).fill(Infinity);
    while (means.length < k) {
      const last = means[means.length - 1]!;
      let total = 0;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += ((x[r * d + j] as number) - (last[j] as number)) ** 2;
        if (s < (nearest[r] as number)) nearest[r] = s;
        total += nearest[r] as number;
      }
      let u = rng.nextFloat() * total;
      let pick = rows - 1;
      for (let r = 0; r < rows; r++) {
        u -= nearest[r] as number;
        if (u <= 0) {
          pick = r;
          break;
        }
      }
      means.push(x.slice(pick * d, pick * d + d));
    }
    const resp = new Float64Array(rows * k);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += ((x[r * d + j] as number) - (means[c]![j] as number)) ** 2;
        if (s < bestD) {
          bestD = s;
          best = c;
        }
      }
      resp[r * k + best] = 1;
    }
    let previous = -Infinity;
    for (let iter = 0; iter < (this.options.maxIter ?? 100); iter++) {
      this.mStep(x, rows, resp, k, reg);
      const ll = this.eStep(x, rows, resp, k);
      if (Math.abs(ll - previous) < (this.options.tol ?? 1e-3)) break;
      previous = ll;
    }
    return this;
  }

  /** Negative log-density of each row (higher = more anomalous). */
  score(x: Float64Array, rows: number): Float64Array {
    const k = this.components.length;
    const out = new Float64Array(rows);
    const lp = new Float64Array(k);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < k; c++) lp[c] = this.logWeighted(c, x, r);
      out[r] = -logSumExp(lp);
    }
    return out;
  }

  private logWeighted(c: number, x: Float64Array, r: number): number {
    const comp = this.components[c]!;
    const d = this.d;
    // Solve L z = (x − μ) by forward substitution; the Mahalanobis term is ‖z‖².
    const z = new Float64Array(d);
    let m = 0;
    for (let i = 0; i < d; i++) {
      let s = (x[r * d + i] as number) - (comp.mean[i] as number);
      for (let j = 0; j < i; j++) s -= (comp.chol[i * d + j] as number) * (z[j] as number);
      z[i] = s / (comp.chol[i * d + i] as number);
      m += (z[i] as number) ** 2;
    }
    return Math.log(comp.weight) - 0.5 * (d * Math.log(2 * Math.PI) + comp.logDet + m);
  }

  private mStep(x: Float64Array, rows: number, resp: Float64Array, k: number, reg: number): void {
    const d = this.d;
    this.components = [];
    for (let c = 0; c < k; c++) {
      let nk = 10 * Number.EPSILON; // as scikit-learn: no empty component
      for (let r = 0; r < rows; r++) nk += resp[r * k + c] as number;
      const mean = new Float64Array(d);
      for (let r = 0; r < rows; r++) {
        const w = resp[r * k + c] as number;
        if (w) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + w * (x[r * d + j] as number);
      }
      for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / nk;
      const cov = new Float64Array(d * d);
      const diff = new Float64Array(d);
      for (let r = 0; r < rows; r++) {
        const w = resp[r * k + c] as number;
        if (!w) continue;
        for (let j = 0; j < d; j++) diff[j] = (x[r * d + j] as number) - (mean[j] as number);
        for (let i = 0; i < d; i++)
          for (let j = 0; j <= i; j++)
            cov[i * d + j] = (cov[i * d + j] as number) + w * (diff[i] as number) * (diff[j] as number);
      }
      for (let i = 0; i < d; i++) {
        for (let j = 0; j <= i; j++) cov[i * d + j] = (cov[i * d + j] as number) / nk;
        cov[i * d + i] = (cov[i * d + i] as number) + reg;
      }
      const { chol, logDet } = cholesky(cov, d);
      this.components.push({ weight: nk / rows, mean, chol, logDet });
    }
  }

  private eStep(x: Float64Array, rows: number, resp: Float64Array, k: number): number {
    const lp = new Float64Array(k);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < k; c++) lp[c] = this.logWeighted(c, x, r);
      const norm = logSumExp(lp);
      total += norm;
      for (let c = 0; c < k; c++) {
        resp[r * k + c] = Math.exp((lp[c] as number) - norm);
      }
    }
    return total / rows;
  }
}

/** Lower Cholesky factor of a symmetric positive-definite matrix given by its lower triangle. */
function cholesky(a: Float64Array, d: number): { chol: Float64Array; logDet: number } {
  const l = new Float64Array(d * d);
  let logDet = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j] as number;
      for (let p = 0; p < j; p++) s -= (l[i * d + p] as number) * (l[j * d + p] as number);
      if (i === j) {
        const v = Math.sqrt(Math.max(s, 1e-12));
        l[i * d + i] = v;
        logDet += 2 * Math.log(v);
      } else l[i * d + j] = s / (l[j * d + j] as number);
    }
  return { chol: l, logDet };
}

function logSumExp(v: Float64Array): number {
  let max = -Infinity;
  for (const x of v) if (x > max) max = x;
  if (max === -Infinity) return max;
  let s = 0;
  for (const x of v) s += Math.exp(x - max);
  return max + Math.log(s);
}
