import type { ClassifierOptions, RegressorOptions } from './forest-options.js';
import { RandomForestClassifier } from './random-forest-classifier.js';
import { RandomForestRegressor } from './random-forest-regressor.js';

type SingleTreeOptions<T> = Omit<T, 'nEstimators' | 'bootstrap'>;

/**
 * One CART tree on all rows: a forest of one tree without bootstrap, trying
 * every feature at each split unless maxFeatures says otherwise (scikit-learn's
 * DecisionTreeClassifier defaults). Serialises as a one-tree forest.
 */
export class DecisionTreeClassifier extends RandomForestClassifier {
  constructor(options: SingleTreeOptions<ClassifierOptions> = {}) {
    super({ maxFeatures: 'all', ...options, nEstimators: 1, bootstrap: false });
  }
}

/** One regression tree on all rows (scikit-learn's DecisionTreeRegressor defaults). */
export class DecisionTreeRegressor extends RandomForestRegressor {
  constructor(options: SingleTreeOptions<RegressorOptions> = {}) {
    super({ maxFeatures: 'all', ...options, nEstimators: 1, bootstrap: false });
  }
}
