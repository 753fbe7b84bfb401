import type { Command } from 'commander';
import { action, parseDuration, parseIntFlag } from '../command-kit.js';
import { usageError } from '../../errors.js';
import { parseInstant } from '../../parse-instant.js';

interface GenerateFlags {
  sensors: string;
  days: string;
  seed: string;
  interval: string;
  start: string;
  anomalies?: boolean;
  driftAt?: string;
  output?: string;
  labels?: string;
  json?: boolean;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'generate realistic synthetic readings (daily cycles, noise, known anomalies and drift), deterministic by seed',
    )
    .option('--sensors <n>', 'number of sensors (temperature, vibration, pressure in turn)', '10')
    .option('--days <d>', 'days of data (fractions allowed)', '7')
    .option('--seed <s>', 'random seed: the same seed gives the same file', '1')
    .option('--interval <duration>', 'time between readings of one sensor', '60s')
    .option(
      '--start <instant>',
      'first timestamp (a date, an ISO-8601 time (UTC without a zone), or "now")',
      '2024-01-01T00:00:00Z',
    )
    .option('--anomalies', 'inject spikes, level shifts and noise bursts at known times')
    .option('--drift-at <instant>', 'from this instant every sensor drifts (level and spread)')
    .option('-o, --output <file>', 'CSV output (default: stdout)')
    .option('--labels <file>', 'write the injected anomalies and drift as CSV (sensor_id,kind,start,end)')
    .addHelpText(
      'after',
      '\nExamples:\n  smx generate --sensors 100 --days 7 --anomalies --labels labels.csv -o readings.csv\n  smx generate --sensors 10 --days 1 --drift-at 2024-01-01T12:00:00Z | smx ingest -',
    )
    .action(
      action<GenerateFlags>(async (context, flags) => {
        const { runGenerate } = await import('../../generate/run-generate.js');
        const toStdout = !flags.output || flags.output === '-';
        if (toStdout && flags.json)
          throw usageError('--json prints the summary on stdout; give --output FILE for the readings.');
        // "now" starts at the current minute, so two runs a few seconds apart write the same timestamps.
        const startMs =
          flags.start.trim() === 'now'
            ? Math.floor(context.now() / 60_000) * 60_000
            : parseInstant(flags.start, '--start');
        const result = await runGenerate({
          sensors: parseIntFlag(flags.sensors, '--sensors', { min: 1, max: 100_000 }),
          days: parsePositive(flags.days, '--days'),
          seed: parseIntFlag(flags.seed, '--seed', { min: 0 }),
          intervalMs: parseDuration(flags.interval, '--interval'),
          startMs,
          anomalies: Boolean(flags.anomalies),
          ...(flags.driftAt ? { driftAtMs: parseInstant(flags.driftAt, '--drift-at', context.now) } : {}),
          signal: context.signal,
          output: toStdout ? context.stdout : flags.output!,
          ...(flags.labels ? { labelsPath: flags.labels } : {}),
        });
        const text = toStdout
          ? undefined
          : `Wrote ${result.rows} readings of ${result.sensors} sensors to ${flags.output}${flags.labels ? `, ${result.labels} labels to ${flags.labels}` : ''}.`;
        return { result: { ...result }, ...(text ? { text } : {}) };
      }),
    );
}

function parsePositive(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || n > 36_500)
    throw usageError(`${flag} must be a positive number of days up to 36500; got ${JSON.stringify(value)}.`);
  return n;
}
