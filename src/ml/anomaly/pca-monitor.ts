import { inputError } from '../../errors.js';
import type { Matrix } from '../tree/matrix.js';
import { chi2Quantile, fQuantile, normalQuantile } from './distributions.js';
import { quantileOf } from './quantile.js';
import { symmetricEigen } from './symmetric-eigen.js';

/**
 * PCA process monitoring (MacGregor & Kourti 1995; Jackson & Mudholkar 1979):
 * standardise on the fit rows (as scikit-learn's StandardScaler), keep the
 * principal components that explain `components` of the variance (or a fixed
 * count), then per row
 *   T² = Σ_a t_a² / λ_a      (distance inside the model plane, Hotelling)
 *   Q  = ‖z − P Pᵀ z‖²        (squared prediction error off the plane, SPE)
 * with λ the sample variances (ddof 1) of the scores. A fault that breaks the
 * correlation between sensors shows in Q even when every sensor stays in range.
 *
 * Limits at false-alarm probability α: theoretical — T² from F (finite-sample
 * prediction limit k(n−1)(n+1)/(n(n−k))·F_{1−α}(k, n−k), as SKAB's T²) or χ²_k,
 * Q from Jackson–Mudholkar with θ_i = Σ_{j>k} λ_j^i — or empirical, the (1 − α)
 * quantile of each statistic on calibration rows the PCA was not fitted on.
 * score = max(T²/T²lim, Q/Qlim) under the T²-or-Q rule, so score > 1 is an alarm.
 */
export interface PcaMonitorOptions {
  components: number;
  limits: 'theoretical' | 'empirical';
  t2Distribution: 'f' | 'chi2';
  alpha: number;
  rule: 't2-or-q' | 't2' | 'q';
}

export interface PcaMonitorJson {
  kind: 'smx.PcaMonitor';
  version: 1;
  options: PcaMonitorOptions;
  nFit: number;
  mean: number[];
  scale: number[];
  /** Row-major k × p: loading of variable j on component a at [a][j]. */
  loadings: number[][];
  /** λ of the kept components, then of the residual ones. */
  eigenvalues: number[];
  residualEigenvalues: number[];
  t2Limit: number;
  qLimit: number;
}

export interface PcaStatistics {
  t2: Float64Array;
  q: Float64Array;
}

export class PcaMonitor {
  private constructor(readonly json: PcaMonitorJson) {}

  get p(): number {
    return this.json.mean.length;
  }
  get k(): number {
    return this.json.eigenvalues.length;
  }

  static fit(x: Matrix, options: PcaMonitorOptions): PcaMonitor {
    const { rows: n, cols: p } = x;
    if (n < 3) throw inputError(`PCA monitoring needs at least 3 fit rows, got ${n}`);
    const mean = new Array<number>(p);
    const scale = new Array<number>(p);
    for (let j = 0; j < p; j++) {
      const col = x.data.subarray(j * n, (j + 1) * n);
      const m = col.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / n);
      mean[j] = m;
      scale[j] = sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1; // a constant sensor: scikit-learn's scale 1
    }
    const cov = new Float64Array(p * p);
    const z = new Float64Array(n * p);
    for (let j = 0; j < p; j++) for (let r = 0; r < n; r++) z[j * n + r] = (x.data[j * n + r]! - mean[j]!) / scale[j]!;
    for (let i = 0; i < p; i++)
      for (let j = i; j < p; j++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += z[i * n + r]! * z[j * n + r]!;
        cov[i * p + j] = cov[j * p + i] = s / (n - 1);
      }
    const { values, vectors } = symmetricEigen(cov, p);
    const clipped = Array.from(values, (v) => Math.max(v, 0));
    const total = clipped.reduce((a, b) => a + b, 0);
    let k: number;
    if (options.components >= 1) k = Math.min(Math.floor(options.components), p);
    else {
      // scikit-learn: the fewest components whose cumulative share exceeds the fraction.
      let cumulative = 0;
      k = p;
      for (let a = 0; a < p; a++) {
        cumulative += clipped[a]! / (total || 1);
        if (cumulative > options.components) {
          k = a + 1;
          break;
        }
      }
    }
    while (k > 1 && clipped[k - 1]! <= 1e-12 * (total || 1)) k--; // a zero-variance component cannot scale T²
    const loadings = Array.from({ length: k }, (_, a) => Array.from({ length: p }, (_, j) => vectors[j * p + a]!));
    const monitor = new PcaMonitor({
      kind: 'smx.PcaMonitor',
      version: 1,
      options: { ...options },
      nFit: n,
      mean,
      scale,
      loadings,
      eigenvalues: clipped.slice(0, k),
      residualEigenvalues: clipped.slice(k),
      t2Limit: Infinity,
      qLimit: Infinity,
    });
    if (options.limits === 'theoretical') monitor.setTheoreticalLimits();
    return monitor;
  }

  static fromJSON(json: PcaMonitorJson): PcaMonitor {
    if (json.kind !== 'smx.PcaMonitor') throw inputError(`not a PCA monitor model: ${json.kind}`);
    return new PcaMonitor(json);
  }

  toJSON(): PcaMonitorJson {
    return this.json;
  }

  private setTheoreticalLimits(): void {
    const { alpha, t2Distribution } = this.json.options;
    const n = this.json.nFit;
    const k = this.k;
    this.json.t2Limit =
      t2Distribution === 'chi2' || n - k < 1
        ? chi2Quantile(1 - alpha, k)
        : ((k * (n - 1) * (n + 1)) / (n * (n - k))) * fQuantile(1 - alpha, k, n - k);
    const theta = [1, 2, 3].map((i) => this.json.residualEigenvalues.reduce((s, l) => s + l ** i, 0));
    const [t1, t2, t3] = theta as [number, number, number];
    if (t1 <= 0) {
      this.json.qLimit = Infinity; // every variance is in the model plane: Q is 0 and never alarms
      return;
    }
    const h0 = 1 - (2 * t1 * t3) / (3 * t2 * t2);
    const c = normalQuantile(1 - alpha);
    this.json.qLimit = t1 * ((c * h0 * Math.sqrt(2 * t2)) / t1 + 1 + (t2 * h0 * (h0 - 1)) / (t1 * t1)) ** (1 / h0);
  }

  /** Empirical limits: the (1 − α) quantile of T² and Q on rows the PCA was not fitted on. */
  setEmpiricalLimits(calibration: Matrix): void {
    if (calibration.rows === 0) throw inputError('empirical PCA limits need calibration rows');
    const s = this.statistics(calibration);
    const q = 1 - this.json.options.alpha;
    this.json.t2Limit = quantileOf(s.t2, q);
    this.json.qLimit = quantileOf(s.q, q) || Infinity;
  }

  /** Standardised deviation z (length p) and scores t (length k) of row r of x. */
  private project(x: Matrix, r: number, z: Float64Array, t: Float64Array): void {
    const { mean, scale, loadings } = this.json;
    for (let j = 0; j < this.p; j++) z[j] = (x.data[j * x.rows + r]! - mean[j]!) / scale[j]!;
    for (let a = 0; a < this.k; a++) {
      const w = loadings[a]!;
      let s = 0;
      for (let j = 0; j < this.p; j++) s += w[j]! * z[j]!;
      t[a] = s;
    }
  }

  statistics(x: Matrix): PcaStatistics {
    if (x.cols !== this.p) throw inputError(`PCA monitor expects ${this.p} features, got ${x.cols}`);
    const t2 = new Float64Array(x.rows);
    const q = new Float64Array(x.rows);
    const z = new Float64Array(this.p);
    const t = new Float64Array(this.k);
    const { loadings, eigenvalues } = this.json;
    for (let r = 0; r < x.rows; r++) {
      this.project(x, r, z, t);
      let sT2 = 0;
      for (let a = 0; a < this.k; a++) sT2 += (t[a]! * t[a]!) / eigenvalues[a]!;
      let sQ = 0;
      for (let j = 0; j < this.p; j++) {
        let zHat = 0;
        for (let a = 0; a < this.k; a++) zHat += loadings[a]![j]! * t[a]!;
        sQ += (z[j]! - zHat) ** 2;
      }
      t2[r] = sT2;
      q[r] = sQ;
    }
    return { t2, q };
  }

  /** Alarm score: the statistics the rule watches, each over its limit (> 1 = alarm). */
  score(x: Matrix): Float64Array {
    const { t2, q } = this.statistics(x);
    const { rule } = this.json.options;
    const { t2Limit, qLimit } = this.json;
    return t2.map((v, r) => {
      const a = v / t2Limit;
      const b = q[r]! / qLimit;
      return rule === 't2' ? a : rule === 'q' ? b : Math.max(a, b);
    });
  }

  /**
   * Which sensors drive row r's statistics: Q contribution e_j² (sums to Q) and
   * T² contribution Σ_a (t_a/λ_a)·p_ja·z_j (sums to T²; may be negative).
   */
  contributions(x: Matrix, r: number): { t2: Float64Array; q: Float64Array } {
    const z = new Float64Array(this.p);
    const t = new Float64Array(this.k);
    this.project(x, r, z, t);
    const { loadings, eigenvalues } = this.json;
    const cT2 = new Float64Array(this.p);
    const cQ = new Float64Array(this.p);
    for (let j = 0; j < this.p; j++) {
      let zHat = 0;
      let c = 0;
      for (let a = 0; a < this.k; a++) {
        zHat += loadings[a]![j]! * t[a]!;
        c += (t[a]! / eigenvalues[a]!) * loadings[a]![j]!;
      }
      cQ[j] = (z[j]! - zHat) ** 2;
      cT2[j] = c * z[j]!;
    }
    return { t2: cT2, q: cQ };
  }
}
