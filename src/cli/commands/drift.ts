import path from 'node:path';
import type { Command } from 'commander';
import { action, parseIntFlag } from '../command-kit.js';
import { usageError } from '../../errors.js';
import type { DriftReport } from '../../drift/types.js';
import { type CompareFlags, calibrationFrom, compareOptionsFrom, multivariateFrom } from './drift-flags.js';
import { parseInstant } from '../../parse-instant.js';
import { parseSeason } from '../../drift/sources/reference-spec.js';
import { registerDriftBaseline } from './drift-baseline.js';
import { registerDriftTimeline } from './drift-timeline.js';
import type { DriftCheckResult, DriftInput, WindowSummary } from '../../drift/run-drift-check.js';

interface DriftFlags extends CompareFlags {
  at?: string;
  season?: string;
  effectFloor?: string[];
  quality?: boolean;
  multivariate?: boolean | string;
  model?: string;
  sensor?: string[];
  sensorType?: string;
  reference?: string;
  current?: string;
  hourly?: boolean;
  method?: string;
  threshold?: string[];
  columnThreshold?: string[];
  columnMethod?: string[];
  columns?: string[];
  bh?: boolean;
  driftShare?: string;
  minSamples?: string;
  delimiter?: string;
  sample?: string;
  seed?: string;
  report?: string;
  failOnDrift?: boolean;
  failOnQuality?: boolean;
  emit?: boolean;
  store?: boolean;
}

function windowLine(name: string, w: WindowSummary): string {
  const rows = w.sampled
    ? `${w.rows.toLocaleString('en-US')} sampled of ${w.totalRows.toLocaleString('en-US')} rows`
    : `${w.rows.toLocaleString('en-US')} rows`;
  return `${name}: ${w.label} — ${rows}`;
}

function renderText(result: DriftCheckResult, table: string): string {
  const lines = [
    `Drift check: ${result.subject}`,
    windowLine('  reference', result.reference),
    windowLine('  current  ', result.current),
  ];
  for (const note of [...(result.reference.notes ?? []), ...(result.current.notes ?? [])])
    lines.push(`  note: ${note}`);
  if (result.sample && (result.reference.sampled || result.current.sampled)) {
    lines.push(
      `  sampled: a seeded reservoir sample of at most ${result.sample.size.toLocaleString('en-US')} values per column and window (seed ${result.sample.seed}); the statistics describe the sample`,
    );
  }
  lines.push(table);
  lines.push(...extraLines(result.report));
  if (result.driftCheckId !== null) lines.push(`Stored as drift_checks #${result.driftCheckId}.`);
  if (result.event)
    lines.push(`Published drift.detected ${result.event.id} (sensors: ${result.event.payload.sensor_ids.join(', ')}).`);
  if (result.reportPath) lines.push(`HTML report: ${result.reportPath}`);
  return lines.join('\n');
}

/** Invalid cells, quality alarms and the multivariate checks, below the table. */
export function extraLines(report: DriftReport): string[] {
  const lines: string[] = [];
  for (const c of report.columns) {
    for (const [side, cells] of [
      ['reference', c.referenceInvalid],
      ['current', c.currentInvalid],
    ] as const) {
      if (cells)
        lines.push(
          `  ${c.column}: ${cells.count} ${side} cell${cells.count === 1 ? '' : 's'} not a number, left out (first: line ${cells.first.line}, ${JSON.stringify(cells.first.text)})`,
        );
    }
  }
  const alarms = (report.quality ?? []).filter((q) => q.alarm);
  if (report.quality)
    lines.push(
      alarms.length
        ? `Quality alarms: ${alarms.length}`
        : `Quality: no alarm (missing rate, flat line, out-of-range, gaps over ${new Set(report.quality.map((q) => q.column)).size} columns)`,
    );
  for (const q of alarms) lines.push(`  ${q.column} ${q.signal}: ${q.note}`);
  for (const m of report.multivariate ?? []) {
    if (m.status !== 'tested') {
      lines.push(`Multivariate ${m.method}: not decided (${m.note ?? 'insufficient data'})`);
      continue;
    }
    const bound = m.lower !== null ? `${formatBound(m.lower)} … ${formatBound(m.upper)}` : `≤ ${formatBound(m.upper)}`;
    const drivers = m.features
      .slice(0, 3)
      .map((f) => `${f.column} ${(100 * f.weight).toFixed(0)}%`)
      .join(', ');
    lines.push(
      `Multivariate ${m.method}: ${formatBound(m.value)} (normal ${bound}, from ${m.calibration.length} reference splits) — ${m.drifted ? 'DRIFT' : 'no drift'}; driven by ${drivers}`,
    );
  }
  return lines;
}

const formatBound = (v: number | null) => (v === null ? '—' : Number(v.toPrecision(4)).toString());

export function registerDrift(program: Command): void {
  const drift = program
    .command('drift')
    .description('compare a reference and a current window: KS, PSI, Wasserstein, JS, chi-square')
    .argument(
      '[files...]',
      'REFERENCE.csv CURRENT.csv (each column a feature); with --model only CURRENT.csv (or - for stdin)',
    )
    .option(
      '--model <ref>',
      "reference = this registered model's training rows (NAME, NAME@VERSION, NAME@champion), rebuilt from its frozen pipeline",
    )
    .option('--sensor <ids...>', "compare these sensors' readings (one column each)")
    .option('--sensor-type <type>', 'compare every sensor of this type')
    .option('--current <window>', 'current window: FROM..TO or last:24h', 'last:24h')
    .option(
      '--reference <ref>',
      'FROM..TO, last:7d, baseline:NAME, model:NAME[@V], seasonal:7d (same hours, previous 7 days) or seasonal:2w (same hours of the week) — default: the window just before --current',
    )
    .option(
      '--season <season>',
      'keep only the reference hours in the current window phase: hour-of-day or hour-of-week',
    )
    .option('--at <instant>', 'evaluate as if now were this instant (backfills, tests)')
    .option(
      '--effect-floor <measure=value...>',
      'flag a p-value test only when its effect passes: wasserstein=0.1 (W/σ), spread=0.4 (|ln σ ratio|), jensenshannon=0.12; none; or calibrated (learned per column from the stored checks)',
    )
    .option(
      '--calibration-k <k>',
      'with --effect-floor calibrated: floor = mean + k·sd of the column normal effects',
      '4',
    )
    .option('--no-quality', 'skip the data-quality signals (missing rate, flat line, out-of-range, gaps)')
    .option(
      '--multivariate [methods]',
      'also run domain-classifier,pca-reconstruction (both by default) over the numeric columns',
    )
    .option('--hourly', 'compare hourly averages (sensor_hourly) instead of raw readings')
    .option(
      '--method <test>',
      'auto (Evidently-like), ks, psi, wasserstein, jensenshannon, chisquare, mannwhitney, anderson',
      'auto',
    )
    .option('--threshold <value...>', 'threshold for --method, or TEST=VALUE per test (e.g. ks=0.01 psi=0.2)')
    .option('--column-threshold <col=value...>', 'per-column thresholds (win over --threshold)')
    .option('--column-method <col=test...>', 'per-column tests')
    .option('--columns <names...>', 'compare only these columns')
    .option('--bh', 'Benjamini-Hochberg adjust the p-values across columns')
    .option('--drift-share <share>', 'dataset drift when at least this share of columns drifted', '0.5')
    .option('--min-samples <n>', 'fewest values per side for a column to be tested', '5')
    .option('--delimiter <char>', 'CSV delimiter', ',')
    .option('--sample <n>', 'keep a seeded reservoir sample of at most N values per column and window')
    .option('--seed <n>', 'seed of --sample', '42')
    .option('--report <file.html>', 'write the HTML report here (atomically)')
    .option(
      '--fail-on-drift',
      'exit 1 on dataset drift or multivariate drift, or when no column had enough data to decide',
    )
    .option('--fail-on-quality', 'exit 1 on a data-quality alarm (missing rate, flat line, out-of-range, gap)')
    .option('--emit', 'publish a drift.detected event when dataset drift is found')
    .option(
      '--store',
      'store the run in drift_checks (default: yes for sensor windows; for CSV files and --model only when a database URL is set)',
    )
    .option('--no-store', 'do not store the run in drift_checks')
    .addHelpText(
      'after',
      `
Examples:
  smx drift --sensor-type temperature --current last:1h --reference seasonal:2w --effect-floor wasserstein=1.75 spread=0.4 --fail-on-drift --emit
  smx drift --sensor-type temperature --current last:1h --reference baseline:normal --season hour-of-week
  smx drift reference.csv current.csv --report drift.html --multivariate
  smx drift --model ai4i-failure@champion readings.csv --fail-on-drift
  smx drift --sensor pump-1 pump-2 --reference 2026-01-01..2026-02-01 --current last:24h --fail-on-drift
  smx drift --sensor-type vibration --current last:7d --hourly --emit --json
  smx drift --sensor s1 --current last:30d --sample 100000 --method ks --threshold 0.01 --bh`,
    )
    .action(
      action<DriftFlags>(async (context, flags, args) => {
        const compare = compareOptionsFrom(flags);
        const sensorsGiven = Boolean(flags.sensor?.length || flags.sensorType);
        let input: DriftInput;
        if (flags.model !== undefined) {
          if (sensorsGiven || args.length !== 1)
            throw usageError(
              "--model takes one CSV of the model's features (or - for stdin), and no --sensor / --sensor-type.",
              { hint: 'e.g. smx drift --model ai4i-failure readings.csv' },
            );
          const file = args[0]!;
          input = {
            kind: 'model',
            model: flags.model,
            modelsDir: path.resolve(context.cwd, context.config.modelsDir),
            current: file === '-' ? { stream: process.stdin, label: 'stdin' } : { path: file },
            delimiter: flags.delimiter,
            cwd: context.cwd,
            stateDir: path.resolve(context.cwd, context.config.stateDir),
          };
        } else if (args.length === 2 && !sensorsGiven) {
          input = { kind: 'csv', referencePath: args[0]!, currentPath: args[1]!, delimiter: flags.delimiter };
        } else if (args.length === 0 && sensorsGiven) {
          input = {
            kind: 'sensors',
            selection: { sensorIds: flags.sensor, sensorType: flags.sensorType },
            current: flags.current ?? 'last:24h',
            reference: flags.reference,
            ...(flags.season ? { season: parseSeason(flags.season) } : {}),
            ...(flags.hourly ? { source: 'hourly' as const } : {}),
            modelsDir: path.resolve(context.cwd, context.config.modelsDir),
          };
        } else if (args.length === 0 && flags.reference?.startsWith('baseline:')) {
          // The baseline names its sensors.
          input = {
            kind: 'sensors',
            selection: {},
            current: flags.current ?? 'last:24h',
            reference: flags.reference,
            ...(flags.season ? { season: parseSeason(flags.season) } : {}),
            ...(flags.hourly ? { source: 'hourly' as const } : {}),
          };
        } else {
          throw usageError('Give two CSV files, --model NAME and one CSV, or --sensor ID… / --sensor-type TYPE.', {
            hint: 'See `smx drift --help`.',
          });
        }
        const store = flags.store ?? (input.kind === 'sensors' || Boolean(context.config.databaseUrl));
        const sample =
          flags.sample === undefined
            ? undefined
            : {
                size: parseIntFlag(flags.sample, '--sample', { min: 10 }),
                seed: parseIntFlag(flags.seed ?? '42', '--seed'),
              };
        const { runDriftCheck } = await import('../../drift/run-drift-check.js');
        const { renderDriftTable } = await import('../../drift/report/report-table.js');
        const now = new Date(context.now());
        const multivariate = multivariateFrom(flags.multivariate);
        const calibration = calibrationFrom(
          flags.effectFloor,
          flags.effectFloor?.includes('calibrated') ? flags.calibrationK : undefined,
        );
        const result = await runDriftCheck(
          {
            input,
            compare,
            sample,
            ...(flags.at ? { at: new Date(parseInstant(flags.at, '--at', () => now.getTime())) } : {}),
            ...(flags.quality === false ? { quality: false } : {}),
            ...(multivariate ? { multivariate: { methods: multivariate } } : {}),
            ...(calibration ? { calibration } : {}),
            store,
            emit: Boolean(flags.emit),
            reportPath: flags.report,
            now,
            correlationId: context.runId,
            signal: context.signal,
          },
          { database: async () => (await context.database()).db, bus: () => context.bus() },
        );
        const undecided = result.report.status === 'insufficient-data';
        const alarm = result.report.datasetDrift || Boolean(result.report.multivariateDrift);
        const quality = Boolean(flags.failOnQuality && result.report.qualityAlarm);
        return {
          result: {
            subject: result.subject,
            datasetDrift: result.report.datasetDrift,
            multivariateDrift: result.report.multivariateDrift ?? null,
            qualityAlarm: result.report.qualityAlarm ?? null,
            status: result.report.status,
            shareDrifted: result.report.shareDrifted,
            reference: result.reference,
            current: result.current,
            sample: result.sample ?? null,
            driftCheckId: result.driftCheckId,
            eventId: result.event?.id ?? null,
            reportPath: result.reportPath ?? null,
            timings: result.timings,
            report: result.report,
          },
          text: renderText(result, renderDriftTable(result.report, { color: process.stdout.isTTY })),
          exitCode: (flags.failOnDrift && (alarm || undecided)) || quality ? 1 : 0,
        };
      }),
    );
  registerDriftBaseline(drift);
  registerDriftTimeline(drift);
}
