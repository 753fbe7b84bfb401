/**
 * The retrain planner: which models a trigger affects, and which of those
 * may run now. Pure: targets, last runs and the clock come in; a list of
 * decisions with reasons goes out (changesets-style plan, then apply).
 *
 * An event names drifting sensors; a model is affected when it watches one of
 * them (by id, by type through `sensorTypes`, or every sensor). A manual or cron trigger
 * names the model itself. Cooldown: a model that ran within `cooldownMs` is
 * skipped unless `force`.
 */
import type { RetrainTarget, RetrainTrigger } from './types.js';

export interface PlanInput {
  trigger: RetrainTrigger;
  targets: readonly RetrainTarget[];
  /** For manual/cron triggers: the models asked for. */
  models?: readonly string[];
  /** Sensor id → sensor type, for targets that watch a type. */
  sensorTypes?: ReadonlyMap<string, string>;
  /** When each model last started a run that counts towards the cooldown. */
  lastRuns: ReadonlyMap<string, Date>;
  now: Date;
  cooldownMs: number;
  force?: boolean;
}

export interface PlannedRetrain {
  model: string;
  action: 'retrain' | 'skip';
  reason: string;
  /** Why the model is affected: the matching sensors, or 'requested'. */
  matched: string[];
}

function affectedSensors(
  target: RetrainTarget,
  sensorIds: readonly string[],
  sensorTypes: ReadonlyMap<string, string> | undefined,
): string[] {
  if (target.allSensors) return [...sensorIds];
  const watched = new Set(target.sensors ?? []);
  return sensorIds.filter(
    (id) => watched.has(id) || (target.sensorType !== undefined && sensorTypes?.get(id) === target.sensorType),
  );
}

function formatDuration(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes >= 120 ? `${Math.ceil(minutes / 60)} h` : `${minutes} min`;
}

/** The cooldown rule alone (also re-checked under the model's lock just before a run). */
export function cooldownDecision(
  last: Date | undefined,
  now: Date,
  cooldownMs: number,
  force: boolean,
): { allowed: boolean; reason?: string } {
  const since = last ? now.getTime() - last.getTime() : Number.POSITIVE_INFINITY;
  if (since >= cooldownMs) return { allowed: true };
  const wait = formatDuration(cooldownMs - since);
  if (force) return { allowed: true, reason: `forced during the cooldown (${wait} left)` };
  return {
    allowed: false,
    reason: `cooldown: last run started ${last!.toISOString()}; next allowed in ${wait} (--force overrides)`,
  };
}

export function planRetrain(input: PlanInput): PlannedRetrain[] {
  const candidates: Array<{ model: string; matched: string[] }> = [];
  if (input.trigger.kind === 'event') {
    for (const target of input.targets) {
      const matched = affectedSensors(target, input.trigger.sensorIds ?? [], input.sensorTypes);
      if (matched.length) candidates.push({ model: target.model, matched });
    }
  } else {
    for (const model of input.models ?? []) candidates.push({ model, matched: ['requested'] });
  }
  const known = new Set(input.targets.map((t) => t.model));
  return candidates.map(({ model, matched }): PlannedRetrain => {
    if (!known.has(model))
      return { model, matched, action: 'skip', reason: `${model} is not a registered model with a pipeline to re-run` };
    const cooldown = cooldownDecision(input.lastRuns.get(model), input.now, input.cooldownMs, Boolean(input.force));
    if (!cooldown.allowed) return { model, matched, action: 'skip', reason: cooldown.reason! };
    if (cooldown.reason) return { model, matched, action: 'retrain', reason: cooldown.reason };
    const why = input.trigger.kind === 'event' ? `drift in ${matched.join(', ')}` : `${input.trigger.kind} request`;
    return { model, matched, action: 'retrain', reason: why };
  });
}
