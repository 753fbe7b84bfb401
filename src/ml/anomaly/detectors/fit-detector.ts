import { IsolationForest } from '../../tree/isolation-forest.js';
import { fromRowMajor } from '../../tree/matrix.js';
import { GaussianMixture } from './gaussian-mixture.js';
import { KnnDistance } from './knn-distance.js';

/** A novelty detector fitted on normal rows only; higher scores = more anomalous. */
export type DetectorSpec =
  { kind: 'gmm'; components: number } | { kind: 'knn'; k: number } | { kind: 'isolation-forest'; nEstimators: number };

export const describeDetector = (s: DetectorSpec): string =>
  s.kind === 'gmm' ? `gmm-${s.components}` : s.kind === 'knn' ? `knn-${s.k}` : `isolation-forest-${s.nEstimators}`;

export type Scorer = (x: Float64Array, rows: number) => Float64Array;

/**
 * Fits `spec` on row-major fit rows after the optional log transform and a
 * standardisation whose means and standard deviations come from the fit rows
 * only; returns a scorer applying the same transform to new rows.
 */
export function fitDetector(
  spec: DetectorSpec,
  fit: Float64Array,
  rows: number,
  d: number,
  options: { transform: 'log' | 'none'; seed: number },
): Scorer {
  const transform = (x: Float64Array) =>
    options.transform === 'log' ? x.map((v) => Math.log(Math.abs(v) + 1e-12)) : x;
  const t = transform(fit);
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += t[r * d + j] as number;
    mean[j] = s / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += ((t[r * d + j] as number) - (mean[j] as number)) ** 2;
    sd[j] = Math.sqrt(v / rows) || 1;
  }
  const standardise = (x: Float64Array) =>
    transform(x).map((v, i) => (v - (mean[i % d] as number)) / (sd[i % d] as number));
  const z = standardise(fit);
  switch (spec.kind) {
    case 'gmm': {
      const model = new GaussianMixture({ components: spec.components, seed: options.seed, regCovar: 1e-4 }).fit(
        z,
        rows,
        d,
      );
      return (x, n) => model.score(standardise(x), n);
    }
    case 'knn': {
      const model = new KnnDistance(spec.k).fit(z, rows, d);
      return (x, n) => model.score(standardise(x), n);
    }
    case 'isolation-forest': {
      const forest = new IsolationForest({ nEstimators: spec.nEstimators, seed: options.seed }).train(
        fromRowMajor(z, rows, d),
      );
      return (x, n) => forest.scoreSamples(fromRowMajor(standardise(x), n, d)).map((s) => -s);
    }
  }
}
