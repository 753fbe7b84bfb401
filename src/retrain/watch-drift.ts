/**
 * `smx retrain --watch`: consumes drift.detected in the 'retrain' group and,
 * for each event, plans which models it affects and retrains them one at a
 * time (one job per process; the advisory lock keeps it to one per model
 * across processes). A run that fails is recorded and announced, not thrown:
 * the cooldown would skip a retry anyway. Infrastructure errors (database
 * down) do throw, so the bus retries the event with backoff.
 */
import { sensorTypes } from '../db/queries/sensors.js';
import { consume, type ConsumeStats } from '../events/consume.js';
import { EventTypes, type EventBus, type SmxEvent } from '../events/event-bus.js';
import type { RetryPolicy } from '../events/retry-policy.js';
import { planRetrain } from './plan.js';
import { lastRunStarts, recordSkip } from './retrain-runs.js';
import { retrainModel, type RetrainDeps, type RetrainSettings } from './run-retrain.js';
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
  onOutcomes?: (event: SmxEvent, outcomes: RetrainOutcome[]) => void;
}

export async function watchDrift(
  deps: RetrainDeps & { bus: EventBus },
  settings: RetrainSettings,
  options: WatchOptions,
): Promise<ConsumeStats> {
  return consume(deps.bus, {
    group: retrainGroup,
    types: [EventTypes.driftDetected],
    consumer: options.consumer,
    pollMs: options.pollMs,
    policy: options.policy,
    signal: options.signal,
    // The lease outlives a normal run; the heartbeat keeps it fresh for long ones.
    visibilityMs: 120_000,
    // One event at a time: the rest stay in the group for the other watchers.
    batchSize: 1,
    handler: async (event, { signal }) => {
      const outcomes = await retrainForDriftEvent(deps, settings, event, signal);
      options.onOutcomes?.(event, outcomes);
    },
  });
}
