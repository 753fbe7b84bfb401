/**
 * Where the Redis bus keeps its state, and the Lua scripts whose steps must
 * not interleave with another consumer's. All keys start with the configured
 * prefix (redisPrefix, default 'smx:') so deployments can share one Redis.
 */
import type { SmxEvent } from './event-bus.js';

export interface StreamKeys {
  /** Every event, one entry each: fields id, type, payload, created_at [, only_group]. */
  stream: string;
  /** Dead letters: the event's fields plus group, attempts, error, failed_at. */
  dead: string;
  /** Per group: stream entry ids waiting for their retry time (score: due, ms since epoch, Redis clock). */
  retry(group: string): string;
  /** Per group and event id: set when a handler succeeded, so a redelivery or replay is skipped. */
  done(group: string, eventId: string): string;
  /** Per event id: set on the first publish, so publishing the same id again is a no-op. */
  published(eventId: string): string;
}

export function streamKeys(prefix: string): StreamKeys {
  return {
    stream: `${prefix}events`,
    dead: `${prefix}events:dead`,
    retry: (group) => `${prefix}events:retry:${group}`,
    done: (group, eventId) => `${prefix}events:done:${group}:${eventId}`,
    published: (eventId) => `${prefix}events:published:${eventId}`,
  };
}

/** KEYS: published marker, stream. ARGV: marker ttl s, maxlen, id, type, payload, created_at. Returns the entry id or nil. */
export const publishScript = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[1])) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'id', ARGV[3], 'type', ARGV[4], 'payload', ARGV[5], 'created_at', ARGV[6])
end
return false`;

/**
 * Lua, inside a loop over ids: claims `id` on `stream` for ARGV[2] of group
 * ARGV[1] and appends {id, fields, deliveries} to `out`, the deliveries read
 * back from XPENDING (XCLAIM has just counted one). Shared by both claim scripts.
 */
function claimCounting(stream: string): string {
  return `  local claimed = redis.call('XCLAIM', ${stream}, ARGV[1], ARGV[2], 0, id)
  if claimed[1] then
    local pending = redis.call('XPENDING', ${stream}, ARGV[1], id, id, 1)
    local count = 1
    if pending[1] then count = pending[1][4] end
    table.insert(out, {claimed[1][1], claimed[1][2], count})
  end`;
}

/**
 * Takes the group's due retries: removes each from the retry set and claims it
 * for this consumer in one step, so two consumers never take the same one.
 * KEYS: retry set, stream. ARGV: group, consumer, max. Returns {id, fields, deliveries}[].
 */
export const claimDueScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
${claimCounting('KEYS[2]')}
end
return out`;

/**
 * Takes entries whose consumer stopped renewing the lease (idle past it), but
 * not those waiting in the retry set for their due time: XAUTOCLAIM … JUSTID
 * finds them without counting a delivery, and only the stuck ones are then
 * claimed with XCLAIM, which counts one. (A plain XAUTOCLAIM would count a
 * delivery for every waiting retry it passes over, each time it looked.)
 * KEYS: stream, retry set. ARGV: group, consumer, min idle ms, max. Returns {id, fields, deliveries}[].
 */
export const claimStuckScript = `
local found = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), '0-0', 'COUNT', tonumber(ARGV[4]), 'JUSTID')
local out = {}
for _, id in ipairs(found[2]) do
  if not redis.call('ZSCORE', KEYS[2], id) then
${claimCounting('KEYS[1]')}
  end
end
return out`;

/**
 * Lua guard shared by the scripts below: the entry is still pending for this
 * consumer at this delivery count, i.e. the caller's delivery was not taken
 * over after its lease ran out. A consumer that wakes up late must not
 * reschedule, dead-letter or extend the newer delivery.
 */
const stillOurs = `
local function still_ours(stream, group, id, consumer, attempt)
  local p = redis.call('XPENDING', stream, group, id, id, 1)
  return p[1] ~= nil and p[1][2] == consumer and tonumber(p[1][4]) == tonumber(attempt)
end`;

/**
 * Schedules a retry on Redis' clock, so consumers' clocks need not agree.
 * KEYS: retry set, stream. ARGV: delay ms, entry id, group, consumer, attempt. Returns 1, or 0 when the delivery is no longer ours.
 */
export const scheduleRetryScript = `${stillOurs}
if not still_ours(KEYS[2], ARGV[3], ARGV[2], ARGV[4], ARGV[5]) then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
return 1`;

/**
 * Moves a delivery to the dead letters: XADD to the dead stream, XACK, out of the retry set.
 * KEYS: stream, dead stream, retry set. ARGV: group, consumer, attempt, entry id, maxlen, then the dead entry's field/value pairs.
 * Returns 1, or 0 when the delivery is no longer ours.
 */
export const deadLetterScript = `${stillOurs}
if not still_ours(KEYS[1], ARGV[1], ARGV[4], ARGV[2], ARGV[3]) then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', unpack(ARGV, 6))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[4])
return 1`;

/**
 * Renews a lease: resets the entry's idle time without counting a delivery (XCLAIM … JUSTID).
 * KEYS: stream. ARGV: group, consumer, attempt, entry id. Returns 1, or 0 when the delivery is no longer ours.
 */
export const extendLeaseScript = `${stillOurs}
if not still_ours(KEYS[1], ARGV[1], ARGV[4], ARGV[2], ARGV[3]) then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[4], 'JUSTID')
return 1`;

/** A stream entry's flat [field, value, …] list as an object. */
export function entryFields(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

export function eventFromFields(fields: Record<string, string>): SmxEvent | undefined {
  if (!fields.id || !fields.type) return undefined;
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(fields.payload ?? '{}') as Record<string, unknown>;
  } catch {
    payload = { unparsable: fields.payload };
  }
  return { id: fields.id, type: fields.type, payload, createdAt: fields.created_at ?? '' };
}
