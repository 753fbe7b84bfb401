import { usageError } from '../../errors.js';
import { exportForestToOnnx } from '../onnx/tree-ensemble-export.js';
import { IsolationForest, type IsolationForestJson } from '../tree/isolation-forest.js';
import { RandomForestClassifier, type RandomForestClassifierJson } from '../tree/random-forest-classifier.js';
import { RandomForestRegressor, type RandomForestRegressorJson } from '../tree/random-forest-regressor.js';
import type { ModelKind } from './types.js';

export type TreeModel = RandomForestClassifier | RandomForestRegressor | IsolationForest;

/** Rebuilds an in-process tree model from its model.json. */
export function treeModelFromJson(kind: ModelKind, json: unknown): TreeModel {
  switch (kind) {
    case 'random-forest-classifier':
      return RandomForestClassifier.fromJSON(json as RandomForestClassifierJson);
    case 'random-forest-regressor':
      return RandomForestRegressor.fromJSON(json as RandomForestRegressorJson);
    case 'isolation-forest':
      return IsolationForest.fromJSON(json as IsolationForestJson);
    case 'mlp-forecaster':
    case 'statistical-forecaster':
      throw usageError('a forecaster is not a tree model and has no ONNX export');
  }
}

const forecasterKinds: readonly string[] = new Set(['mlp-forecaster', 'statistical-forecaster']);
export const isTreeKind = (kind: string): kind is Exclude<ModelKind, 'mlp-forecaster' | 'statistical-forecaster'> =>
  !forecasterKinds.has(kind);

/** model.onnx for tree models (served by onnxruntime-node); null for the forecaster. */
export function onnxFor(kind: ModelKind, json: unknown, featureNames: readonly string[]): Uint8Array | null {
  return isTreeKind(kind) ? exportForestToOnnx(treeModelFromJson(kind, json), featureNames) : null;
}
