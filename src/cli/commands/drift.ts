import path from 'node:path';
import type { Command } from 'commander';
import { action, parseIntFlag } from '../command-kit.js';
import { usageError } from '../../errors.js';
import type { CompareOptions, DriftMethod, DriftTest } from '../../drift/types.js';
import type { DriftCheckResult, DriftInput, WindowSummary } from '../../drift/run-drift-check.js';

interface DriftFlags {
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
  emit?: boolean;
  store?: boolean;
}

const tests: readonly DriftTest[] = [
  'ks',
  'psi',
  'wasserstein',
  'jensenshannon',
  'chisquare',
  'mannwhitney',
  'anderson',
];

function parseTest(value: string, flag: string, allowAuto: boolean): DriftMethod {
  if ((allowAuto && value === 'auto') || (tests as readonly string[]).includes(value)) return value as DriftMethod;
  throw usageError(`${flag}: unknown test ${JSON.stringify(value)}.`, {
    hint: `Use one of: ${allowAuto ? 'auto, ' : ''}${tests.join(', ')}.`,
  });
}

/** "name=value" pairs of a repeatable flag. */
function pairs(values: string[] | undefined, flag: string): Array<[string, string]> {
  return (values ?? []).map((item) => {
    const at = item.lastIndexOf('=');
    if (at <= 0 || at === item.length - 1) throw usageError(`${flag} ${JSON.stringify(item)} is not NAME=VALUE.`);
    return [item.slice(0, at), item.slice(at + 1)];
  });
}

function parseNumber(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw usageError(`${flag}: ${JSON.stringify(value)} is not a non-negative number.`);
  return n;
}

export function compareOptionsFrom(flags: DriftFlags): CompareOptions {
  const method = flags.method ? parseTest(flags.method, '--method', true) : 'auto';
  const thresholds: Partial<Record<DriftTest, number>> = {};
  for (const item of flags.threshold ?? []) {
    if (item.includes('=')) {
      const [[test, value]] = pairs([item], '--threshold') as [[string, string]];
      thresholds[parseTest(test, '--threshold', false) as DriftTest] = parseNumber(value, '--threshold');
    } else if (method !== 'auto') {
      thresholds[method] = parseNumber(item, '--threshold');
    } else {
      throw usageError('--threshold VALUE needs --method TEST; with auto write TEST=VALUE (e.g. ks=0.01).');
    }
  }
  const columnThresholds = Object.fromEntries(
    pairs(flags.columnThreshold, '--column-threshold').map(([c, v]) => [c, parseNumber(v, '--column-threshold')]),
  );
  const columnMethods = Object.fromEntries(
    pairs(flags.columnMethod, '--column-method').map(([c, v]) => [c, parseTest(v, '--column-method', true)]),
  );
  const driftShare = flags.driftShare === undefined ? undefined : parseNumber(flags.driftShare, '--drift-share');
  return {
    method,
    thresholds,
    columnThresholds,
    columnMethods,
    driftShare,
    columns: flags.columns?.length ? flags.columns : undefined,
    pValueCorrection: flags.bh ? 'benjamini-hochberg' : 'none',
    minSamples:
      flags.minSamples === undefined ? undefined : parseIntFlag(flags.minSamples, '--min-samples', { min: 1 }),
  };
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
  if (result.driftCheckId !== null) lines.push(`Stored as drift_checks #${result.driftCheckId}.`);
  if (result.event)
    lines.push(`Published drift.detected ${result.event.id} (sensors: ${result.event.payload.sensor_ids.join(', ')}).`);
  if (result.reportPath) lines.push(`HTML report: ${result.reportPath}`);
  return lines.join('\n');
}

export function registerDrift(program: Command): void {
  program
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
    .option('--reference <window>', 'reference window (default: the window just before --current)')
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
    .option('--fail-on-drift', 'exit 1 when dataset drift is found, or when no column had enough data to decide')
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
  smx drift reference.csv current.csv --report drift.html
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
            source: flags.hourly ? 'hourly' : 'readings',
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
        const result = await runDriftCheck(
          {
            input,
            compare,
            sample,
            store,
            emit: Boolean(flags.emit),
            reportPath: flags.report,
            now: new Date(context.now()),
            correlationId: context.runId,
            signal: context.signal,
          },
          { database: async () => (await context.database()).db, bus: () => context.bus() },
        );
        const undecided = result.report.status === 'insufficient-data';
        return {
          result: {
            subject: result.subject,
            datasetDrift: result.report.datasetDrift,
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
          exitCode: flags.failOnDrift && (result.report.datasetDrift || undecided) ? 1 : 0,
        };
      }),
    );
}
