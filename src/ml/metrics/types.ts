/**
 * Types shared by training and the registry, in a leaf that imports no
 * pipeline code: the registry stores and renders these, training produces
 * them, and neither imports the other (scripts/check-imports.mjs).
 */
import type { EvaluationSpec } from '../../pipeline/schema.js';
import type { SeedSummary } from './seed-summary.js';

/**
 * metrics.json: the primary metric (what `smx models recommend` ranks by and
 * a retrain compares champion and challenger on), a flat table of named
 * figures, and the detail a reviewer needs (per-class report, confusion matrix,
 * per-group figures, baselines), with the split described in words.
 */
export interface Metrics {
  kind: EvaluationSpec['kind'];
  primary: { name: string; value: number; higherIsBetter: boolean };
  split: string;
  nFit: number;
  nTest: number;
  metrics: Record<string, number>;
  detail: Record<string, unknown>;
  reference: { source: string; metrics: Record<string, number> } | null;
  /**
   * Present when the pipeline ran over several seeds: then `primary.value` and
   * `metrics` are the means over seeds, this holds the sd and every seed's
   * figures, and `detail`, `split`, `nFit`, `nTest` are the registered seed's.
   */
  seeds?: SeedSummary;
}
