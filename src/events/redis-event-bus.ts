/**
 * The event bus on Redis Streams: one stream of events, one consumer group
 * per subscriber (XGROUP CREATE … $ MKSTREAM), XREADGROUP for new entries,
 * XACK when done.
 *
 * - retries: a failed entry stays pending and its id goes into the group's
 *   retry set, scored with its due time; `claim` takes due ids back with XCLAIM
 *   (claimDueScript), and the entry's delivery count is the attempt number.
 * - stuck entries: XAUTOCLAIM … JUSTID finds entries idle longer than the lease
 *   (their consumer died) and those not waiting in the retry set are claimed
 *   (claimStuckScript); live handlers keep theirs fresh with XCLAIM … JUSTID.
 * - dead letters: XADD to the dead stream and XACK, in one script; replay
 *   re-adds the event to the stream addressed to that group only.
 * - stale consumers: retry, dead-letter and lease renewal first check that the
 *   entry is still pending for this consumer at this delivery count, so a
 *   consumer whose lease ran out cannot disturb the one that took over.
 * - idempotency: a per-group done marker by event id, checked before a handler
 *   runs, so a redelivery or a replay of an event already handled is skipped.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DeadLetter, Delivery, EventBus, SmxEvent } from './event-bus.js';
import {
  claimDueScript,
  claimStuckScript,
  deadLetterScript,
  entryFields,
  eventFromFields,
  extendLeaseScript,
  publishScript,
  scheduleRetryScript,
  streamKeys,
} from './redis-stream-keys.js';
import { validateEventId, validateEventType } from './validate-event.js';
import { systemClock, type Clock } from '../clock.js';

export interface RedisEventBusOptions {
  prefix: string;
  /** How long done and published markers are kept (default 30 days). */
  markerTtlSeconds?: number;
  /** Approximate cap on the stream's length (default 100 000 entries). */
  maxLength?: number;
  /** The clock of the events' created_at and failed_at (default: the system's). */
  now?: Clock | undefined;
}

type RawEntry = [string, string[]];

export function createRedisEventBus(redis: Redis, options: RedisEventBusOptions): EventBus {
  const keys = streamKeys(options.prefix);
  const markerTtl = options.markerTtlSeconds ?? 30 * 86_400;
  const maxLength = options.maxLength ?? 100_000;
  const now = options.now ?? systemClock;
  // Blocking reads get their own connection so heartbeats and acks never wait behind them.
  let blocking: Redis | undefined;

  /** Turns claimed entries into deliveries, acking those this group must skip. */
  async function toDeliveries(
    group: string,
    consumer: string,
    types: readonly string[],
    entries: Array<{ id: string; flat: string[]; attempt: number }>,
  ): Promise<Delivery[]> {
    if (entries.length === 0) return [];
    const parsed = entries.map((e) => ({ ...e, fields: entryFields(e.flat) }));
    const doneFlags = await redis.mget(...parsed.map((e) => keys.done(group, e.fields.id ?? '-')));
    const deliveries: Delivery[] = [];
    const skip: string[] = [];
    parsed.forEach((entry, i) => {
      const event = eventFromFields(entry.fields);
      const foreign = entry.fields.only_group !== undefined && entry.fields.only_group !== group;
      if (!event || foreign || !types.includes(event.type) || doneFlags[i] !== null) skip.push(entry.id);
      else deliveries.push({ event, group, consumer, attempt: entry.attempt, receipt: entry.id });
    });
    if (skip.length) await redis.xack(keys.stream, group, ...skip);
    return deliveries;
  }

  return {
    kind: 'redis',
    async publish(type, payload, publishOptions = {}) {
      validateEventType(type);
      const id = validateEventId(publishOptions.id ?? randomUUID());
      const createdAt = new Date(now()).toISOString();
      await redis.eval(
        publishScript,
        2,
        keys.published(id),
        keys.stream,
        markerTtl,
        maxLength,
        id,
        type,
        JSON.stringify(payload),
        createdAt,
      );
      return { id, type, payload, createdAt };
    },

    async ensureGroup(group, types) {
      types.forEach(validateEventType);
      try {
        await redis.xgroup('CREATE', keys.stream, group, '$', 'MKSTREAM');
      } catch (error) {
        if (!(error as Error).message.includes('BUSYGROUP')) throw error;
      }
    },

    async claim(group, consumer, types, claimOptions) {
      const out: Delivery[] = [];
      // 1. Retries whose time has come.
      const due = (await redis.eval(
        claimDueScript,
        2,
        keys.retry(group),
        keys.stream,
        group,
        consumer,
        claimOptions.max,
      )) as Array<[string, string[], number]>;
      out.push(
        ...(await toDeliveries(
          group,
          consumer,
          types,
          due.map(([id, flat, count]) => ({ id, flat, attempt: count })),
        )),
      );
      // 2. Entries whose consumer stopped renewing the lease (crashed or hung); waiting retries stay for their due time.
      if (out.length < claimOptions.max) {
        const stuck = (await redis.eval(
          claimStuckScript,
          2,
          keys.stream,
          keys.retry(group),
          group,
          consumer,
          Math.max(0, Math.round(claimOptions.visibilityMs)),
          claimOptions.max - out.length,
        )) as Array<[string, string[], number]>;
        out.push(
          ...(await toDeliveries(
            group,
            consumer,
            types,
            stuck.map(([id, flat, count]) => ({ id, flat, attempt: count })),
          )),
        );
      }
      // 3. New entries, waiting for one when there is nothing else to do.
      if (out.length < claimOptions.max && !claimOptions.signal?.aborted) {
        const wait = out.length === 0 && claimOptions.waitMs > 0;
        const reader = wait ? (blocking ??= redis.duplicate()) : redis;
        const args: Array<string | number> = ['GROUP', group, consumer, 'COUNT', claimOptions.max - out.length];
        if (wait) args.push('BLOCK', Math.max(1, Math.round(claimOptions.waitMs)));
        args.push('STREAMS', keys.stream, '>');
        const result = (await (reader.xreadgroup as (...a: Array<string | number>) => Promise<unknown>)(...args).catch(
          (error: Error) => {
            if (claimOptions.signal?.aborted) return null;
            throw error;
          },
        )) as Array<[string, RawEntry[]]> | null;
        const fresh = result?.[0]?.[1] ?? [];
        out.push(
          ...(await toDeliveries(
            group,
            consumer,
            types,
            fresh.map(([id, flat]) => ({ id, flat, attempt: 1 })),
          )),
        );
      }
      return out;
    },

    async complete(delivery) {
      await redis
        .multi()
        .set(keys.done(delivery.group, delivery.event.id), '1', 'EX', markerTtl)
        .xack(keys.stream, delivery.group, delivery.receipt)
        .zrem(keys.retry(delivery.group), delivery.receipt)
        .exec();
    },

    async fail(delivery, failOptions) {
      // Both scripts do nothing when the delivery was taken over after its lease ran out (see stillOurs).
      if (!failOptions.dead) {
        await redis.eval(
          scheduleRetryScript,
          2,
          keys.retry(delivery.group),
          keys.stream,
          Math.max(0, Math.round(failOptions.delayMs)),
          delivery.receipt,
          delivery.group,
          delivery.consumer,
          delivery.attempt,
        );
        return;
      }
      const e = delivery.event;
      await redis.eval(
        deadLetterScript,
        3,
        keys.stream,
        keys.dead,
        keys.retry(delivery.group),
        delivery.group,
        delivery.consumer,
        delivery.attempt,
        delivery.receipt,
        maxLength,
        'id',
        e.id,
        'type',
        e.type,
        'payload',
        JSON.stringify(e.payload),
        'created_at',
        e.createdAt,
        'group',
        delivery.group,
        'attempts',
        String(delivery.attempt),
        'error',
        failOptions.error.slice(0, 4000),
        'failed_at',
        new Date(now()).toISOString(),
      );
    },

    async extend(delivery) {
      await redis.eval(
        extendLeaseScript,
        1,
        keys.stream,
        delivery.group,
        delivery.consumer,
        delivery.attempt,
        delivery.receipt,
      );
    },

    async recent(recentOptions = {}) {
      const limit = recentOptions.limit ?? 20;
      const entries = (await redis.xrevrange(
        keys.stream,
        '+',
        '-',
        'COUNT',
        recentOptions.type ? limit * 20 : limit * 2,
      )) as RawEntry[];
      const seen = new Set<string>();
      const events: SmxEvent[] = [];
      for (const [, flat] of entries) {
        const event = eventFromFields(entryFields(flat));
        if (!event || seen.has(event.id) || (recentOptions.type && event.type !== recentOptions.type)) continue;
        seen.add(event.id);
        events.push(event);
        if (events.length >= limit) break;
      }
      return events;
    },

    async deadLetters(deadOptions = {}) {
      const entries = (await redis.xrevrange(keys.dead, '+', '-')) as RawEntry[];
      const letters: DeadLetter[] = [];
      for (const [, flat] of entries) {
        const fields = entryFields(flat);
        const event = eventFromFields(fields);
        if (!event || (deadOptions.group && fields.group !== deadOptions.group)) continue;
        letters.push({
          event,
          group: fields.group ?? '',
          attempts: Number(fields.attempts ?? 0),
          lastError: fields.error ?? '',
          failedAt: fields.failed_at ?? '',
        });
        if (letters.length >= (deadOptions.limit ?? 100)) break;
      }
      return letters;
    },

    async replayDeadLetters(replayOptions = {}) {
      const wanted = replayOptions.eventIds ? new Set(replayOptions.eventIds.map((id) => id.toLowerCase())) : undefined;
      const entries = (await redis.xrange(keys.dead, '-', '+')) as RawEntry[];
      let replayed = 0;
      for (const [entryId, flat] of entries) {
        const f = entryFields(flat);
        if (!f.id || !f.type || !f.group) continue;
        if ((replayOptions.group && f.group !== replayOptions.group) || (wanted && !wanted.has(f.id))) continue;
        // XDEL first: only the caller that removed the dead entry re-adds it.
        const removed = await redis.xdel(keys.dead, entryId);
        if (removed !== 1) continue;
        await redis.xadd(
          keys.stream,
          'MAXLEN',
          '~',
          maxLength,
          '*',
          'id',
          f.id,
          'type',
          f.type,
          'payload',
          f.payload ?? '{}',
          'created_at',
          f.created_at ?? '',
          'only_group',
          f.group,
        );
        replayed++;
      }
      return replayed;
    },

    async close() {
      blocking?.disconnect();
      blocking = undefined;
    },
  };
}
