import type { Clock } from './clock.js';
import { usageError } from './errors.js';

/**
 * The one reading of an instant given by a person (a flag, a window bound),
 * for every command:
 *
 *   2026-01-01                 UTC midnight of that date
 *   2026-01-01T06:00Z, …+02:00 as given
 *   2026-01-01T06:00           a time without a zone is UTC, never the machine's local time
 *   now                        the clock's time (only where a clock is given)
 *
 * Returns epoch milliseconds; anything else is a usage error naming the flag.
 * (Timestamps inside ingested data follow the stricter row rules of
 * ingest/parse-timestamp.ts: there a missing zone is an error unless --assume-utc.)
 */
export function parseInstant(text: string, flag: string, now?: Clock): number {
  const trimmed = text.trim();
  if (trimmed === 'now' && now) return now();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  const ms = Date.parse(dateOnly ? `${trimmed}T00:00:00Z` : hasZone ? trimmed : `${trimmed}Z`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) || !Number.isFinite(ms)) {
    throw usageError(`${flag}: ${JSON.stringify(text)} is not a date or ISO-8601 time.`, {
      hint: `Use e.g. 2026-01-01, 2026-01-01T06:00Z${now ? ' or now' : ''}.`,
    });
  }
  return ms;
}
