import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db.js';
import { usageError } from '../errors.js';
import { constantSchedule, rampSchedule } from './arrival-schedule.js';
import { generateLoad, scenarioTarget, type ThreadOptions, type ThreadResult } from './generate-load.js';
import { cleanupIngest, verifyIngest, type IngestWritten } from './ingest-check.js';
import { generateInWorkers } from './load-workers.js';
import { ingestSensorPrefix, loadScenario } from './scenarios.js';
import { judge, summarize, type LoadTestReport } from './summarize-load.js';
import type { Threshold } from './thresholds.js';

export type { LoadTestReport } from './summarize-load.js';
export type { ThreadResult } from './generate-load.js';

/**
 * The load generator. Two models:
 * - open (`rate`, or ramp `stages`): requests are due on a schedule whatever
 *   the server does; latency is measured from when each was due, not when it
 *   could be sent, so a stalled server shows up in the percentiles
 *   (coordinated-omission correction, as wrk2). `connections` caps the sockets used.
 * - closed (`connections`): each connection sends its next request when the
 *   previous answer arrives (as wrk); throughput is what the server sustains.
 */
export interface LoadTestOptions extends Omit<ThreadOptions, 'ingest' | 'thread'> {
  /**
   * Generator threads (as wrk's -t): connections and rate are shared out and
   * each thread runs its own event loop; the histograms are merged. Default 1.
   */
  threads?: number;
  /** Gates the run fails on (thresholds.ts). */
  thresholds?: readonly Threshold[];
  /**
   * Ingest scenario: the server's database, to check at the end that every
   * acknowledged reading is stored. Without it the check is skipped with
   * `verificationSkipped` saying why.
   */
  database?: { db: Db; displayUrl: string } | undefined;
  /** Ingest scenario: check the acknowledged readings when `database` is given (default true). */
  verify?: boolean;
  verificationSkipped?: string | undefined;
  /** Ingest scenario: delete what the run wrote once it is checked (needs `database`). */
  cleanup?: boolean;
  signal?: AbortSignal;
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestReport> {
  const url = new URL(options.url);
  if (url.protocol !== 'http:') throw usageError(`loadtest supports http:// URLs only; got ${url.protocol}.`);
  if (options.model === 'open' && !options.stages && !(options.rate && options.rate > 0))
    throw usageError('The open model needs --rate > 0 or --stages.');
  if (options.cleanup && !options.database)
    throw usageError('--cleanup needs the server database (SMX_DATABASE_URL, or --target serve).');
  const threads = Math.max(1, Math.min(options.threads ?? 1, options.connections));
  const ingest =
    options.scenario === 'ingest' ? { runId: randomBytes(4).toString('hex'), startMs: Date.now() } : undefined;
  // Built here first so a bad scenario is a usage error before any thread starts.
  const { name } = loadScenario(options.scenario, scenarioTarget(options));
  const shares = shareOut(options, threads).map((share, thread) => ({ ...share, ingest, thread }));
  const parts: ThreadResult[] =
    threads === 1
      ? [await generateLoad({ ...shares[0]!, signal: options.signal })]
      : await generateInWorkers<ThreadResult>(shares, options.signal);
  const schedule =
    options.model !== 'open'
      ? undefined
      : options.stages
        ? rampSchedule(options.stages, options.rate ?? 0)
        : constantSchedule(options.rate!, options.durationMs);
  const report = summarize(
    {
      url: options.url,
      scenario: name,
      model: options.model,
      rate: options.rate,
      stages: options.stages,
      connections: options.connections,
      intervalMs: options.intervalMs ?? 1000,
      thresholds: options.thresholds ?? [],
      rateAt: schedule?.rateAt,
      sensorPrefix: ingest ? ingestSensorPrefix(ingest.runId) : undefined,
    },
    parts,
  );
  if (ingest && report.ingest) {
    const written: IngestWritten[] = parts.map((p, thread) => ({
      thread,
      sent: p.sent,
      acknowledged: p.acknowledged ?? new Uint8Array(0),
    }));
    if (options.database && options.verify !== false) {
      report.ingest.verification = await verifyIngest(
        options.database.db,
        ingest,
        written,
        options.database.displayUrl,
      );
    } else
      report.ingest.verificationSkipped =
        options.verificationSkipped ?? (options.database ? '--no-verify' : 'no database given');
    if (options.cleanup && options.database)
      report.ingest.cleanup = await cleanupIngest(options.database.db, ingest, written);
  }
  return judge(report);
}

/** Each thread's options: connections and rate (or stage targets) split as evenly as whole connections allow. */
export function shareOut(options: LoadTestOptions, threads: number): ThreadOptions[] {
  const {
    signal: _signal,
    threads: _threads,
    thresholds: _thresholds,
    database: _database,
    verify: _verify,
    verificationSkipped: _skipped,
    cleanup: _cleanup,
    ...rest
  } = options;
  return Array.from({ length: threads }, (_, i) => {
    const connections = Math.floor(options.connections / threads) + (i < options.connections % threads ? 1 : 0);
    const share = connections / options.connections;
    return {
      ...rest,
      connections,
      ...(options.rate !== undefined ? { rate: options.rate * share } : {}),
      ...(options.stages ? { stages: options.stages.map((s) => ({ ...s, target: s.target * share })) } : {}),
    };
  });
}
