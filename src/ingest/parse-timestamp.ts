import { readingLimits } from './reading.js';

/**
 * Timestamp parsing for ingest, hand-written because it runs once per row:
 * ISO-8601 `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]` with `Z` or an offset
 * (`±HH`, `±HHMM`, `±HH:MM`), or epoch numbers in seconds or milliseconds.
 *
 * Results are epoch microseconds (exact: every instant in range is a safe
 * integer). Failures are negative codes, so the hot path allocates nothing;
 * `timestampProblem(code)` turns a code into the reason written to the rejects file.
 */
export const TimestampFailure = {
  malformed: -1,
  noOffset: -2,
  outOfRange: -3,
  badField: -4,
  empty: -5,
} as const;

const reasons: Record<number, string> = {
  [TimestampFailure.malformed]: 'not an ISO-8601 timestamp (expected e.g. 2024-05-01T12:00:00Z)',
  [TimestampFailure.noOffset]: 'timestamp has no time zone offset or Z (use --assume-utc to read it as UTC)',
  [TimestampFailure.outOfRange]: 'timestamp outside 1970-01-01 .. 2100-01-01',
  [TimestampFailure.badField]: 'timestamp has an impossible month, day, hour, minute, second or offset',
  [TimestampFailure.empty]: 'empty timestamp',
};

export function timestampProblem(code: number): string {
  return reasons[code] ?? 'invalid timestamp';
}

const minMicros = readingLimits.minTsMs * 1000;
const maxMicros = readingLimits.maxTsMs * 1000;

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Reads `count` ASCII digits at `at`; -1 when any is not a digit. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** ISO-8601 → epoch microseconds, or a negative TimestampFailure code. */
export function parseIsoTimestamp(s: string, assumeUtc = false): number {
  const n = s.length;
  if (n === 0) return TimestampFailure.empty;
  if (n < 10 || n > 40) return TimestampFailure.malformed;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 0 || day < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return TimestampFailure.malformed;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return TimestampFailure.badField;
  let hour = 0,
    minute = 0,
    second = 0,
    micros = 0;
  let i = 10;
  let hasTime = false;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep !== 84 && sep !== 116 && sep !== 32) return TimestampFailure.malformed; // T, t, space
    hour = digits(s, i + 1, 2);
    minute = digits(s, i + 4, 2);
    if (hour < 0 || minute < 0 || s.charCodeAt(i + 3) !== 58) return TimestampFailure.malformed;
    hasTime = true;
    i += 6;
    if (s.charCodeAt(i) === 58) {
      second = digits(s, i + 1, 2);
      if (second < 0) return TimestampFailure.malformed;
      i += 3;
      const dot = s.charCodeAt(i);
      if (dot === 46 || dot === 44) {
        // Fraction: keep microseconds, drop (truncate) finer digits.
        i += 1;
        let scale = 100_000;
        const start = i;
        while (i < n) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) break;
          if (scale >= 1) micros += c * scale;
          scale /= 10;
          i += 1;
        }
        if (i === start) return TimestampFailure.malformed;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return TimestampFailure.badField;
  }
  let offsetMinutes = 0;
  if (i === n) {
    if (!assumeUtc) return TimestampFailure.noOffset;
  } else {
    const c = s.charCodeAt(i);
    if ((c === 90 || c === 122) && i + 1 === n) {
      // Z
    } else if ((c === 43 || c === 45) && hasTime) {
      const oh = digits(s, i + 1, 2);
      let om = 0;
      const rest = n - i - 3;
      if (rest === 0) om = 0;
      else if (rest === 3 && s.charCodeAt(i + 3) === 58) om = digits(s, i + 4, 2);
      else if (rest === 2) om = digits(s, i + 3, 2);
      else return TimestampFailure.malformed;
      if (oh < 0 || om < 0) return TimestampFailure.malformed;
      if (oh > 23 || om > 59) return TimestampFailure.badField;
      offsetMinutes = (c === 45 ? -1 : 1) * (oh * 60 + om);
    } else {
      return TimestampFailure.malformed;
    }
  }
  if (year < 1970 || year > 2100) return TimestampFailure.outOfRange;
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  const result = seconds * 1_000_000 + micros;
  if (result < minMicros || result >= maxMicros) return TimestampFailure.outOfRange;
  return result;
}

/** Epoch seconds or milliseconds (decimal text) → epoch microseconds, or a negative failure code. */
export function parseEpochTimestamp(s: string, unit: 's' | 'ms'): number {
  if (s.length === 0) return TimestampFailure.empty;
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) return TimestampFailure.malformed;
  return epochToMicros(Number(s), unit);
}

export function epochToMicros(value: number, unit: 's' | 'ms'): number {
  if (!Number.isFinite(value)) return TimestampFailure.malformed;
  const result = Math.round(unit === 's' ? value * 1_000_000 : value * 1000);
  if (result < minMicros || result >= maxMicros) return TimestampFailure.outOfRange;
  return result;
}
