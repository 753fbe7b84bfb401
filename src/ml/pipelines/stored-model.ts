import type { Metrics } from '../metrics/types.js';

/**
 * What prediction, evaluation and the reports read of a registered model
 * version. The registry's loadModel returns one (with more: its index entry
 * and aliases, registry/load-model.ts); ml/ names only this shape, so it does
 * not import the registry.
 */
export interface StoredModel {
  name: string;
  version: number;
  dir: string;
  entry: { modelKind: string; createdAt: string; description: string };
  featureNames: string[];
  params: Record<string, unknown>;
  metrics: Metrics;
  /** Path of model.onnx, or null for models without an ONNX export (the forecaster). */
  onnxPath: string | null;
  /** The in-process model's JSON (read on demand: a forest's model.json is the large file). */
  readModelJson(): Promise<unknown>;
}
