import { inputError } from '../../errors.js';
import { type FlatTree, findLeaf } from './flat-tree.js';
import { type Matrix, assertFinite } from './matrix.js';

/**
 * The feature values the trees compare: in float32 mode a Float32Array copy, so
 * every comparison is `fround(x) <= threshold`, the decision onnxruntime makes
 * after casting its float input (see onnx/threshold-float32.ts for why the
 * exported float32 thresholds then give identical decisions).
 */
export function featureView(
  x: Matrix,
  nFeatures: number,
  precision: 'float32' | 'float64',
): Float64Array | Float32Array {
  if (x.cols !== nFeatures) throw inputError(`model expects ${nFeatures} features, got ${x.cols}`);
  assertFinite(x);
  return precision === 'float32' ? Float32Array.from(x.data) : x.data;
}

/**
 * Mean over trees of each row's leaf value: row-major rows × nOutputs. For a
 * classifier these are class probabilities (scikit-learn's predict_proba), for
 * a regressor the prediction.
 */
export function averageLeafValues(
  trees: readonly FlatTree[],
  x: Matrix,
  nFeatures: number,
  precision: 'float32' | 'float64',
): Float64Array {
  const view = featureView(x, nFeatures, precision);
  const rows = x.rows;
  const nOut = trees[0]?.nOutputs ?? 1;
  const out = new Float64Array(rows * nOut);
  for (const tree of trees) {
    const value = tree.value;
    for (let r = 0; r < rows; r++) {
      const leaf = findLeaf(tree, view, rows, r) * nOut;
      const o = r * nOut;
      for (let k = 0; k < nOut; k++) out[o + k] = (out[o + k] as number) + (value[leaf + k] as number);
    }
  }
  const inv = trees.length > 0 ? 1 / trees.length : 0;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * inv;
  return out;
}
