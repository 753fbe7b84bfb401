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
 *   so 5,000 levels overflowed the stack before the size check ran.
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

/**
 * A parsed metadata object: nesting depth, and NUL or unpaired surrogates in
 * any key or string. Returns the reason, or undefined when jsonb will take it.
 */
export function metadataProblem(value: unknown): string | undefined {
  return walk(value, 1);
}

function walk(value: unknown, depth: number): string | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? `a metadata string ${problem}` : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > readingLimits.metadataMaxDepth)
    return `metadata nested deeper than ${readingLimits.metadataMaxDepth} levels`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = walk(value[i], depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key in value) {
    const keyProblem = textProblem(key);
    if (keyProblem) return `a metadata key ${keyProblem}`;
    const problem = walk((value as Record<string, unknown>)[key], depth + 1);
    if (problem) return problem;
  }
  return undefined;
}
