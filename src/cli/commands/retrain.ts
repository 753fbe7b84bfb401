import path from 'node:path';
import type { Command } from 'commander';
import { action, parseDuration } from '../command-kit.js';
import { renderTable } from '../render-table.js';
import { usageError } from '../../errors.js';
import { parseInstant } from '../../parse-instant.js';
import type { RunContext } from '../../context.js';
import type { Trainer, RetrainOutcome } from '../../retrain/types.js';
import type { RetrainSettings } from '../../retrain/run-retrain.js';

interface RetrainFlags {
  watch?: boolean;
  force?: boolean;
  history?: boolean;
  cooldown: string;
  timeout: string;
  window: string;
  heldOut: string;
  margin: string;
  relativeMargin?: boolean;
  until?: string;
}

function settingsFrom(flags: RetrainFlags): RetrainSettings {
  const heldOutShare = Number(flags.heldOut);
  const margin = Number(flags.margin);
  if (!(heldOutShare > 0 && heldOutShare < 1))
    throw usageError(`--held-out must be a share between 0 and 1; got ${JSON.stringify(flags.heldOut)}.`);
  if (!(margin >= 0)) throw usageError(`--margin must be a number >= 0; got ${JSON.stringify(flags.margin)}.`);
  return {
    cooldownMs: parseDuration(flags.cooldown, '--cooldown'),
    timeoutMs: parseDuration(flags.timeout, '--timeout'),
    trainingWindowMs: parseDuration(flags.window, '--window'),
    heldOutShare,
    policy: { margin, marginKind: flags.relativeMargin ? 'relative' : 'absolute' },
    ...(flags.until ? { until: new Date(parseInstant(flags.until, '--until')) } : {}),
  };
}

/** The Trainer over src/pipeline + src/registry (models dir and stage cache from the config). */
async function openTrainer(context: RunContext): Promise<Trainer> {
  const { createPipelineTrainer } = await import('../../retrain/pipeline-trainer.js');
  return createPipelineTrainer({
    modelsDir: path.resolve(context.cwd, context.config.modelsDir),
    stateDir: path.resolve(context.cwd, context.config.stateDir),
    cwd: context.cwd,
    database: async () => (await context.database()).db,
  });
}

/** Named models must be in the registry: a typo is a usage error (exit 2) that lists the names, and no run is recorded. */
async function assertRegistered(context: RunContext, models: readonly string[]): Promise<void> {
  const { readRegistry } = await import('../../registry/registry-index.js');
  const modelsDir = path.resolve(context.cwd, context.config.modelsDir);
  const registered = Object.keys((await readRegistry(modelsDir)).models).sort();
  const unknown = models.filter((m) => !registered.includes(m));
  if (unknown.length === 0) return;
  throw usageError(
    `No registered model ${unknown.map((m) => JSON.stringify(m)).join(', ')} in ${modelsDir}; registered: ${registered.length ? registered.join(', ') : 'none'}.`,
    { hint: 'Check the name (`smx models list`), or train it first (`smx train PIPELINE.yaml`).' },
  );
}

const outcomeRow = (o: RetrainOutcome) => [
  o.model,
  o.status,
  o.championVersion ?? '',
  o.challengerVersion ?? '',
  o.reason,
];

export function registerRetrain(program: Command): void {
  program
    .command('retrain')
    .description('retrain on drift events: cooldown, one run at a time, champion/challenger')
    .argument('[models...]', 'retrain these models once (for cron)')
    .option('--watch', 'consume drift.detected events and retrain the models they affect, until stopped')
    .option('--force', 'ignore the cooldown')
    .option('--history', 'list recent runs from retrain_runs instead')
    .option('--cooldown <duration>', 'per-model cooldown', '24h')
    .option('--timeout <duration>', 'limit of one run', '60m')
    .option('--window <duration>', 'fresh data: the span ending now', '30d')
    .option('--held-out <share>', 'newest share of the window both versions are evaluated on', '0.2')
    .option('--margin <value>', 'the challenger must beat the champion by at least this', '0.01')
    .option('--relative-margin', "read --margin as a share of the champion's value")
    .option('--until <time>', 'end the data window here instead of now (replaying historical data)')
    .addHelpText(
      'after',
      `
Examples:
  smx retrain --watch
  smx retrain pump-health --force
  smx retrain sensor-hourly-anomaly --force --until 2024-01-15 --window 14d
  smx retrain --history --json`,
    )
    .action(
      action<RetrainFlags>(async (context: RunContext, flags, models) => {
        const { db } = await context.database();
        if (flags.history) {
          const { recentRuns } = await import('../../retrain/retrain-runs.js');
          const runs = await recentRuns(db, { model: models[0] });
          return {
            result: { runs },
            text: renderTable(
              ['id', 'model', 'trigger', 'status', 'started', 'champion', 'challenger', 'reason'],
              runs.map((r) => [
                r.id,
                r.model_name,
                r.trigger,
                r.status,
                r.started_at.toISOString(),
                r.champion_version ?? '',
                r.challenger_version ?? '',
                (r.reason ?? '').slice(0, 70),
              ]),
            ),
          };
        }
        if (Boolean(flags.watch) === models.length > 0)
          throw usageError('Give model names to retrain once, or --watch (not both).');
        const settings = settingsFrom(flags);
        if (models.length) await assertRegistered(context, models);
        const trainer = await openTrainer(context);
        const { createWebhookNotifier } = await import('../../retrain/webhook-notifier.js');
        const bus = await context.bus();
        const notifier = createWebhookNotifier(context.config.webhookUrl, { logger: context.logger });
        // Announcements never block a run; at the end they get at most 10 s more.
        context.onRelease(async () => {
          await notifier.drain(10_000);
        });
        const deps = { db, trainer, bus, notifier, logger: context.logger, now: context.now };
        if (flags.watch) {
          const { watchDrift } = await import('../../retrain/watch-drift.js');
          const outcomes: RetrainOutcome[] = [];
          const stats = await watchDrift(deps, settings, {
            signal: context.signal,
            onOutcomes: (_e, o) => outcomes.push(...o),
          });
          return {
            result: { ...stats, outcomes },
            text: `Stopped watching: ${stats.done} event(s) handled, ${stats.retried} retried, ${stats.dead} dead-lettered.`,
          };
        }
        const { retrainModel } = await import('../../retrain/run-retrain.js');
        const outcomes: RetrainOutcome[] = [];
        for (const model of models)
          outcomes.push(
            await retrainModel(
              deps,
              settings,
              model,
              { kind: 'manual' },
              { force: flags.force, signal: context.signal },
            ),
          );
        return {
          result: { outcomes },
          text: renderTable(['model', 'status', 'champion', 'challenger', 'reason'], outcomes.map(outcomeRow)),
          exitCode: outcomes.some((o) => o.status === 'failed') ? 1 : 0,
        };
      }),
    );
}
