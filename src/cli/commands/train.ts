import path from 'node:path';
import type { Command } from 'commander';
import { action } from '../command-kit.js';
import { renderTable } from '../render-table.js';
import { usageError } from '../../errors.js';
import { describeSeeds, formatMeanSd } from '../../ml/metrics/seed-summary.js';
import { confusionLayout } from '../../ml/pipelines/confusion-layout.js';
import type { Metrics } from '../../ml/pipelines/evaluate-stage.js';
import type { StageReport } from '../../pipeline/run-stages.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export const formatMetric = (v: unknown) =>
  typeof v !== 'number' ? '—' : !Number.isFinite(v) ? 'n/a' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4);

/** Where a detector does not beat a trivial baseline on the same rows, said in words (anomaly evaluations). */
export function verdictLines(m: Metrics): string[] {
  const verdicts = Array.isArray(m.detail.verdicts) ? (m.detail.verdicts as string[]) : [];
  return m.kind === 'anomaly' && Object.hasOwn(m.detail, 'verdicts')
    ? verdicts.length
      ? verdicts.map((v) => `NOTE: ${v}`)
      : ['The model beats every trivial baseline (always-anomaly, position, random, position-rf) on ROC-AUC and F1.']
    : [];
}

/**
 * The measured metrics (train and models show): over seeds, mean ± sd and the
 * registered seed's own figure; with a reference column when the pipeline
 * names one.
 */
export function metricsTable(m: Metrics): string {
  const ref = m.reference?.metrics ?? {};
  const names = [...new Set([...Object.keys(m.metrics), ...Object.keys(ref)])];
  const s = m.seeds;
  const registered = s?.perSeed.find((r) => r.seed === s.registered);
  const head = s
    ? ['metric', `mean ± sd (${s.seeds.length} seeds)`, `seed ${s.registered} (registered)`]
    : ['metric', 'measured'];
  const row = (n: string) =>
    s
      ? [n, s.metrics[n] ? formatMeanSd(s.metrics[n]) : '—', formatMetric(registered?.metrics[n])]
      : [n, formatMetric(m.metrics[n])];
  return renderTable(
    m.reference ? [...head, 'reference'] : head,
    names.map((n) => (m.reference ? [...row(n), formatMetric(ref[n])] : row(n))),
  );
}

/** The one-line headline: the primary metric as mean ± sd over seeds, or the single run's figure marked as such. */
export function headline(m: Metrics): string {
  const s = m.seeds;
  const rows = `${m.nFit} fit / ${m.nTest} test rows`;
  if (!s) return `${m.primary.name} = ${formatMetric(m.primary.value)} (one run: ${m.split}; ${rows})`;
  const own = s.perSeed.find((r) => r.seed === s.registered)?.primary;
  return `${m.primary.name} = ${formatMeanSd(s.primary)} (mean ± sd over ${describeSeeds(s.seeds)}; registered: seed ${s.registered}, ${formatMetric(own)}, nearest the mean; ${m.split}; ${rows})`;
}

/** One row per stage; a stage run once per seed (`model@seed3`) is one row with its statuses counted. */
export function stageRows(stages: readonly StageReport[]): string[][] {
  const rows: string[][] = [];
  const perSeed = new Map<string, StageReport[]>();
  for (const s of stages) {
    const at = s.id.indexOf('@seed');
    if (at < 0) {
      rows.push([s.id, s.kind, s.status, s.status === 'not needed' ? '' : s.seconds.toFixed(2), s.key.slice(0, 12)]);
      continue;
    }
    const id = s.id.slice(0, at);
    if (!perSeed.has(id)) {
      perSeed.set(id, []);
      rows.push([id]); // filled below, in graph order
    }
    perSeed.get(id)!.push(s);
  }
  return rows.map((row) => {
    const group = row.length === 1 ? perSeed.get(row[0]!)! : undefined;
    if (!group) return row;
    const counts = new Map<string, number>();
    for (const s of group) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    const seconds = group.reduce((a, s) => a + s.seconds, 0);
    return [
      `${row[0]} (${group.length} seeds)`,
      group[0]!.kind,
      [...counts].map(([status, n]) => `${status} ${n}`).join(', '),
      seconds.toFixed(2),
      '',
    ];
  });
}

function parseSeedCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw usageError(`--seeds ${JSON.stringify(text)} must be a whole number from 1 to 100.`, {
      hint: 'e.g. --seeds 10 runs seeds 0–9',
    });
  return n;
}

/** The confusion matrix as a table (rows: actual class, columns: predicted), or nothing when the evaluation has none. */
export function confusionTable(m: Metrics): string[] {
  const layout = confusionLayout(m);
  return layout
    ? [
        `confusion matrix (test rows${m.kind === 'anomaly' ? ', predicted = flagged at the alarm threshold' : ''}):`,
        renderTable(layout.head, layout.rows),
      ]
    : [];
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('run a declarative ML pipeline from pipelines/*.yaml, cache its stages and register the model')
    .argument('<pipeline>', 'pipeline file, e.g. pipelines/ai4i-failure-rf.yaml')
    .option(
      '--param <key=value>',
      'override a pipeline key by dotted path (repeatable), e.g. model.params.nEstimators=50',
      collect,
      [],
    )
    .option('--force', 're-run every stage (ignore the stage cache) and register a new version')
    .option(
      '--seeds <n>',
      "evaluate over seeds 0…N−1 (sets the pipeline's seeds: key): the headline is mean ± sd, the registered model the seed nearest the mean",
      parseSeedCount,
    )
    .option('--report <file.html>', 'write the training report (one self-contained HTML page with charts) here')
    .option(
      '--validate',
      "score the pipeline's validation folds instead of its test groups (split kind groups with a validation block); registers nothing",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  smx train pipelines/ai4i-failure-rf.yaml\n  smx train pipelines/ai4i-failure-rf.yaml --seeds 10 --report ai4i.html\n  smx train pipelines/skab-anomaly-if.yaml --param model.params.nEstimators=200\n  smx train pipelines/ai4i-failure-rf.yaml --force --json\n  smx train pipelines/cmapss-fd001-rul-rf.yaml --validate --param model.params.minSamplesLeaf=10',
    )
    .action(
      action<{ param: string[]; force?: boolean; seeds?: number; report?: string; validate?: boolean }>(
        async (context, options, args) => {
          const { loadPipeline } = await import('../../pipeline/load-pipeline.js');
          const { parseParamOverride } = await import('../../pipeline/param-overrides.js');
          const { trainPipeline } = await import('../../train/train-pipeline.js');
          const file = path.resolve(context.cwd, args[0]!);
          const overrides = options.param.map(parseParamOverride);
          if (options.seeds !== undefined) overrides.push({ key: 'seeds', path: ['seeds'], value: options.seeds });
          const loaded = loadPipeline(file, overrides);
          if (options.validate) {
            if (options.report) throw usageError('--report draws a registered version; --validate registers nothing.');
            const { validatePipeline } = await import('../../ml/pipelines/validate-pipeline.js');
            const v = await validatePipeline(loaded, {
              cwd: context.cwd,
              stateDir: path.resolve(context.cwd, context.config.stateDir),
              force: options.force,
              signal: context.signal,
            });
            const text = [
              `${loaded.spec.name} (validation, not the test groups): ${headline(v.metrics)}`,
              renderTable(['stage', 'kind', 'status', 'seconds', 'key'], stageRows(v.stages)),
              metricsTable(v.metrics),
              'Nothing registered: a validation run compares settings without the test groups.',
            ].join('\n');
            return {
              result: {
                pipeline: path.relative(context.cwd, file),
                name: loaded.spec.name,
                validation: true,
                stages: v.stages,
                metrics: v.metrics,
              },
              text,
            };
          }
          const modelsDir = path.resolve(context.cwd, context.config.modelsDir);
          const result = await trainPipeline(loaded, {
            cwd: context.cwd,
            stateDir: path.resolve(context.cwd, context.config.stateDir),
            modelsDir,
            force: options.force,
            signal: context.signal,
            database: loaded.spec.source.kind === 'sql' ? async () => (await context.database()).db : undefined,
            now: context.now,
          });
          const m = result.metrics;
          const reg = result.registered;
          let reportPath: string | null = null;
          if (options.report) {
            const { writeTrainingReport } = await import('../../ml/report/write-report.js');
            const { reportViewOf } = await import('../../ml/report/load-report-view.js');
            const { loadModel } = await import('../../registry/load-model.js');
            const view = await reportViewOf(await loadModel(modelsDir, `${reg.name}@${reg.version}`));
            // A version registered before report-data.json existed: draw it from this run (same data, code and params).
            if (!view.data?.section) view.data = await result.reportData();
            reportPath = await writeTrainingReport(path.resolve(context.cwd, options.report), view);
          }
          const stageTable = renderTable(['stage', 'kind', 'status', 'seconds', 'key'], stageRows(result.stages));
          const status = result.upToDate
            ? `Nothing changed since the last run: results came from the stage cache and ${reg.name}@${reg.version} is already registered (use --force to re-run).`
            : reg.reused
              ? `Same data, code and params as ${reg.name}@${reg.version}: not registered again.`
              : `Registered ${reg.name}@${reg.version}${reg.champion ? ' (champion)' : ''} in ${path.relative(context.cwd, reg.dir) || reg.dir}.`;
          const text = [
            `${loaded.spec.name}: ${headline(m)}`,
            stageTable,
            metricsTable(m),
            ...confusionTable(m),
            ...verdictLines(m),
            ...(m.reference ? [`reference: ${m.reference.source}`] : []),
            status,
            ...(reportPath ? [`Training report: ${path.relative(context.cwd, reportPath) || reportPath}`] : []),
          ].join('\n');
          return {
            result: {
              pipeline: path.relative(context.cwd, file),
              name: loaded.spec.name,
              upToDate: result.upToDate,
              cacheHit: result.stages.every((s) => s.status !== 'ran'),
              stages: result.stages,
              metrics: m,
              registered: { ...reg, dir: path.relative(context.cwd, reg.dir) },
              runKey: result.runKey,
              dataHashes: result.dataHashes,
              reportPath: reportPath && path.relative(context.cwd, reportPath),
            },
            text,
          };
        },
      ),
    );
}
