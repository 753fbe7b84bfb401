/**
 * One retrain of one model, guarded: under the model's advisory lock, with
 * the cooldown re-checked there (so two watchers that both saw the event
 * cannot both run), a time limit (default 60 min), and a retrain_runs row
 * that ends promoted, rejected, failed or skipped with the reason. Then the
 * webhook announcement (in the background) and a model.retrain.completed event.
 */
import type { Db } from '../db/db.js';
import type { Logger } from '../log.js';
import { isSmxError } from '../errors.js';
import { EventTypes, type EventBus } from '../events/event-bus.js';
import { decidePromotion, type PromotionPolicy } from './decide.js';
import { cooldownDecision } from './plan.js';
import { withRetrainLock } from './retrain-lock.js';
import { finishRun, lastRunStarts, recordSkip, runForEvent, startRun } from './retrain-runs.js';
import { retrainMessage } from './retrain-message.js';
import type { DataWindow, EvaluationMetrics, RetrainOutcome, RetrainTrigger, Trainer } from './types.js';
import type { WebhookNotifier } from './webhook-notifier.js';
import { systemClock, type Clock } from '../clock.js';

export interface RetrainSettings {
  /** Default 24 h. */
  cooldownMs: number;
  /** One run's limit (default 60 min). */
  timeoutMs: number;
  /** Fresh data: the span ending now (default 30 days). */
  trainingWindowMs: number;
  /** The newest share of the window held out for evaluation (default 0.2). */
  heldOutShare: number;
  /** End of the data window instead of now (to replay historical data, e.g. the demo's 2024 readings). */
  until?: Date;
  policy: PromotionPolicy;
}

export const defaultRetrainSettings: Readonly<RetrainSettings> = Object.freeze({
  cooldownMs: 24 * 3_600_000,
  timeoutMs: 60 * 60_000,
  trainingWindowMs: 30 * 86_400_000,
  heldOutShare: 0.2,
  policy: { margin: 0.01, marginKind: 'absolute' as const },
});

export interface RetrainDeps {
  db: Db;
  trainer: Trainer;
  bus?: EventBus;
  notifier?: WebhookNotifier;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** The clock of run records, cooldowns and the data window (default: the system's). */
  now?: Clock;
}

export function dataWindow(
  now: Date,
  settings: Pick<RetrainSettings, 'trainingWindowMs' | 'heldOutShare' | 'until'>,
): DataWindow {
  const to = (settings.until ?? now).getTime();
  const from = to - settings.trainingWindowMs;
  const heldOutFrom = to - Math.round(settings.trainingWindowMs * settings.heldOutShare);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    heldOutFrom: new Date(heldOutFrom).toISOString(),
  };
}

async function announce(deps: RetrainDeps, outcome: RetrainOutcome, trigger: RetrainTrigger): Promise<void> {
  if (outcome.status === 'skipped') return;
  deps.notifier?.notify(retrainMessage(outcome, trigger));
  await deps.bus
    ?.publish(EventTypes.retrainCompleted, {
      event_type: 'ModelRetrainingCompletedEvent',
      models_retrained: outcome.status === 'promoted' ? [outcome.model] : [],
      model: outcome.model,
      status: outcome.status,
      reason: outcome.reason,
      retrain_run_id: outcome.runId,
      champion_version: outcome.championVersion ?? null,
      challenger_version: outcome.challengerVersion ?? null,
      correlation_id: trigger.eventId ?? null,
      timestamp: new Date((deps.now ?? systemClock)()).toISOString(),
    })
    .catch((error: Error) => deps.logger?.warn({ err: error }, 'could not publish model.retrain.completed'));
}

export async function retrainModel(
  deps: RetrainDeps,
  settings: RetrainSettings,
  model: string,
  trigger: RetrainTrigger,
  options: { force?: boolean; signal?: AbortSignal } = {},
): Promise<RetrainOutcome> {
  const now = () => new Date((deps.now ?? systemClock)());
  const skip = async (reason: string): Promise<RetrainOutcome> => ({
    model,
    status: 'skipped',
    reason,
    runId: await recordSkip(deps.db, model, trigger, reason, now()),
  });
  if (trigger.eventId) {
    const earlier = await runForEvent(deps.db, model, trigger.eventId);
    if (earlier)
      return {
        model,
        status: 'skipped',
        reason: `event ${trigger.eventId} already handled by run #${earlier.id} (${earlier.status})`,
        runId: earlier.id,
      };
  }
  const locked = await withRetrainLock(deps.db, model, async (lock): Promise<RetrainOutcome> => {
    const last = (await lastRunStarts(deps.db, [model])).get(model);
    const cooldown = cooldownDecision(last, now(), settings.cooldownMs, Boolean(options.force));
    if (!cooldown.allowed) return skip(cooldown.reason!);
    const startedAt = now();
    const window = dataWindow(startedAt, settings);
    const championVersion = await deps.trainer.champion(model);
    const runId = await startRun(deps.db, model, trigger, window, championVersion, startedAt);
    const base = { model, runId, window, championVersion };
    const limit = AbortSignal.timeout(settings.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, limit]) : limit;
    let challengerVersion: string | undefined;
    let challengerMetrics: EvaluationMetrics | undefined;
    let championMetrics: EvaluationMetrics | undefined;
    try {
      challengerVersion = (await deps.trainer.train(model, window, signal)).version;
      signal.throwIfAborted();
      challengerMetrics = await deps.trainer.evaluate(model, challengerVersion, window, signal);
      if (championVersion !== undefined)
        championMetrics = await deps.trainer.evaluate(model, championVersion, window, signal);
      signal.throwIfAborted();
      const decision = decidePromotion(championMetrics, challengerMetrics, settings.policy);
      const reason = cooldown.reason ? `${decision.reason}; ${cooldown.reason}` : decision.reason;
      if (decision.promote) {
        await lock.assertHeld();
        await deps.trainer.promote(model, challengerVersion);
      }
      const status = decision.promote ? 'promoted' : 'rejected';
      await finishRun(deps.db, runId, { status, reason, challengerVersion, championMetrics, challengerMetrics });
      return { ...base, status, reason, challengerVersion, championMetrics, challengerMetrics };
    } catch (error) {
      const interrupted = options.signal?.aborted === true;
      const reason = interrupted
        ? 'interrupted'
        : limit.aborted
          ? `timed out after ${Math.round(settings.timeoutMs / 60_000)} min`
          : (error as Error).message;
      await finishRun(deps.db, runId, {
        status: 'failed',
        reason,
        challengerVersion,
        championMetrics,
        challengerMetrics,
      });
      if (interrupted || (isSmxError(error) && error.code === 'INTERRUPTED')) throw error;
      deps.logger?.warn({ model, err: error }, 'retrain failed');
      return { ...base, status: 'failed', reason, challengerVersion, championMetrics, challengerMetrics };
    }
  });
  const outcome = locked.acquired
    ? locked.value
    : await skip(`another retrain of ${model} is running (advisory lock held)`);
  await announce(deps, outcome, trigger);
  deps.logger?.info(
    { model, status: outcome.status, reason: outcome.reason, runId: outcome.runId },
    'retrain finished',
  );
  return outcome;
}
