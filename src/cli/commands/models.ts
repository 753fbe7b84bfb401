import path from 'node:path';
import type { Command } from 'commander';
import { action, examples } from '../command-kit.js';
import { renderTable } from '../render-table.js';
import type { RunContext } from '../../context.js';
import { confusionTable, formatMetric, headline, metricsTable } from './train.js';

export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('list, show, promote, compare and recommend registered models')
    .addHelpText(
      'after',
      '\nExamples:\n  smx models list\n  smx models show ai4i-failure@champion\n  smx models promote ai4i-failure 2\n  smx models compare ai4i-failure 1 2\n  smx models recommend --domain pump --json',
    );
  const dirOf = (context: RunContext) => path.resolve(context.cwd, context.config.modelsDir);

  models
    .command('list')
    .description('every registered version with its aliases, domain and primary metric')
    .addHelpText('after', examples('smx models list', 'smx models list --domain pump --json'))
    .option('--domain <domain>', 'only models tagged with this domain (tabular, bearing, audio, pump, forecast)')
    .action(
      action<{ domain?: string }>(async (context, options) => {
        const { listModels } = await import('../../registry/registry-ops.js');
        const rows = await listModels(dirOf(context), { domain: options.domain });
        const text = rows.length
          ? renderTable(
              ['model', 'version', 'aliases', 'domain', 'kind', 'primary metric', 'registered'],
              rows.map((r) => [
                r.name,
                r.version,
                r.aliases.join(', '),
                r.domain,
                r.modelKind,
                `${r.primary.name} ${formatMetric(r.primary.value)}`,
                r.createdAt.slice(0, 19),
              ]),
            )
          : 'No models registered yet: run smx train pipelines/<file>.yaml.';
        return { result: { models: rows }, text };
      }),
    );

  models
    .command('show')
    .description('one version: artifacts, parameters, metrics and features')
    .addHelpText(
      'after',
      examples(
        'smx models show ai4i-failure@champion',
        'smx models show ai4i-failure@2 --json',
        'smx models show ai4i-failure --report ai4i.html',
      ),
    )
    .argument('<ref>', 'NAME, NAME@VERSION or NAME@champion')
    .option('--report <file.html>', 'write the training report (one self-contained HTML page with charts) here')
    .action(
      action<{ report?: string }>(async (context, options, args) => {
        const { loadModel } = await import('../../registry/load-model.js');
        const m = await loadModel(dirOf(context), args[0]!);
        const reportPath = options.report ? path.resolve(context.cwd, options.report) : null;
        if (reportPath) {
          const { writeTrainingReport } = await import('../../ml/report/write-report.js');
          const { reportViewOf } = await import('../../ml/report/load-report-view.js');
          await writeTrainingReport(reportPath, await reportViewOf(m));
        }
        const metrics = m.metrics;
        const text = [
          `${m.name}@${m.version}${m.aliases.length ? ` (${m.aliases.join(', ')})` : ''}: ${m.entry.modelKind}, domain ${m.entry.tags.domain ?? '?'}, registered ${m.entry.createdAt}`,
          m.entry.description,
          `folder: ${path.relative(context.cwd, m.dir) || m.dir}; artifacts: ${m.entry.artifacts.join(', ')}`,
          `evaluation: ${headline(metrics)}`,
          metricsTable(metrics),
          ...confusionTable(metrics),
          `features (${m.featureNames.length}): ${m.featureNames.join(', ')}`,
          ...(reportPath ? [`Training report: ${path.relative(context.cwd, reportPath) || reportPath}`] : []),
        ].join('\n');
        return {
          result: {
            name: m.name,
            version: m.version,
            aliases: m.aliases,
            dir: path.relative(context.cwd, m.dir),
            entry: m.entry,
            params: m.params,
            metrics,
            featureNames: m.featureNames,
            reportPath: reportPath && path.relative(context.cwd, reportPath),
          },
          text,
        };
      }),
    );

  models
    .command('promote')
    .description('make a version the champion of its name')
    .addHelpText('after', examples('smx models promote ai4i-failure 2'))
    .argument('<name>')
    .argument('<version>')
    .action(
      action(async (context, _options, args) => {
        const { promote, parseVersionArg } = await import('../../registry/registry-ops.js');
        const r = await promote(dirOf(context), args[0]!, parseVersionArg(args[1]!));
        const text =
          r.previous === r.version
            ? `${r.name}@${r.version} already is the champion.`
            : `${r.name}@${r.version} is now the champion${r.previous !== null ? ` (was @${r.previous})` : ''}.`;
        return { result: r, text };
      }),
    );

  models
    .command('compare')
    .description('two versions of one model side by side, metric by metric')
    .addHelpText(
      'after',
      examples('smx models compare ai4i-failure 1 2', 'smx models compare ai4i-failure 1 2 --report compare.html'),
    )
    .argument('<name>')
    .argument('<v1>')
    .argument('<v2>')
    .option('--report <file.html>', "write both versions' training reports side by side (one HTML page) here")
    .action(
      action<{ report?: string }>(async (context, options, args) => {
        const { compareVersions, parseVersionArg } = await import('../../registry/registry-ops.js');
        const c = await compareVersions(
          dirOf(context),
          args[0]!,
          parseVersionArg(args[1]!, 'V1'),
          parseVersionArg(args[2]!, 'V2'),
        );
        const reportPath = options.report ? path.resolve(context.cwd, options.report) : null;
        if (reportPath) {
          const { writeComparisonReport } = await import('../../ml/report/write-report.js');
          const { reportViewOf } = await import('../../ml/report/load-report-view.js');
          await writeComparisonReport(reportPath, await reportViewOf(c.a), await reportViewOf(c.b));
        }
        const text = [
          renderTable(
            ['metric', `@${c.a.version}`, `@${c.b.version}`, 'change'],
            c.rows.map((r) => [
              r.metric,
              formatMetric(r.a),
              formatMetric(r.b),
              r.delta === null ? '' : (r.delta >= 0 ? '+' : '') + formatMetric(r.delta),
            ]),
          ),
          c.better === null
            ? `No difference on ${c.a.metrics.primary.name}.`
            : `Better on ${c.a.metrics.primary.name}: ${c.name}@${c.better}.`,
          ...(reportPath ? [`Comparison report: ${path.relative(context.cwd, reportPath) || reportPath}`] : []),
        ].join('\n');
        return {
          result: {
            name: c.name,
            v1: c.a.version,
            v2: c.b.version,
            primary: c.a.metrics.primary.name,
            better: c.better,
            rows: c.rows,
            reportPath: reportPath && path.relative(context.cwd, reportPath),
          },
          text,
        };
      }),
    );

  models
    .command('recommend')
    .description('the best champion for a sensor domain, by its primary metric')
    .addHelpText('after', examples('smx models recommend --domain pump --json'))
    .requiredOption('--domain <domain>', 'tabular, bearing, audio, pump or forecast')
    .action(
      action<{ domain: string }>(async (context, options) => {
        const { recommend } = await import('../../registry/registry-ops.js');
        const r = await recommend(dirOf(context), options.domain);
        const text = [
          `Recommended for ${options.domain}: ${r.best.name}@${r.best.version} (${r.best.modelKind}, ${r.best.primary.name} ${formatMetric(r.best.primary.value)}; ranked by ${r.rankedBy.name}).`,
          ...(r.alternatives.length
            ? [
                renderTable(
                  ['alternative', 'version', 'kind', 'primary metric'],
                  r.alternatives.map((a) => [
                    a.name,
                    a.version,
                    a.modelKind,
                    `${a.primary.name} ${formatMetric(a.primary.value)}`,
                  ]),
                ),
              ]
            : []),
        ].join('\n');
        return {
          result: { domain: options.domain, recommended: r.best, rankedBy: r.rankedBy, alternatives: r.alternatives },
          text,
        };
      }),
    );
}
