/**
 * The event bus on the Postgres outbox (events + event_deliveries + event_groups).
 *
 * - publish: one statement inserts the event (ON CONFLICT on event_id: a repeat
 *   is a no-op) and one delivery row per subscribed group, then NOTIFY smx_events.
 *   With `client` it joins the caller's transaction (outbox pattern).
 * - claim: FOR UPDATE SKIP LOCKED over the group's ready deliveries, so several
 *   consumers never take the same one; the claim bumps `attempts` and sets a
 *   lease (`locked_until`). A consumer that dies leaves the lease to run out and
 *   the delivery becomes ready again, as XAUTOCLAIM does on Redis.
 * - waiting: LISTEN smx_events on one held connection, woken by publishers.
 * - dead letters: deliveries with status 'dead'; replay sets them pending again.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import type {
  ClaimOptions,
  DeadLetter,
  Delivery,
  EventBus,
  FailOptions,
  PublishOptions,
  SmxEvent,
} from './event-bus.js';
import { validateEventId, validateEventType } from './validate-event.js';

const channel = 'smx_events';

type ClaimedRow = {
  event_id: string;
  attempts: number;
  type: string;
  payload: Record<string, unknown>;
  created_at: Date;
  id?: number;
};

/** `now`: the clock of an event's created_at when its row cannot be read back (the row's own is the database's). */
export function createPostgresEventBus(db: Db, options: { now?: Clock | undefined } = {}): EventBus {
  const now = options.now ?? systemClock;
  const waiter = db.listen(channel);
  const toEvent = (r: {
    event_id: string;
    type: string;
    payload: Record<string, unknown>;
    created_at: Date;
  }): SmxEvent => ({
    id: r.event_id,
    type: r.type,
    payload: r.payload,
    createdAt: r.created_at.toISOString(),
  });

  async function claimReady(
    group: string,
    consumer: string,
    types: readonly string[],
    options: ClaimOptions,
  ): Promise<Delivery[]> {
    const { rows } = await db.query<ClaimedRow>(
      `with ready as (
         select d.event_id from event_deliveries d join events e on e.event_id = d.event_id
         where d.consumer_group = $1 and d.status = 'pending' and d.next_attempt_at <= now()
           and (d.locked_until is null or d.locked_until <= now()) and e.type = any($2::text[])
         order by d.next_attempt_at, e.id
         limit $3
         for update of d skip locked
       )
       update event_deliveries d
          set attempts = d.attempts + 1, locked_until = now() + $4 * interval '1 millisecond', updated_at = now()
         from ready, events e
        where d.event_id = ready.event_id and d.consumer_group = $1 and e.event_id = d.event_id
       returning d.event_id::text, d.attempts, e.type, e.payload, e.created_at, e.id`,
      [group, types, options.max, options.visibilityMs],
    );
    rows.sort((a, b) => (a.id ?? 0) - (b.id ?? 0)); // publication order
    return rows.map((r) => ({ event: toEvent(r), group, consumer, attempt: r.attempts, receipt: r.event_id }));
  }

  return {
    kind: 'postgres',
    async publish(type, payload, options: PublishOptions = {}) {
      validateEventType(type);
      const id = validateEventId(options.id ?? randomUUID());
      const runner = options.client ?? db;
      const { rows } = await runner.query<{ created_at: Date }>(
        `with inserted as (
           insert into events (event_id, type, payload) values ($1, $2, $3::jsonb)
           on conflict (event_id) do nothing
           returning event_id, type, created_at
         ), fanout as (
           insert into event_deliveries (event_id, consumer_group)
           select i.event_id, g.consumer_group from inserted i join event_groups g on g.event_type = i.type
           on conflict do nothing
           returning 1
         )
         select i.created_at, (select count(*) from fanout) as deliveries, pg_notify($4, i.type)
         from inserted i`,
        [id, type, JSON.stringify(payload), channel],
      );
      let createdAt = rows[0]?.created_at;
      if (!createdAt) {
        const existing = await runner.query<{ created_at: Date }>('select created_at from events where event_id = $1', [
          id,
        ]);
        createdAt = existing.rows[0]?.created_at ?? new Date(now());
      }
      return { id, type, payload, createdAt: createdAt.toISOString() };
    },

    async ensureGroup(group, types) {
      types.forEach(validateEventType);
      await db.query(
        `insert into event_groups (consumer_group, event_type) select $1, unnest($2::text[]) on conflict do nothing`,
        [group, types],
      );
    },

    async claim(group, consumer, types, options) {
      // Start listening before looking, so an event published in between still wakes us.
      const wake = options.waitMs > 0 ? await waiter.prepare() : undefined;
      try {
        const ready = await claimReady(group, consumer, types, options);
        if (ready.length > 0 || !wake) return ready;
        await wake.wait(options.waitMs, options.signal);
        return options.signal?.aborted ? [] : await claimReady(group, consumer, types, options);
      } finally {
        wake?.cancel();
      }
    },

    async complete(delivery) {
      await db.query(
        `update event_deliveries set status = 'done', locked_until = null, last_error = null, updated_at = now()
          where event_id = $1 and consumer_group = $2 and status = 'pending'`,
        [delivery.receipt, delivery.group],
      );
    },

    async fail(delivery, options: FailOptions) {
      // `attempts = $5`: a consumer whose lease ran out must not overwrite the newer try's state.
      await db.query(
        `update event_deliveries
            set status = case when $3 then 'dead' else 'pending' end,
                next_attempt_at = now() + $4 * interval '1 millisecond',
                locked_until = null, last_error = $6, updated_at = now()
          where event_id = $1 and consumer_group = $2 and status = 'pending' and attempts = $5`,
        [
          delivery.receipt,
          delivery.group,
          options.dead,
          options.delayMs,
          delivery.attempt,
          options.error.slice(0, 4000),
        ],
      );
    },

    async extend(delivery, visibilityMs) {
      await db.query(
        `update event_deliveries set locked_until = now() + $3 * interval '1 millisecond'
          where event_id = $1 and consumer_group = $2 and status = 'pending' and attempts = $4`,
        [delivery.receipt, delivery.group, visibilityMs, delivery.attempt],
      );
    },

    async recent(options = {}) {
      const { rows } = await db.query<ClaimedRow>(
        `select event_id::text, type, payload, created_at from events
          where ($1::text is null or type = $1) order by id desc limit $2`,
        [options.type ?? null, options.limit ?? 20],
      );
      return rows.map(toEvent);
    },

    async deadLetters(options = {}) {
      const { rows } = await db.query<
        ClaimedRow & { consumer_group: string; last_error: string | null; updated_at: Date }
      >(
        `select d.event_id::text, d.consumer_group, d.attempts, d.last_error, d.updated_at, e.type, e.payload, e.created_at
           from event_deliveries d join events e on e.event_id = d.event_id
          where d.status = 'dead' and ($1::text is null or d.consumer_group = $1)
          order by d.updated_at desc limit $2`,
        [options.group ?? null, options.limit ?? 100],
      );
      return rows.map((r): DeadLetter => ({
        event: toEvent(r),
        group: r.consumer_group,
        attempts: r.attempts,
        lastError: r.last_error ?? '',
        failedAt: r.updated_at.toISOString(),
      }));
    },

    async replayDeadLetters(options = {}) {
      const { rowCount } = await db.query(
        `with replayed as (
           update event_deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = null, updated_at = now()
            where status = 'dead' and ($1::text is null or consumer_group = $1)
              and ($2::uuid[] is null or event_id = any($2::uuid[]))
           returning event_id
         )
         select pg_notify($3, 'replay') from replayed`,
        [options.group ?? null, options.eventIds ? [...options.eventIds] : null, channel],
      );
      return rowCount;
    },

    async close() {
      await waiter.close();
    },
  };
}
