/**
 * `smx retrain --watch`: consumes drift.detected in the 'retrain' group and,
 * for each event, plans which models it affects and retrains them one at a
 * time (one job per process; the advisory lock keeps it to one per model
 * across processes). A run that fails is recorded and announced, not thrown.
 * Infrastructure errors (database down) do throw, so the bus retries the
 * event with backoff.
 *
 * What it says as it goes (the log, and the webhook for dead letters): each
 * event handled, with every model it ran or skipped and why, or that no model
 * watches its sensors; each retry with its attempt, delay and error; each
 * dead letter — logged as an error and announced to the webhook, since no
 * one will retry it unless told. At start, and before each plan, runs left
 * 'running' by a process that died are marked failed (orphaned).
 */
import { sensorTypes } from '../db/queries/sensors.js';
import { consume, type ConsumeStats } from '../events/consume.js';
import { EventTypes, type EventBus, type SmxEvent } from '../events/event-bus.js';
import type { RetryPolicy } from '../events/retry-policy.js';
import { planRetrain } from './plan.js';
import { lastRunStarts, recordSkip } from './retrain-runs.js';
import { recoverOrphanedRuns, retrainModel, type RetrainDeps, type RetrainSettings } from './run-retrain.js';
import type { HandleOutcome } from '../events/consume.js';
import type { WebhookMessage } from './webhook-notifier.js';
import { driftDetectedGroups } from '../events/drift-detected.js';
import type { RetrainOutcome, RetrainTrigger } from './types.js';
import { systemClock } from '../clock.js';

export const retrainGroup = driftDetectedGroups[0]!;

/** The drifting sensors an event names: sensor_ids (smx) or the seed's single sensor_id. */
export function driftedSensors(payload: Record<string, unknown>): string[] {
  const ids = Array.isArray(payload.sensor_ids)
    ? payload.sensor_ids.filter((s): s is string => typeof s === 'string')
    : [];
  if (ids.length) return ids;
  return typeof payload.sensor_id === 'string' ? [payload.sensor_id] : [];
}

export async function retrainForDriftEvent(
  deps: RetrainDeps,
  settings: RetrainSettings,
  event: SmxEvent,
  signal?: AbortSignal,
): Promise<RetrainOutcome[]> {
  const sensorIds = driftedSensors(event.payload);
  const trigger: RetrainTrigger = { kind: 'event', eventId: event.id, sensorIds };
  const targets = await deps.trainer.targets();
  // An orphan's 'running' row would hold its model in cooldown for ever.
  await recoverOrphanedRuns(
    deps,
    targets.map((t) => t.model),
  );
  const plan = planRetrain({
    trigger,
    targets,
    sensorTypes: await sensorTypes(deps.db, sensorIds),
    lastRuns: await lastRunStarts(
      deps.db,
      targets.map((t) => t.model),
    ),
    now: new Date((deps.now ?? systemClock)()),
    cooldownMs: settings.cooldownMs,
  });
  const outcomes: RetrainOutcome[] = [];
  for (const planned of plan) {
    signal?.throwIfAborted();
    if (planned.action === 'skip') {
      outcomes.push({
        model: planned.model,
        status: 'skipped',
        reason: planned.reason,
        runId: await recordSkip(deps.db, planned.model, trigger, planned.reason, new Date((deps.now ?? systemClock)())),
      });
      continue;
    }
    outcomes.push(await retrainModel(deps, settings, planned.model, trigger, { signal }));
  }
  return outcomes;
}

export interface WatchOptions {
  signal: AbortSignal;
  consumer?: string;
  pollMs?: number;
  policy?: RetryPolicy;
  /** Lease of a delivery (default 2 min): a watcher that dies loses its event to another after this long. */
  visibilityMs?: number;
  onOutcomes?: (event: SmxEvent, outcomes: RetrainOutcome[]) => void;
  /** Every delivery's outcome (done, retry, dead, interrupted), after it is logged. */
  onDelivery?: (outcome: HandleOutcome) => void;
}

/** The webhook text of a dead letter: one line with what failed, how often, and how to retry it. */
export function deadLetterMessage(outcome: HandleOutcome, group: string): WebhookMessage {
  const sensors = driftedSensors(outcome.event.payload);
  return {
    text: `:rotating_light: smx retrain: event ${outcome.event.id} (${outcome.event.type}${sensors.length ? `, sensors ${sensors.join(', ')}` : ''}) failed ${outcome.attempt} time${outcome.attempt === 1 ? '' : 's'} and is a dead letter in group ${group}: ${outcome.error ?? 'unknown error'}. Retry it with: smx events dlq retry ${outcome.event.id}`,
    smx: {
      deadLetter: true,
      eventId: outcome.event.id,
      eventType: outcome.event.type,
      group,
      attempts: outcome.attempt,
      error: outcome.error ?? null,
      sensors,
    },
  };
}

/** Logs each delivery as it happens; a dead letter also goes to the webhook. */
function reportDelivery(deps: RetrainDeps, outcome: HandleOutcome): void {
  const base = { eventId: outcome.event.id, type: outcome.event.type, attempt: outcome.attempt };
  switch (outcome.result) {
    case 'retry':
      deps.logger?.warn(
        { ...base, retryInMs: outcome.delayMs, error: outcome.error },
        'drift event failed; retrying later',
      );
      break;
    case 'dead':
      deps.logger?.error?.({ ...base, error: outcome.error }, 'drift event failed for the last time: dead letter');
      deps.notifier?.notify(deadLetterMessage(outcome, retrainGroup));
      break;
    case 'interrupted':
      deps.logger?.info({ ...base }, 'stopping: drift event handed back unhandled');
      break;
    case 'done':
      break;
  }
}

/** One line per event: what each model did, or why nothing ran. */
function reportEvent(deps: RetrainDeps, event: SmxEvent, outcomes: readonly RetrainOutcome[]): void {
  const sensors = driftedSensors(event.payload);
  if (outcomes.length === 0) {
    deps.logger?.info(
      { eventId: event.id, sensors },
      sensors.length
        ? 'drift event skipped: no registered model watches these sensors'
        : 'drift event skipped: it names no sensor',
    );
    return;
  }
  deps.logger?.info(
    {
      eventId: event.id,
      sensors,
      models: outcomes.map((o) => ({ model: o.model, status: o.status, reason: o.reason, runId: o.runId })),
    },
    `drift event handled: ${outcomes.map((o) => `${o.model} ${o.status}`).join(', ')}`,
  );
}

export async function watchDrift(
  deps: RetrainDeps & { bus: EventBus },
  settings: RetrainSettings,
  options: WatchOptions,
): Promise<ConsumeStats> {
  await recoverOrphanedRuns(deps);
  return consume(deps.bus, {
    group: retrainGroup,
    types: [EventTypes.driftDetected],
    consumer: options.consumer,
    pollMs: options.pollMs,
    policy: options.policy,
    signal: options.signal,
    // The lease outlives a normal run; the heartbeat keeps it fresh for long ones.
    visibilityMs: options.visibilityMs ?? 120_000,
    // One event at a time: the rest stay in the group for the other watchers.
    batchSize: 1,
    handler: async (event, { signal }) => {
      const outcomes = await retrainForDriftEvent(deps, settings, event, signal);
      reportEvent(deps, event, outcomes);
      options.onOutcomes?.(event, outcomes);
    },
    onOutcome: (outcome) => {
      reportDelivery(deps, outcome);
      options.onDelivery?.(outcome);
    },
  });
}
