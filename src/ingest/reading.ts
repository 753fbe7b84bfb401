/**
 * Glossary for the ingest path.
 *
 * - Reading: one sensor value at one instant, as smx stores it in sensor_readings.
 * - Rejection: why a reading failed validation (the field at fault and the reason).
 *   `smx ingest` writes each to the rejects file with its line and raw text, `smx serve`
 *   answers it with the reading's index; either way it is counted, never dropped silently.
 * - Batch: the rows written in one transaction (one COPY); an ingest run commits one batch at a time.
 * - Ingest batch row (ingest_batches): one run's record, keyed by its idempotency key.
 */

/** A validated reading, ready to be written. `ts` is epoch milliseconds or a Date. */
export interface Reading {
  sensorId: string;
  ts: number | Date;
  value: number;
  /** 0..1; 1 when absent. */
  quality?: number;
  sensorType?: string;
  unit?: string;
  metadata?: Record<string, unknown>;
}

/** Why a reading was refused: the field at fault ('(row)' for the reading as a whole; validation always names one) and the reason. */
export interface Rejection {
  field?: string | undefined;
  reason: string;
}

/** The verdict on one raw reading: the row to write, or why not. */
export type Validation<Row> = { ok: true; row: Row } | ({ ok: false } & Rejection);

/** The limits every reading is held to, by every writer (CLI ingest and `smx serve`). */
export const readingLimits = {
  /** Matches the sensors.sensor_id check constraint. */
  sensorIdMaxLength: 200,
  sensorTypeMaxLength: 64,
  unitMaxLength: 32,
  /** Serialized JSON bytes of metadata. */
  metadataMaxBytes: 16_384,
  /** Timestamps outside [minTs, maxTs) are rejected: they are almost always unit mistakes (s vs ms) or garbage. */
  minTsMs: Date.UTC(1970, 0, 1),
  maxTsMs: Date.UTC(2100, 0, 1),
} as const;

/** Sensor types the seed's API accepted; other names are allowed too (see validate-reading.ts). */
export const knownSensorTypes = [
  'temperature',
  'vibration',
  'pressure',
  'humidity',
  'bearing',
  'pump',
  'manufacturing',
  'audio',
  'forecasting',
  'voltage',
  'general',
] as const;
