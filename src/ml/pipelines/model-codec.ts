import { usageError } from '../../errors.js';
import type { PcaMonitorJson } from '../anomaly/pca-monitor.js';
import { exportPcaMonitorToOnnx } from '../onnx/pca-monitor-export.js';
import { exportForestToOnnx } from '../onnx/tree-ensemble-export.js';
import { servedModelJson } from './detectors/detector-stage.js';
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
    case 'pca-monitor':
    case 'autoencoder':
    case 'mlp-forecaster':
    case 'statistical-forecaster':
      throw usageError(`a ${kind} is not a tree model`);
    case 'stream-novelty':
    case 'group-novelty':
    case 'health-alarm':
      throw usageError(`a ${kind} detector is not a tree model and has no ONNX export`);
  }
}

export const isTreeKind = (kind: string): kind is TreeKind =>
  kind === 'random-forest-classifier' || kind === 'random-forest-regressor' || kind === 'isolation-forest';
type TreeKind = 'random-forest-classifier' | 'random-forest-regressor' | 'isolation-forest';

/**
 * model.onnx: tree models and the PCA monitor (served by onnxruntime-node; for
 * a per-group run, the served group's model); null for the forecaster and the
 * autoencoder, which `smx predict` does not serve.
 */
export function onnxFor(kind: ModelKind, json: unknown, featureNames: readonly string[]): Uint8Array | null {
  const served = servedModelJson(json);
  if (kind === 'pca-monitor') return exportPcaMonitorToOnnx(served as PcaMonitorJson, featureNames);
  // The extended isolation forest splits on hyperplanes, which the ONNX tree operators cannot express.
  if ((served as { kind?: unknown } | null)?.kind === 'smx.ExtendedIsolationForest') return null;
  return isTreeKind(kind) ? exportForestToOnnx(treeModelFromJson(kind, served), featureNames) : null;
}
