import { inputError, usageError } from '../../errors.js';
import type { FlatTree } from './flat-tree.js';
import { averageLeafValues } from './forest-predict.js';
import { type RegressorOptions, resolveCartParams, resolveEstimators } from './forest-options.js';
import { growForest, makeCartData } from './grow-forest.js';
import { type Matrix, toMatrix } from './matrix.js';
import { type FlatTreeJson, decodeTree, encodeTree } from './tree-codec.js';

export interface RandomForestRegressorJson {
  kind: 'smx.RandomForestRegressor';
  version: 1;
  options: RegressorOptions;
  nFeatures: number;
  precision: 'float32' | 'float64';
  featureImportances: number[];
  trees: FlatTreeJson[];
}

/**
 * Random forest regressor (squared error, prediction = mean of the trees' leaf
 * means). Defaults follow scikit-learn 1.2: all features per split, bootstrap.
 *
 * @example
 * const rf = new RandomForestRegressor({ nEstimators: 200, maxFeatures: 'sqrt', seed: 1 }).train(X, rul);
 * const yhat = rf.predict(Xtest);
 */
export class RandomForestRegressor {
  readonly options: RegressorOptions;
  nFeatures = 0;
  precision: 'float32' | 'float64';
  trees: FlatTree[] = [];
  featureImportances: Float64Array = new Float64Array(0);

  constructor(options: RegressorOptions = {}) {
    this.options = { ...options };
    this.precision = options.precision ?? 'float32';
  }

  train(X: Matrix | ArrayLike<ArrayLike<number>>, y: ArrayLike<number>): this {
    const x = toMatrix(X);
    const yValue = Float64Array.from(y);
    for (let i = 0; i < yValue.length; i++) {
      if (!Number.isFinite(yValue[i])) throw inputError(`target at row ${i} is not a finite number`);
    }
    const o = this.options;
    const data = makeCartData(x, this.precision, { yValue });
    const params = resolveCartParams(o, 'squared_error', x.cols, 'all');
    const grown = growForest(data, params, {
      nEstimators: resolveEstimators(o),
      bootstrap: o.bootstrap ?? true,
      seed: o.seed ?? 0,
      sampleWeights: (counts) => counts,
    });
    this.nFeatures = x.cols;
    this.trees = grown.trees;
    this.featureImportances = grown.featureImportances;
    return this;
  }

  predict(X: Matrix | ArrayLike<ArrayLike<number>>): Float64Array {
    if (this.trees.length === 0) throw usageError('the regressor is not trained: call train(X, y) first');
    return averageLeafValues(this.trees, toMatrix(X), this.nFeatures, this.precision);
  }

  toJSON(): RandomForestRegressorJson {
    if (this.trees.length === 0) throw usageError('the regressor is not trained: call train(X, y) first');
    return {
      kind: 'smx.RandomForestRegressor',
      version: 1,
      options: this.options,
      nFeatures: this.nFeatures,
      precision: this.precision,
      featureImportances: [...this.featureImportances],
      trees: this.trees.map(encodeTree),
    };
  }

  static fromJSON(json: RandomForestRegressorJson): RandomForestRegressor {
    if (json?.kind !== 'smx.RandomForestRegressor' || json.version !== 1) {
      throw inputError('not an smx RandomForestRegressor (version 1) model');
    }
    const m = new RandomForestRegressor({ ...json.options, precision: json.precision });
    m.nFeatures = json.nFeatures;
    m.featureImportances = Float64Array.from(json.featureImportances);
    m.trees = json.trees.map(decodeTree);
    return m;
  }
}
