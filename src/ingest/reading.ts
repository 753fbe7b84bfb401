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

/** A validated reading, ready to be written. `ts` is epoch milliseconds or a Date; `micros`, when set, is the exact instant. */
export interface Reading {
  sensorId: string;
  ts: number | Date;
  /** The instant in epoch microseconds (what is stored); wins over `ts`, which holds only milliseconds. */
  micros?: number;
  value: number;
  /** 0..1; 1 when absent. */
  quality?: number;
  sensorType?: string;
  unit?: string;
  metadata?: Record<string, unknown>;
}

/** A reading's instant in epoch microseconds. */
export function readingMicros(r: Pick<Reading, 'ts' | 'micros'>): number {
  return r.micros ?? (typeof r.ts === 'number' ? r.ts : r.ts.getTime()) * 1000;
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
  /** Nesting levels of metadata (the object itself is level 1). */
  metadataMaxDepth: 32,
  /**
   * |value| at most this: far beyond any physical measurement, and small enough
   * that an hourly sum of every reading a sensor can have in an hour (3.6e9, one
   * per microsecond) stays finite, so the hourly average is never Infinity.
   */
  maxAbsValue: 1e100,
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
