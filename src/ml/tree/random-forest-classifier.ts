import { inputError, usageError } from '../../errors.js';
import type { FlatTree } from './flat-tree.js';
import { averageLeafValues } from './forest-predict.js';
import { type ClassifierOptions, classWeightVector, resolveCartParams, resolveEstimators } from './forest-options.js';
import { growForest, makeCartData } from './grow-forest.js';
import { argmaxRow, encodeLabels } from './label-encoding.js';
import { type Matrix, toMatrix } from './matrix.js';
import { type FlatTreeJson, decodeTree, encodeTree } from './tree-codec.js';

export interface RandomForestClassifierJson {
  kind: 'smx.RandomForestClassifier';
  version: 1;
  options: ClassifierOptions;
  classes: number[];
  nFeatures: number;
  precision: 'float32' | 'float64';
  featureImportances: number[];
  trees: FlatTreeJson[];
}

/**
 * Random forest classifier with scikit-learn's algorithm (bootstrap, per-node
 * feature sampling, exact CART splits, probabilities = mean of the leaves'
 * class fractions) and ml-random-forest's call shape.
 *
 * @example
 * const rf = new RandomForestClassifier({ nEstimators: 100, seed: 0 }).train(X, y);
 * const p = rf.predictProbability(Xtest, 1); // P(class 1) per row
 */
export class RandomForestClassifier {
  readonly options: ClassifierOptions;
  classes: number[] = [];
  nFeatures = 0;
  precision: 'float32' | 'float64';
  trees: FlatTree[] = [];
  /** Mean decrease in impurity per feature, summing to 1. */
  featureImportances: Float64Array = new Float64Array(0);

  constructor(options: ClassifierOptions = {}) {
    this.options = { ...options };
    this.precision = options.precision ?? 'float32';
  }

  train(X: Matrix | ArrayLike<ArrayLike<number>>, y: ArrayLike<number>): this {
    const x = toMatrix(X);
    const o = this.options;
    const { classes, yClass } = encodeLabels(y);
    const k = classes.length;
    const data = makeCartData(x, this.precision, { yClass, nClasses: k });
    const params = resolveCartParams(o, o.criterion ?? 'gini', x.cols, 'sqrt');
    const classCounts = new Float64Array(k);
    for (let i = 0; i < yClass.length; i++) {
      const j = yClass[i] as number;
      classCounts[j] = (classCounts[j] as number) + 1;
    }
    const fixedWeights =
      o.classWeight === 'balanced_subsample' ? undefined : classWeightVector(o.classWeight, classes, classCounts);
    const drawCounts = new Float64Array(k);
    const grown = growForest(data, params, {
      nEstimators: resolveEstimators(o),
      bootstrap: o.bootstrap ?? true,
      seed: o.seed ?? 0,
      sampleWeights: (counts) => {
        let cw = fixedWeights;
        if (!cw) {
          drawCounts.fill(0);
          for (let i = 0; i < counts.length; i++) {
            const j = yClass[i] as number;
            drawCounts[j] = (drawCounts[j] as number) + (counts[i] as number);
          }
          cw = classWeightVector('balanced', classes, drawCounts);
        }
        for (let i = 0; i < counts.length; i++) counts[i] = (counts[i] as number) * (cw[yClass[i] as number] as number);
        return counts;
      },
    });
    this.classes = classes;
    this.nFeatures = x.cols;
    this.trees = grown.trees;
    this.featureImportances = grown.featureImportances;
    return this;
  }

  /** Class probabilities, row-major rows × classes.length (columns follow `classes`). */
  predictProba(X: Matrix | ArrayLike<ArrayLike<number>>): Float64Array {
    this.assertTrained();
    return averageLeafValues(this.trees, toMatrix(X), this.nFeatures, this.precision);
  }

  /** Probability of one class label per row (ml-random-forest's predictProbability). */
  predictProbability(X: Matrix | ArrayLike<ArrayLike<number>>, label: number): Float64Array {
    const j = this.classes.indexOf(label);
    if (j < 0) throw usageError(`label ${label} is not one of the trained classes ${this.classes.join(', ')}`);
    const p = this.predictProba(X);
    const k = this.classes.length;
    const out = new Float64Array(p.length / k);
    for (let r = 0; r < out.length; r++) out[r] = p[r * k + j] as number;
    return out;
  }

  /** Most probable class label per row (first class wins a tie, as in scikit-learn). */
  predict(X: Matrix | ArrayLike<ArrayLike<number>>): Float64Array {
    const p = this.predictProba(X);
    const k = this.classes.length;
    const out = new Float64Array(p.length / k);
    for (let r = 0; r < out.length; r++) out[r] = this.classes[argmaxRow(p, r, k)] as number;
    return out;
  }

  toJSON(): RandomForestClassifierJson {
    this.assertTrained();
    return {
      kind: 'smx.RandomForestClassifier',
      version: 1,
      options: this.options,
      classes: this.classes,
      nFeatures: this.nFeatures,
      precision: this.precision,
      featureImportances: [...this.featureImportances],
      trees: this.trees.map(encodeTree),
    };
  }

  static fromJSON(json: RandomForestClassifierJson): RandomForestClassifier {
    if (json?.kind !== 'smx.RandomForestClassifier' || json.version !== 1) {
      throw inputError('not an smx RandomForestClassifier (version 1) model');
    }
    const m = new RandomForestClassifier({ ...json.options, precision: json.precision });
    m.classes = [...json.classes];
    m.nFeatures = json.nFeatures;
    m.featureImportances = Float64Array.from(json.featureImportances);
    m.trees = json.trees.map(decodeTree);
    for (const t of m.trees) {
      if (t.nOutputs !== m.classes.length) throw inputError('tree outputs do not match the number of classes');
    }
    return m;
  }

  private assertTrained(): void {
    if (this.trees.length === 0) throw usageError('the classifier is not trained: call train(X, y) first');
  }
}
