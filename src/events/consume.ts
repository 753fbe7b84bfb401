/**
 * The consumer loop shared by both buses: claim, run the handler while
 * renewing the lease, then complete, retry with backoff, or dead-letter.
 *
 * Delivery is at least once: a consumer that dies after its handler succeeded
 * but before `complete` gets the event again. The bus skips events already
 * completed for the group (by event id), and handlers that write should key
 * their writes by the event id too (retrain records it in retrain_runs).
 *
 * @example
 *   const stats = await consume(bus, {
 *     group: 'retrain', types: ['drift.detected'], signal,
 *     handler: async (event) => { await retrainFor(event.payload); },
 *   });
 */
import type { Delivery, EventBus, SmxEvent } from './event-bus.js';
import {
  defaultRetryPolicy,
  isLastAttempt,
  retryDelayMs,
  validateRetryPolicy,
  type RetryPolicy,
} from './retry-policy.js';
import { validateGroup } from './validate-event.js';
import { defaultConsumerName } from './consumer-name.js';

export type EventHandler = (event: SmxEvent, context: { attempt: number; signal: AbortSignal }) => Promise<void>;

export interface HandleOutcome {
  event: SmxEvent;
  attempt: number;
  result: 'done' | 'retry' | 'dead' | 'interrupted';
  error?: string;
  delayMs?: number;
}

export interface ConsumeOptions {
  group: string;
  types: readonly string[];
  handler: EventHandler;
  /** This process's name inside the group (default host-pid-random). */
  consumer?: string;
  policy?: RetryPolicy;
  /** Lease per delivery; renewed every third of it while the handler runs (default 2 min). */
  visibilityMs?: number;
  batchSize?: number;
  /** Longest wait for new events before looking again for due retries (default 1 s). */
  pollMs?: number;
  signal?: AbortSignal;
  /** Called after each delivery (for logs and tests). */
  onOutcome?: (outcome: HandleOutcome) => void;
}

export interface ConsumeStats {
  done: number;
  retried: number;
  dead: number;
  interrupted: number;
}

interface Resolved extends Required<Omit<ConsumeOptions, 'signal' | 'onOutcome'>> {
  signal: AbortSignal;
  onOutcome: (outcome: HandleOutcome) => void;
}

function resolve(options: ConsumeOptions): Resolved {
  return {
    group: validateGroup(options.group),
    types: options.types,
    handler: options.handler,
    consumer: options.consumer ?? defaultConsumerName(),
    policy: validateRetryPolicy(options.policy ?? { ...defaultRetryPolicy }),
    visibilityMs: options.visibilityMs ?? 120_000,
    batchSize: options.batchSize ?? 10,
    pollMs: options.pollMs ?? 1000,
    signal: options.signal ?? new AbortController().signal,
    onOutcome: options.onOutcome ?? (() => undefined),
  };
}

async function handle(bus: EventBus, delivery: Delivery, o: Resolved, stats: ConsumeStats): Promise<void> {
  const heartbeat = setInterval(
    () => void bus.extend(delivery, o.visibilityMs).catch(() => undefined),
    Math.max(50, o.visibilityMs / 3),
  );
  try {
    await o.handler(delivery.event, { attempt: delivery.attempt, signal: o.signal });
    clearInterval(heartbeat);
    await bus.complete(delivery);
    stats.done++;
    o.onOutcome({ event: delivery.event, attempt: delivery.attempt, result: 'done' });
  } catch (error) {
    clearInterval(heartbeat);
    const message = error instanceof Error ? error.message : String(error);
    if (o.signal.aborted) {
      // Stopping is not the handler's fault: hand the event back at once, not counted towards the dead letters.
      await bus.fail(delivery, { error: `interrupted: ${message}`, dead: false, delayMs: 0 });
      stats.interrupted++;
      o.onOutcome({ event: delivery.event, attempt: delivery.attempt, result: 'interrupted', error: message });
      return;
    }
    const dead = isLastAttempt(o.policy, delivery.attempt);
    // A retry later than the lease would be taken as a stuck delivery first; keep it inside.
    const delayMs = dead ? 0 : Math.min(retryDelayMs(o.policy, delivery.attempt), o.visibilityMs / 2);
    await bus.fail(delivery, { error: message, dead, delayMs });
    if (dead) stats.dead++;
    else stats.retried++;
    o.onOutcome({
      event: delivery.event,
      attempt: delivery.attempt,
      result: dead ? 'dead' : 'retry',
      error: message,
      delayMs,
    });
  } finally {
    clearInterval(heartbeat);
  }
}

/** Runs until `signal` aborts, handling one delivery at a time. */
export async function consume(bus: EventBus, options: ConsumeOptions): Promise<ConsumeStats> {
  const o = resolve(options);
  const stats: ConsumeStats = { done: 0, retried: 0, dead: 0, interrupted: 0 };
  await bus.ensureGroup(o.group, o.types);
  while (!o.signal.aborted) {
    const deliveries = await bus.claim(o.group, o.consumer, o.types, {
      max: o.batchSize,
      visibilityMs: o.visibilityMs,
      waitMs: o.pollMs,
      signal: o.signal,
    });
    for (const [i, delivery] of deliveries.entries()) {
      if (o.signal.aborted) {
        // Return the rest of the batch unhandled.
        for (const rest of deliveries.slice(i))
          await bus.fail(rest, { error: 'interrupted before start', dead: false, delayMs: 0 });
        break;
      }
      await handle(bus, delivery, o, stats);
    }
  }
  return stats;
}

/** Handles what is ready now (due retries included) and returns when nothing is: for cron runs and tests. */
export async function drain(bus: EventBus, options: ConsumeOptions): Promise<ConsumeStats> {
  const o = resolve(options);
  const stats: ConsumeStats = { done: 0, retried: 0, dead: 0, interrupted: 0 };
  await bus.ensureGroup(o.group, o.types);
  for (;;) {
    const deliveries = await bus.claim(o.group, o.consumer, o.types, {
      max: o.batchSize,
      visibilityMs: o.visibilityMs,
      waitMs: 0,
    });
    if (deliveries.length === 0 || o.signal.aborted) return stats;
    for (const delivery of deliveries) await handle(bus, delivery, o, stats);
  }
}
