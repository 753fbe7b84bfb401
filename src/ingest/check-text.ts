import { readingLimits } from './reading.js';

/**
 * What PostgreSQL would refuse, or store differently from what was sent, in a
 * reading's text and metadata, checked before a row joins a batch: one row
 * refused by the database fails its whole batch (and in `smx serve` every
 * request grouped with it), so these rows are rejected here with a reason.
 *
 * - NUL: text columns cannot hold it, and jsonb refuses the `\u0000` escape.
 * - Unpaired UTF-16 surrogates: jsonb refuses their `\udXXX` escape, and in a
 *   text column they would be stored as U+FFFD, a different id than was sent.
 * - Metadata nested deeper than `metadataMaxDepth`: JSON.stringify recurses,
 *   so 5,000 levels overflowed the stack before the size check ran. The
 *   depth is walked first; NUL and surrogates are then found in the JSON text.
 * - Sensor ids: C0/C1 controls, bidirectional and invisible format characters
 *   (U+202E makes "pump-7" display as another id; a trailing no-break space
 *   makes two ids that look the same) and leading or trailing white space.
 *
 * Pure, and free of allocation on the usual path (ASCII ids, flat metadata).
 */

/** C0 controls and DEL (in labels, as before; ids also refuse C1). */
const controlChars = /[\u0000-\u001f\u007f]/;
/**
 * Controls plus the invisible characters rejected in sensor ids: ALM, LRM/RLM,
 * the bidi embeddings, overrides and isolates, zero-width space, word joiner
 * and invisible operators, line/paragraph separators and the BOM. ZWJ and ZWNJ
 * (U+200C/D) stay allowed: some scripts and emoji need them.
 */
const idForbidden = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const idControlChars = /[\u0000-\u001f\u007f-\u009f]/;
/** White space as JavaScript's \s knows it (NBSP, the U+2000 spaces, ideographic space, …). */
const spaceAtEnds = /^\s|\s$/;

/** String.prototype.isWellFormed (Node 20+; not in the ES2023 typings). */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** NUL or an unpaired surrogate in `s` (any text field or JSON string), else undefined. */
export function textProblem(s: string): string | undefined {
  if (s.indexOf('\u0000') >= 0) return 'contains a NUL character (PostgreSQL cannot store it)';
  if (!isWellFormed(s)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/** A sensor_type or unit: bounded, no control characters, valid Unicode. */
export function labelProblem(s: string, field: string, max: number): string | undefined {
  if (s.length > max) return `${field} longer than ${max} characters`;
  if (controlChars.test(s)) return `${field} contains control characters`;
  const problem = textProblem(s);
  return problem ? `${field} ${problem}` : undefined;
}

export function sensorIdProblem(s: string): string | undefined {
  if (s.length === 0) return 'empty sensor_id';
  if (s.length > readingLimits.sensorIdMaxLength)
    return `sensor_id longer than ${readingLimits.sensorIdMaxLength} characters`;
  if (idForbidden.test(s))
    return idControlChars.test(s)
      ? 'sensor_id contains control characters'
      : 'sensor_id contains invisible or bidirectional formatting characters (e.g. U+202E, U+200B, U+FEFF)';
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  // ASCII ends other than the space need no regular expression.
  if (first === 32 || last === 32 || ((first > 127 || last > 127) && spaceAtEnds.test(s)))
    return 'sensor_id has leading or trailing white space (spaces, no-break spaces, …)';
  if (!isWellFormed(s)) return 'sensor_id contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/** A parsed metadata object nested deeper than the limit (checked before JSON.stringify, which recurses), else undefined. */
export function metadataDepthProblem(value: unknown): string | undefined {
  return tooDeep(value, 1) ? `metadata nested deeper than ${readingLimits.metadataMaxDepth} levels` : undefined;
}

function tooDeep(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > readingLimits.metadataMaxDepth) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (tooDeep(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) if (tooDeep((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/**
 * Metadata as serialized JSON (JSON.stringify's text): its size, and the
 * escapes jsonb refuses. JSON.stringify writes a NUL as `\u0000` and an
 * unpaired surrogate as `\udXXX` (a paired one stays a character), in keys and
 * strings alike, so one scan of the text finds both; a backslash the data held
 * is written `\\`, hence the even run of backslashes before the escape.
 * The regular expression runs only when the text holds a `\u` at all.
 */
export function metadataJsonProblem(json: string): string | undefined {
  if (json.length > readingLimits.metadataMaxBytes)
    return `metadata longer than ${readingLimits.metadataMaxBytes} bytes`;
  if (!json.includes('\\u')) return undefined;
  const escape = refusedEscape.exec(json)?.[1];
  if (escape === undefined) return undefined;
  return escape === '0000'
    ? 'metadata contains a NUL character (\\u0000, which PostgreSQL cannot store)'
    : `metadata contains an unpaired UTF-16 surrogate (\\u${escape}, not valid Unicode)`;
}
const refusedEscape = /(?:^|[^\\])(?:\\\\)*\\u(0000|d[89a-f][0-9a-f]{2})/i;
