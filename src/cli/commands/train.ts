import path from 'node:path';
import type { Command } from 'commander';
import { action } from '../command-kit.js';
import { renderTable } from '../render-table.js';
import { confusionLayout } from '../../ml/pipelines/confusion-layout.js';
import type { Metrics } from '../../ml/pipelines/evaluate-stage.js';

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

/** The measured metrics, with a reference column when the pipeline names one (train and models show). */
export function metricsTable(m: Metrics): string {
  const ref = m.reference?.metrics ?? {};
  const names = [...new Set([...Object.keys(m.metrics), ...Object.keys(ref)])];
  return m.reference
    ? renderTable(
        ['metric', 'measured', 'reference'],
        names.map((n) => [n, formatMetric(m.metrics[n]), formatMetric(ref[n])]),
      )
    : renderTable(
        ['metric', 'measured'],
        names.map((n) => [n, formatMetric(m.metrics[n])]),
      );
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
    .addHelpText(
      'after',
      '\nExamples:\n  smx train pipelines/ai4i-failure-rf.yaml\n  smx train pipelines/skab-anomaly-if.yaml --param model.params.nEstimators=200\n  smx train pipelines/ai4i-failure-rf.yaml --force --json',
    )
    .action(
      action<{ param: string[]; force?: boolean }>(async (context, options, args) => {
        const { loadPipeline } = await import('../../pipeline/load-pipeline.js');
        const { parseParamOverride } = await import('../../pipeline/param-overrides.js');
        const { trainPipeline } = await import('../../ml/pipelines/train-pipeline.js');
        const file = path.resolve(context.cwd, args[0]!);
        const loaded = loadPipeline(file, options.param.map(parseParamOverride));
        const modelsDir = path.resolve(context.cwd, context.config.modelsDir);
        const result = await trainPipeline(loaded, {
          cwd: context.cwd,
          stateDir: path.resolve(context.cwd, context.config.stateDir),
          modelsDir,
          force: options.force,
          signal: context.signal,
          database: loaded.spec.source.kind === 'sql' ? async () => (await context.database()).db : undefined,
        });
        const m = result.metrics;
        const reg = result.registered;
        const stageTable = renderTable(
          ['stage', 'kind', 'status', 'seconds', 'key'],
          result.stages.map((s) => [
            s.id,
            s.kind,
            s.status,
            s.status === 'not needed' ? '' : s.seconds.toFixed(2),
            s.key.slice(0, 12),
          ]),
        );
        const status = result.upToDate
          ? `Nothing changed since the last run: results came from the stage cache and ${reg.name}@${reg.version} is already registered (use --force to re-run).`
          : reg.reused
            ? `Same data, code and params as ${reg.name}@${reg.version}: not registered again.`
            : `Registered ${reg.name}@${reg.version}${reg.champion ? ' (champion)' : ''} in ${path.relative(context.cwd, reg.dir) || reg.dir}.`;
        const text = [
          `${loaded.spec.name}: ${m.primary.name} = ${formatMetric(m.primary.value)} (${m.split}; ${m.nFit} fit / ${m.nTest} test rows)`,
          stageTable,
          metricsTable(m),
          ...confusionTable(m),
          ...verdictLines(m),
          ...(m.reference ? [`reference: ${m.reference.source}`] : []),
          status,
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
          },
          text,
        };
      }),
    );
}
