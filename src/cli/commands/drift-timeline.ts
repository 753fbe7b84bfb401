import path from 'node:path';
import type { Command } from 'commander';
import { action, examples, parseDuration } from '../command-kit.js';
import { usageError } from '../../errors.js';
import { parseInstant } from '../../parse-instant.js';
import { parseSeason } from '../../drift/sources/reference-spec.js';
import type { TimelineChunk } from '../../drift/timeline/timeline-types.js';
import { type CompareFlags, calibrationFrom, compareOptionsFrom, multivariateFrom } from './drift-flags.js';

interface TimelineFlags extends CompareFlags {
  sensor?: string[];
  sensorType?: string;
  from?: string;
  to?: string;
  chunk: string;
  reference?: string;
  season?: string;
  quality?: boolean;
  multivariate?: boolean | string;
  report?: string;
  store?: boolean;
  failOnDrift?: boolean;
}

function chunkLine(c: TimelineChunk): string {
  const verdict = c.status !== 'tested' ? 'undecided' : c.datasetDrift ? 'DRIFT    ' : 'ok       ';
  const top = [...c.columns]
    .filter((col) => col.status === 'tested')
    .sort((a, b) => Number(b.drifted) - Number(a.drifted) || (b.effect ?? 0) - (a.effect ?? 0))
    .slice(0, 4)
    .map(
      (col) =>
        `${col.column}${col.drifted ? '*' : ''} ${col.effect === null ? '—' : Number(col.effect.toPrecision(3))}`,
    )
    .join(', ');
  const quality = c.qualityAlarms.length
    ? `  quality: ${c.qualityAlarms.map((q) => `${q.column} ${q.signal}`).join(', ')}`
    : '';
  const mv = (c.multivariate ?? []).filter((m) => m.drifted).map((m) => m.method);
  return `${c.from.toISOString()}  ${c.to.toISOString()}  ${verdict} ${c.driftedColumns}/${c.testedColumns}  ${top}${mv.length ? `  multivariate: ${mv.join(', ')}` : ''}${quality}`;
}

/** `smx drift timeline`: every chunk of a period against its reference, in one streamed pass. */
export function registerDriftTimeline(drift: Command): void {
  drift
    .command('timeline')
    .description('check every chunk of a period against its reference in one pass; store each chunk in drift_checks')
    .option('--sensor <ids...>', 'these sensors (one column each)')
    .option('--sensor-type <type>', 'every sensor of this type')
    .requiredOption('--from <instant>', 'start of the period (UTC unless a zone is given)')
    .requiredOption('--to <instant>', 'end of the period (exclusive)')
    .option('--chunk <duration>', 'chunk length', '1h')
    .option(
      '--reference <ref>',
      'as smx drift: FROM..TO, baseline:NAME, model:NAME, seasonal:7d, seasonal:2w (default: the chunk before each chunk)',
    )
    .option('--season <season>', 'with a fixed reference: hour-of-day or hour-of-week')
    .option('--method <test>', 'auto or one test for every column', 'auto')
    .option('--threshold <value...>', 'threshold for --method, or TEST=VALUE per test')
    .option('--column-threshold <col=value...>', 'per-column thresholds')
    .option('--column-method <col=test...>', 'per-column tests')
    .option('--bh', 'Benjamini-Hochberg adjust the p-values across columns')
    .option('--drift-share <share>', 'dataset drift when at least this share of columns drifted', '0.5')
    .option('--min-samples <n>', 'fewest values per side for a column to be tested', '5')
    .option('--effect-floor <measure=value...>', 'wasserstein=…, spread=…, jensenshannon=…, none, or calibrated')
    .option(
      '--calibration-k <k>',
      'with --effect-floor calibrated: floor = mean + k·sd of the column normal effects',
      '4',
    )
    .option('--no-quality', 'skip the data-quality signals')
    .option(
      '--multivariate [methods]',
      'also run domain-classifier,pca-reconstruction per chunk (slow: a forest per chunk)',
    )
    .option('--report <file.html>', 'write the timeline report here (atomically)')
    .option('--no-store', 'do not store the chunks in drift_checks')
    .option('--fail-on-drift', 'exit 1 when any chunk drifted')
    .addHelpText(
      'after',
      examples(
        'smx drift timeline --sensor-type temperature --from 2024-01-08 --to 2024-01-22 --chunk 1h --reference seasonal:1w --effect-floor wasserstein=1.75 spread=0.4 --report timeline.html',
        'smx drift timeline --sensor s1 s2 --from 2024-01-15 --to 2024-01-16 --reference baseline:normal --season hour-of-day --json',
      ),
    )
    .action(
      action<TimelineFlags>(async (context, flags) => {
        if (!flags.sensor?.length && !flags.sensorType && !flags.reference?.startsWith('baseline:'))
          throw usageError(
            'Name the sensors with --sensor ID… or --sensor-type TYPE (or use --reference baseline:NAME).',
          );
        const now = new Date(context.now());
        const multivariate = multivariateFrom(flags.multivariate);
        const calibration = calibrationFrom(
          flags.effectFloor,
          flags.effectFloor?.includes('calibrated') ? flags.calibrationK : undefined,
        );
        const { runDriftTimeline } = await import('../../drift/timeline/run-drift-timeline.js');
        const { db } = await context.database();
        const lines: string[] = [];
        const result = await runDriftTimeline(db, {
          selection: { sensorIds: flags.sensor, sensorType: flags.sensorType },
          from: new Date(parseInstant(flags.from!, '--from', () => now.getTime())),
          to: new Date(parseInstant(flags.to!, '--to', () => now.getTime())),
          chunkMs: parseDuration(flags.chunk, '--chunk'),
          ...(flags.reference ? { reference: flags.reference } : {}),
          ...(flags.season ? { season: parseSeason(flags.season) } : {}),
          modelsDir: path.resolve(context.cwd, context.config.modelsDir),
          compare: compareOptionsFrom(flags),
          ...(flags.quality === false ? { quality: false } : {}),
          ...(multivariate ? { multivariate: { methods: multivariate } } : {}),
          ...(calibration ? { calibration } : {}),
          store: flags.store !== false,
          ...(flags.report ? { reportPath: flags.report } : {}),
          now,
          signal: context.signal,
          runId: context.runId,
          onChunk: (c) => {
            if (!context.json) lines.push(chunkLine(c));
          },
        });
        const drifted = result.chunks.filter((c) => c.datasetDrift);
        const undecided = result.chunks.filter((c) => c.status !== 'tested').length;
        const summary = [
          `Drift timeline: ${result.subject}, ${result.chunks.length} chunks of ${flags.chunk} against ${result.referenceText}`,
          `  drifted chunks: ${drifted.length}${undecided ? `, undecided (too little data): ${undecided}` : ''}; first: ${drifted[0]?.from.toISOString() ?? '—'}`,
          `  read ${result.rowsRead.toLocaleString('en-US')} readings in one pass; ${result.stored ? `stored as run ${result.runId} in drift_checks` : 'not stored'}`,
          ...(result.reportPath ? [`  HTML report: ${result.reportPath}`] : []),
        ];
        return {
          result: {
            runId: result.runId,
            subject: result.subject,
            sensorIds: result.sensorIds,
            from: result.from.toISOString(),
            to: result.to.toISOString(),
            chunkMs: result.chunkMs,
            reference: result.referenceText,
            driftedChunks: drifted.length,
            undecidedChunks: undecided,
            rowsRead: result.rowsRead,
            stored: result.stored,
            reportPath: result.reportPath ?? null,
            timings: result.timings,
            chunks: result.chunks,
          },
          text: [
            'chunk start               chunk end                 verdict   drifted  columns (* drifted: effect)',
            ...lines,
            ...summary,
          ].join('\n'),
          exitCode: flags.failOnDrift && drifted.length > 0 ? 1 : 0,
        };
      }),
    );
}
