/**
 * Types of the retrain loop.
 *
 * Glossary
 * - target: a registered model that retrain may re-run, with the sensors (or
 *   the sensor type) whose drift affects it.
 * - champion: the version currently serving (the registry's champion alias).
 * - challenger: the version this run trained on fresh data.
 * - data window: [from, to) of fresh data; the newest part, [heldOutFrom, to),
 *   is held out and both versions are evaluated on it, never trained on it.
 * - cooldown: after a run of a model, further runs wait this long (default
 *   24 h) unless forced; it is read from retrain_runs, so it survives restarts.
 */

export interface RetrainTarget {
  model: string;
  /** Sensor ids whose drift affects this model. */
  sensors?: readonly string[];
  /** Or every sensor of this type. */
  sensorType?: string;
  /** Or every sensor (a model over all sensors' data, e.g. sensor-hourly-anomaly). */
  allSensors?: boolean;
}

export interface DataWindow {
  from: string;
  to: string;
  heldOutFrom: string;
}

/** What an evaluation returns: the deciding metric and any others, for the record. */
export interface EvaluationMetrics {
  primary: { name: string; value: number; higherIsBetter: boolean };
  values: Record<string, number>;
  /**
   * Set when the primary metric cannot rank two versions (an unsupervised
   * detector's alarm share on unlabelled data): why, in words. A run never
   * promotes on such a metric; it records the figures and this reason.
   */
  notComparable?: string;
}

/**
 * What retrain needs from the training side (src/pipeline + src/registry).
 * Narrow on purpose: tests hand in a deterministic one, the CLI the registry's.
 */
export interface Trainer {
  /** Models retrain may re-run, with what they watch. */
  targets(): Promise<RetrainTarget[]>;
  /** The champion's version, or undefined when the model has none yet. */
  champion(model: string): Promise<string | undefined>;
  /** Re-runs the model's pipeline on [window.from, window.heldOutFrom) and registers a challenger (not promoted). */
  train(model: string, window: DataWindow, signal: AbortSignal): Promise<{ version: string }>;
  /** Evaluates one version on the held-out part [window.heldOutFrom, window.to). */
  evaluate(model: string, version: string, window: DataWindow, signal: AbortSignal): Promise<EvaluationMetrics>;
  /** Makes `version` the champion. */
  promote(model: string, version: string): Promise<void>;
}

export type RetrainStatus = 'promoted' | 'rejected' | 'failed' | 'skipped';

export interface RetrainTrigger {
  /** 'event' (from --watch), 'manual' or 'cron'. */
  kind: 'event' | 'manual' | 'cron';
  eventId?: string;
  /** Sensors reported drifting by the event. */
  sensorIds?: readonly string[];
}

export interface RetrainOutcome {
  model: string;
  status: RetrainStatus;
  reason: string;
  runId: number | null;
  championVersion?: string;
  challengerVersion?: string;
  championMetrics?: EvaluationMetrics;
  challengerMetrics?: EvaluationMetrics;
  window?: DataWindow;
}
