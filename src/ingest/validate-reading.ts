import { readingLimits, type Reading, type Rejection } from './reading.js';
import { labelProblem, metadataDepthProblem, metadataJsonProblem, sensorIdProblem } from './check-text.js';
import { parseDecimal } from './parse-number.js';
import { epochToMicros, parseEpochTimestamp, parseIsoTimestamp, timestampProblem } from './parse-timestamp.js';

/**
 * The row rules, shared by `smx ingest` (text fields from CSV/NDJSON) and
 * `smx serve` (JSON bodies), so both accept and reject exactly the same readings.
 * Hand-written checks rather than zod: these run once per row on the hot path
 * (see docs/decisions.md for the measurements). Pure: no I/O, no clock.
 */

/** A validated row with the timestamp in epoch microseconds (what the COPY encoder writes). */
export interface ValidRow {
  sensorId: string;
  tsMicros: number;
  value: number;
  quality: number;
  sensorType: string | undefined;
  unit: string | undefined;
  /** Canonical JSON text of a metadata object, or undefined. */
  metadata: string | undefined;
}

export interface TimeOptions {
  /** Read ISO timestamps without an offset as UTC (otherwise they are rejected). */
  assumeUtc?: boolean;
  /** Timestamps are epoch numbers in this unit instead of ISO-8601 text. */
  timeUnit?: 's' | 'ms';
}

/** The sensor id rules (check-text.ts): length, controls, invisible and bidi characters, white space at the ends. */
export const checkSensorId = sensorIdProblem;

export function parseValue(s: string): number | string {
  if (s.length === 0) return 'empty value';
  const v = parseDecimal(s);
  if (Number.isFinite(v)) return magnitudeProblem(v) ?? v;
  return /^[+-]?(nan|inf(inity)?)$/i.test(s)
    ? `value ${JSON.stringify(s)} is not a finite number`
    : `value ${JSON.stringify(s.slice(0, 40))} is not a decimal number`;
}

/** A finite value beyond ±readingLimits.maxAbsValue (the documented magnitude limit), else undefined. */
export function magnitudeProblem(v: number): string | undefined {
  return v > readingLimits.maxAbsValue || v < -readingLimits.maxAbsValue
    ? `value ${v} is beyond smx's magnitude limit of ±${readingLimits.maxAbsValue} (hourly sums must stay finite)`
    : undefined;
}

export function parseQuality(s: string | undefined): number | string {
  if (s === undefined || s.length === 0) return 1;
  const q = parseDecimal(s);
  if (!Number.isFinite(q)) return `quality ${JSON.stringify(s.slice(0, 40))} is not a number`;
  if (q < 0 || q > 1) return 'quality must be between 0 and 1';
  return q;
}

/** Metadata as JSON text: must be an object; returned canonical (re-serialized) or a reason. */
export function parseMetadata(s: string): { json: string } | string {
  if (s.length > readingLimits.metadataMaxBytes) return `metadata longer than ${readingLimits.metadataMaxBytes} bytes`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    return 'metadata is not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'metadata must be a JSON object';
  const tooDeep = metadataDepthProblem(parsed);
  if (tooDeep) return tooDeep;
  const json = JSON.stringify(parsed);
  return metadataJsonProblem(json) ?? { json };
}

export function parseTimestampText(s: string, options: TimeOptions): number {
  return options.timeUnit ? parseEpochTimestamp(s, options.timeUnit) : parseIsoTimestamp(s, options.assumeUtc);
}

/**
 * Validates one row given as text fields (CSV or NDJSON after mapping). Fills
 * `out` and returns undefined, or returns the first problem. `out` is reused
 * by the caller across rows so the hot path does not allocate.
 */
export function validateTextRow(
  sensorId: string,
  timestamp: string,
  value: string,
  quality: string | undefined,
  sensorType: string | undefined,
  unit: string | undefined,
  metadata: string | undefined,
  options: TimeOptions,
  out: ValidRow,
): Rejection | undefined {
  const idProblem = checkSensorId(sensorId);
  if (idProblem) return { field: 'sensor_id', reason: idProblem };
  const ts = parseTimestampText(timestamp, options);
  if (ts < 0) return { field: 'timestamp', reason: timestampProblem(ts) };
  const v = parseValue(value);
  if (typeof v === 'string') return { field: 'value', reason: v };
  const q = parseQuality(quality);
  if (typeof q === 'string') return { field: 'quality', reason: q };
  let type: string | undefined;
  if (sensorType !== undefined && sensorType.length > 0) {
    const problem = labelProblem(sensorType, 'sensor_type', readingLimits.sensorTypeMaxLength);
    if (problem) return { field: 'sensor_type', reason: problem };
    type = sensorType;
  }
  let unitText: string | undefined;
  if (unit !== undefined && unit.length > 0) {
    const problem = labelProblem(unit, 'unit', readingLimits.unitMaxLength);
    if (problem) return { field: 'unit', reason: problem };
    unitText = unit;
  }
  let meta: string | undefined;
  if (metadata !== undefined && metadata.length > 0) {
    const parsed = parseMetadata(metadata);
    if (typeof parsed === 'string') return { field: 'metadata', reason: parsed };
    meta = parsed.json;
  }
  out.sensorId = sensorId;
  out.tsMicros = ts;
  out.value = v;
  out.quality = q;
  out.sensorType = type;
  out.unit = unitText;
  out.metadata = meta;
  return undefined;
}

export function emptyValidRow(): ValidRow {
  return {
    sensorId: '',
    tsMicros: 0,
    value: 0,
    quality: 1,
    sensorType: undefined,
    unit: undefined,
    metadata: undefined,
  };
}

export type ReadingCheck = { ok: true; reading: Reading; tsMicros: number } | ({ ok: false } & Rejection);

export interface ReadingOptions extends TimeOptions {
  /**
   * For a reading without a timestamp: its instant in epoch microseconds (the
   * server's receive clock, distinct per reading). Absent: such readings are rejected.
   */
  receivedAt?: () => number;
}

/**
 * Validates one reading from a JSON body (the seed's field names: sensor_id,
 * value, timestamp, sensor_type, unit, quality, metadata). `timestamp` is
 * ISO-8601 text or an epoch number in `timeUnit` (default ms), kept to the
 * microsecond; when absent, `receivedAt()` is used if given.
 */
export function validateReading(input: unknown, options: ReadingOptions = {}): ReadingCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, field: '(row)', reason: 'a reading must be a JSON object' };
  const r = input as Record<string, unknown>;
  const fail = (field: string, reason: string): ReadingCheck => ({ ok: false, field, reason });
  if (typeof r.sensor_id !== 'string')
    return fail('sensor_id', r.sensor_id === undefined ? 'empty sensor_id' : 'sensor_id must be a string');
  const idProblem = checkSensorId(r.sensor_id);
  if (idProblem) return fail('sensor_id', idProblem);
  let tsMicros: number;
  if (r.timestamp === undefined || r.timestamp === null) {
    if (options.receivedAt === undefined) return fail('timestamp', timestampProblem(-5));
    tsMicros = options.receivedAt();
  } else if (typeof r.timestamp === 'number') {
    tsMicros = epochToMicros(r.timestamp, options.timeUnit ?? 'ms');
  } else if (typeof r.timestamp === 'string') {
    tsMicros = parseTimestampText(r.timestamp, options);
  } else {
    return fail('timestamp', 'timestamp must be ISO-8601 text or an epoch number');
  }
  if (tsMicros < 0) return fail('timestamp', timestampProblem(tsMicros));
  const value =
    typeof r.value === 'number'
      ? r.value
      : typeof r.value === 'string'
        ? parseValue(r.value)
        : 'value must be a number';
  if (typeof value === 'string') return fail('value', value);
  if (!Number.isFinite(value)) return fail('value', 'value is not a finite number');
  const tooLarge = magnitudeProblem(value);
  if (tooLarge) return fail('value', tooLarge);
  const quality = r.quality === undefined || r.quality === null ? 1 : typeof r.quality === 'number' ? r.quality : NaN;
  if (!(quality >= 0 && quality <= 1)) return fail('quality', 'quality must be a number between 0 and 1');
  for (const [field, max] of [
    ['sensor_type', readingLimits.sensorTypeMaxLength],
    ['unit', readingLimits.unitMaxLength],
  ] as const) {
    const v = r[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return fail(field, `${field} must be a string`);
    const problem = labelProblem(v, field, max);
    if (problem) return fail(field, problem);
  }
  let metadata: Record<string, unknown> | undefined;
  if (r.metadata !== undefined && r.metadata !== null) {
    if (typeof r.metadata !== 'object' || Array.isArray(r.metadata))
      return fail('metadata', 'metadata must be a JSON object');
    // The depth first (JSON.stringify recurses), then size, NUL and surrogates in the text jsonb would get.
    const problem = metadataDepthProblem(r.metadata) ?? metadataJsonProblem(JSON.stringify(r.metadata));
    if (problem) return fail('metadata', problem);
    metadata = r.metadata as Record<string, unknown>;
  }
  // Stored as real: rounded to float32 here, as the binary COPY does, so a text literal never carries a
  // value PostgreSQL's real refuses (1e-46 is "out of range for type real"; it is stored as 0).
  const reading: Reading = {
    sensorId: r.sensor_id,
    ts: Math.floor(tsMicros / 1000),
    micros: tsMicros,
    value,
    quality: quality === 1 ? 1 : Math.fround(quality),
  };
  if (typeof r.sensor_type === 'string' && r.sensor_type.length > 0) reading.sensorType = r.sensor_type;
  if (typeof r.unit === 'string' && r.unit.length > 0) reading.unit = r.unit;
  if (metadata) reading.metadata = metadata;
  return { ok: true, reading, tsMicros };
}
