/**
 * Types of a drift timeline: the period cut into chunks (NannyML's chunked
 * view), each evaluated against its reference and stored as one
 * drift_checks row. A chunk keeps per column only what the timeline shows —
 * the deciding score, the effect size, the two windows' means and the
 * reference band — not the full report with histograms.
 */
import type { QualitySignal } from '../quality/quality-signals.js';
import type { CalibrationRecord, ColumnStatus, DriftTest, MultivariateResult } from '../types.js';

export interface TimelineColumn {
  column: string;
  status: ColumnStatus;
  test: DriftTest;
  statistic: number | null;
  score: number | null;
  scoreKind: 'p-value' | 'distance';
  threshold: number;
  drifted: boolean;
  /** The effect size beside a p-value test (W/max(σ, 0.001) or Jensen–Shannon) and its floor. */
  effect: number | null;
  effectFloor: number | null;
  /** |ln(σ_cur/σ_ref)|, when a spread floor is set. */
  spread: number | null;
  /** Mean of the chunk's values; the reference's mean and band (mean ± 2σ). */
  mean: number | null;
  referenceMean: number | null;
  referenceLow: number | null;
  referenceHigh: number | null;
  currentCount: number;
  referenceCount: number;
  note?: string;
}

export interface TimelineChunk {
  from: Date;
  to: Date;
  /** The reference this chunk was compared with, in words. */
  reference: string;
  status: 'tested' | 'insufficient-data';
  datasetDrift: boolean;
  shareDrifted: number;
  driftedColumns: number;
  testedColumns: number;
  columns: TimelineColumn[];
  /** Only the signals that alarm, to keep a chunk small. */
  qualityAlarms: QualitySignal[];
  multivariate?: MultivariateResult[];
  /** With calibrated effect floors: the floors used and the effects measured. */
  calibration?: CalibrationRecord;
  /** drift_checks id, when stored. */
  id?: number;
}

export interface TimelineResult {
  runId: string;
  subject: string;
  sensorIds: string[];
  from: Date;
  to: Date;
  chunkMs: number;
  referenceText: string;
  /** Dataset drift when at least this share of a chunk's columns drifted. */
  driftShare: number;
  chunks: TimelineChunk[];
  /** Readings streamed (reference look-back included). */
  rowsRead: number;
  stored: boolean;
  reportPath?: string;
  timings: { loadMs: number; evaluateMs: number; storeMs: number };
}
