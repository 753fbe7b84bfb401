/**
 * The event bus: one interface, two implementations that pass the same
 * contract tests (test/events/bus-contract.test.ts).
 *
 * Glossary
 * - event: an immutable fact with a UUID `id`, a dotted `type` ('drift.detected')
 *   and a JSON `payload`. Publishing the same id twice stores it once.
 * - group: a named consumer group ('retrain'). Every group subscribed to a type
 *   receives each event of that type once; the consumers inside one group share
 *   the work. A group receives the events published after it was first created.
 * - delivery: one event handed to one consumer of a group, with its `attempt`
 *   number (1 on the first try). A delivery is leased for `visibilityMs`; a
 *   consumer that dies mid-handler loses the lease and another one takes over.
 * - dead letter: a delivery whose handler failed `maxAttempts` times. It stays
 *   until `replayDeadLetters` puts it back for its group (attempts start again).
 *
 * Redis Streams when Redis is configured (redis-event-bus.ts), the Postgres
 * events outbox otherwise (postgres-event-bus.ts). The retry loop that calls
 * handlers is shared (consume.ts), so both behave the same way.
 */
import type { Queryable } from '../db/db.js';

export interface SmxEvent<Payload = Record<string, unknown>> {
  id: string;
  type: string;
  payload: Payload;
  /** ISO-8601, UTC. */
  createdAt: string;
}

export interface Delivery {
  event: SmxEvent;
  group: string;
  /** The consumer holding the lease. */
  consumer: string;
  /** 1 on the first try; the bus counts every hand-out, crashes included. */
  attempt: number;
  /** The implementation's handle on this delivery (a stream entry id or the event id). */
  receipt: string;
}

export interface DeadLetter {
  event: SmxEvent;
  group: string;
  attempts: number;
  lastError: string;
  failedAt: string;
}

export interface PublishOptions {
  /** The event id (a UUID); a fresh one when absent. Publishing an id again is a no-op. */
  id?: string;
  /**
   * Postgres bus only: publish inside this open transaction, so the event is
   * stored if and only if the caller's rows are (the outbox pattern). The
   * Redis bus ignores it; publish there after your commit.
   */
  client?: Queryable;
}

export interface ClaimOptions {
  /** Most deliveries to hand out at once. */
  max: number;
  /**
   * Lease length: an unfinished delivery returns to the group after this long.
   * Redis judges it by the reclaiming consumer's value (XAUTOCLAIM min-idle), so
   * every consumer of a group should use the same one.
   */
  visibilityMs: number;
  /** When nothing is ready, wait up to this long for a new event (0: return at once). */
  waitMs: number;
  signal?: AbortSignal;
}

export interface FailOptions {
  error: string;
  /** Move to the dead letters instead of retrying. */
  dead: boolean;
  /** Retry no earlier than this many milliseconds from now. */
  delayMs: number;
}

export interface EventBus {
  readonly kind: 'redis' | 'postgres';
  publish<Payload extends object>(type: string, payload: Payload, options?: PublishOptions): Promise<SmxEvent<Payload>>;
  /** Creates the group (idempotent) and subscribes it to `types`. */
  ensureGroup(group: string, types: readonly string[]): Promise<void>;
  /** Hands out ready deliveries: new events, retries that are due, and leases that ran out. */
  claim(group: string, consumer: string, types: readonly string[], options: ClaimOptions): Promise<Delivery[]>;
  /** The handler succeeded: the event is done for this group and never handed out again. */
  complete(delivery: Delivery): Promise<void>;
  /** The handler failed: schedule a retry or move to the dead letters. */
  fail(delivery: Delivery, options: FailOptions): Promise<void>;
  /** Extends the lease of a delivery whose handler is still running. */
  extend(delivery: Delivery, visibilityMs: number): Promise<void>;
  /** Newest first. */
  recent(options?: { type?: string; limit?: number }): Promise<SmxEvent[]>;
  deadLetters(options?: { group?: string; limit?: number }): Promise<DeadLetter[]>;
  /** Puts dead letters back for their group (all, or only `eventIds`); returns how many. */
  replayDeadLetters(options?: { group?: string; eventIds?: readonly string[] }): Promise<number>;
  close(): Promise<void>;
}

/** Well-known event types. */
export const EventTypes = {
  driftDetected: 'drift.detected',
  retrainCompleted: 'model.retrain.completed',
} as const;

export const eventTypePattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
export const groupPattern = /^[A-Za-z0-9_.:-]{1,100}$/;
