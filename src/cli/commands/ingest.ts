import type { Command } from 'commander';
import { Option } from 'commander';
import { action, parseIntFlag } from '../command-kit.js';
import { usageError } from '../../errors.js';

interface IngestFlags {
  format?: 'csv' | 'ndjson';
  idempotencyKey?: string;
  maxRejects?: string;
  rejects?: string;
  assumeUtc?: boolean;
  timeUnit?: 's' | 'ms';
  map?: string;
  wide?: boolean;
  timeColumn?: string;
  entityColumn?: string;
  delimiter: string;
  workers: string;
  batchSize: string;
  json?: boolean;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'load CSV/NDJSON readings into PostgreSQL through COPY (streaming, idempotent, bad rows to a rejects file)',
    )
    .argument('<file>', 'input file, or - for stdin')
    .addOption(
      new Option('--format <format>', 'input format (default: from the extension, else csv)').choices([
        'csv',
        'ndjson',
      ]),
    )
    .option('--idempotency-key <key>', "a second run with the same key inserts nothing (default: the file's SHA-256)")
    .option('--max-rejects <n>', 'stop with exit 3 after more than N rejected rows (default 1000)')
    .option('--rejects <file>', 'where rejected rows go, as NDJSON (default: <file>.rejects.ndjson)')
    .option('--assume-utc', 'read timestamps without an offset as UTC instead of rejecting them')
    .addOption(new Option('--time-unit <unit>', 'timestamps are epoch numbers in this unit').choices(['s', 'ms']))
    .option('--map <pairs>', 'column names for fields, e.g. sensor_id=Machine,timestamp=Time,value=Reading')
    .option('--wide', 'one numeric column per sensor (needs --time-column)')
    .option('--time-column <name>', 'wide files: the time column')
    .option('--entity-column <name>', 'wide files: a machine column; sensor ids become <entity>.<column>')
    .option('--delimiter <char>', 'CSV field delimiter', ',')
    .option('--workers <n>', 'connections writing batches in parallel', '2')
    .option('--batch-size <rows>', 'rows per COPY and per commit', '100000')
    .addHelpText(
      'after',
      [
        '',
        'Long format: sensor_id,timestamp,value[,sensor_type,unit,quality,metadata]; timestamps ISO-8601 with Z or an offset.',
        'Exit codes: 0 loaded (or already loaded: "status":"duplicate"), 2 --idempotency-key already used for other content,',
        '3 a bad header or more rejects than --max-rejects, 4 PostgreSQL unreachable, 130 interrupted (committed batches stay; run again to finish).',
        '',
        'Examples:',
        '  smx ingest readings.csv --json',
        '  smx generate --sensors 10 --days 1 | smx ingest - --idempotency-key demo-1',
        '  smx ingest plant.csv --wide --time-column Time --entity-column Machine',
      ].join('\n'),
    )
    .action(
      action<IngestFlags>(async (context, flags, args) => {
        const input = args[0]!;
        if (flags.wide && !flags.timeColumn) throw usageError('--wide needs --time-column.');
        if (!flags.wide && (flags.timeColumn || flags.entityColumn))
          throw usageError('--time-column and --entity-column apply to --wide files.');
        if (flags.delimiter.length !== 1) throw usageError('--delimiter must be one character.');
        const format = flags.format ?? (/\.(nd)?jsonl?$/i.test(input) ? 'ndjson' : 'csv');
        if (format === 'ndjson' && flags.wide) throw usageError('--wide applies to CSV input.');
        const workers = parseIntFlag(flags.workers, '--workers', { min: 1, max: 16 });
        const { parseColumnMap } = await import('../../ingest/row-layout.js');
        const { runIngest } = await import('../../ingest/run-ingest.js');
        const { db } = await context.database({ poolSize: workers + 2 });
        const progress = context.interactive && !flags.json ? progressPrinter() : undefined;
        const summary = await runIngest(db, {
          input,
          stdin: process.stdin,
          format,
          ...(flags.idempotencyKey ? { idempotencyKey: flags.idempotencyKey } : {}),
          ...(flags.maxRejects !== undefined ? { maxRejects: parseIntFlag(flags.maxRejects, '--max-rejects') } : {}),
          ...(flags.rejects ? { rejectsPath: flags.rejects } : {}),
          assumeUtc: Boolean(flags.assumeUtc),
          ...(flags.timeUnit ? { timeUnit: flags.timeUnit } : {}),
          ...(flags.map ? { map: parseColumnMap(flags.map) } : {}),
          ...(flags.wide
            ? {
                wide: {
                  timeColumn: flags.timeColumn!,
                  ...(flags.entityColumn ? { entityColumn: flags.entityColumn } : {}),
                },
              }
            : {}),
          delimiter: flags.delimiter,
          workers,
          batchRows: parseIntFlag(flags.batchSize, '--batch-size', { min: 1, max: 2_000_000 }),
          // Done markers only where they are a fast path: in Redis (in PostgreSQL, ingest_batches already is the authority).
          ...(context.config.redisUrl ? { markerCache: () => context.cache() } : {}),
          logger: context.logger,
          signal: context.signal,
          ...(progress ? { onProgress: progress.update } : {}),
        }).finally(() => progress?.done());
        const text =
          summary.status === 'duplicate'
            ? `Already loaded: key ${summary.idempotencyKey} was ingested by batch ${summary.batchId}; nothing inserted.`
            : `Loaded ${summary.inserted} readings${summary.earlierInserted ? ` (and ${summary.earlierInserted} by earlier, unfinished runs of this key)` : ''} (${summary.duplicates} already present, ${summary.rejected} rejected${summary.rejectsFile ? ` → ${summary.rejectsFile}` : ''}) in ${summary.seconds}s, ${summary.rowsPerSecond} rows/s; batch ${summary.batchId}.${summary.redis === 'degraded' ? ' Redis degraded: idempotency enforced by PostgreSQL alone.' : ''}`;
        return { result: { ...summary }, text };
      }),
    );
}

/** A one-line progress bar on stderr (TTY only), redrawn at most every 200 ms. */
function progressPrinter() {
  const started = Date.now();
  let last = 0;
  return {
    update(p: { rowsRead: number; rejected: number; bytesRead: number; totalBytes: number | undefined }) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const rate = Math.round(p.rowsRead / Math.max((now - started) / 1000, 0.001));
      const share = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : undefined;
      const bar =
        share === undefined
          ? ''
          : `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] ${(share * 100).toFixed(0).padStart(3)}% `;
      process.stderr.write(
        `\r${bar}${p.rowsRead.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s, ${p.rejected} rejected `,
      );
    },
    done() {
      if (last) process.stderr.write('\n');
    },
  };
}
