/** Tree learners on column-major typed-array matrices; see docs/models.md. */
export {
  type Matrix,
  matrixFromColumns,
  matrixFromRows,
  selectRows,
  toMatrix,
  toRowMajorFloat32,
  fromRowMajor,
} from './matrix.js';
export { type FlatTree, findLeaf, nodeDepths } from './flat-tree.js';
export type { ClassWeight, ClassifierOptions, ForestOptions, MaxFeatures, RegressorOptions } from './forest-options.js';
export { RandomForestClassifier, type RandomForestClassifierJson } from './random-forest-classifier.js';
export { RandomForestRegressor, type RandomForestRegressorJson } from './random-forest-regressor.js';
export { DecisionTreeClassifier, DecisionTreeRegressor } from './decision-tree.js';
export {
  IsolationForest,
  type IsolationForestJson,
  type IsolationForestOptions,
  scoresFromPathLengths,
} from './isolation-forest.js';
export { averagePathLength } from './isolation-tree.js';
export { Random } from '../../random.js';
