import { usageError } from '../errors.js';
import { HttpConnection } from './http-connection.js';
import { LatencyRecorder, type LatencySummary, type RecordedLatencies } from './latency-recorder.js';
import { generateInWorkers } from './load-workers.js';
import { loadScenario } from './scenarios.js';

/**
 * The load generator. Two models:
 * - open (`rate`): requests are due at a constant rate whatever the server
 *   does; latency is measured from when each was due, not when it could be
 *   sent, so a stalled server shows up in the percentiles (coordinated-omission
 *   correction, as wrk2). `connections` caps the sockets used.
 * - closed (`connections`): each connection sends its next request when the
 *   previous answer arrives (as wrk); throughput is what the server sustains.
 */
export interface LoadTestOptions {
  url: string;
  model: 'open' | 'closed';
  /** Requests per second (open model). */
  rate?: number;
  connections: number;
  durationMs: number;
  scenario: string;
  apiKey?: string | undefined;
  /** Wait this long for answers after the end before counting them as timeouts. */
  graceMs?: number;
  /**
   * Generator threads (as wrk's -t): connections and rate are shared out and
   * each thread runs its own event loop; the histograms are merged. Default 1.
   */
  threads?: number;
  signal?: AbortSignal;
}

/** What one generator thread measured: the input to the report. */
export interface ThreadResult {
  sent: number;
  elapsedMs: number;
  delayedSends: number;
  latencies: RecordedLatencies;
}

export interface LoadTestReport {
  url: string;
  scenario: string;
  model: 'open' | 'closed';
  targetRate: number | null;
  connections: number;
  durationSeconds: number;
  requests: number;
  /** Completed requests per second (any status). */
  throughput: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** By status code (e.g. "202", "429") or failure ("timeout", "connection closed"). */
  outcomes: Record<string, number>;
  errors: number;
  latency: LatencySummary;
  /** Open model: requests that were sent later than due because every connection was busy. */
  delayedSends: number;
  /** Generator threads that sent the load. */
  threads: number;
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestReport> {
  const url = new URL(options.url);
  if (url.protocol !== 'http:') throw usageError(`loadtest supports http:// URLs only; got ${url.protocol}.`);
  if (options.model === 'open' && !(options.rate && options.rate > 0))
    throw usageError('The open model needs --rate > 0.');
  const threads = Math.max(1, Math.min(options.threads ?? 1, options.connections));
  // Built here first so a bad scenario is a usage error before any thread starts.
  const { name } = loadScenario(options.scenario, scenarioTarget(options));
  const parts =
    threads === 1
      ? [await generateLoad(options)]
      : await generateInWorkers<ThreadResult>(shareOut(options, threads), options.signal);
  return summarize(options, name, parts);
}

function scenarioTarget(options: Pick<LoadTestOptions, 'url' | 'apiKey'>) {
  const url = new URL(options.url);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
    basePath: url.pathname.replace(/\/$/, ''),
    apiKey: options.apiKey,
  };
}

/** Each thread's options: connections and rate split as evenly as whole connections allow. */
export function shareOut(
  options: LoadTestOptions,
  threads: number,
): Array<Omit<LoadTestOptions, 'signal' | 'threads'>> {
  const { signal: _signal, threads: _threads, ...rest } = options;
  return Array.from({ length: threads }, (_, i) => {
    const connections = Math.floor(options.connections / threads) + (i < options.connections % threads ? 1 : 0);
    return {
      ...rest,
      connections,
      ...(options.rate !== undefined ? { rate: (options.rate * connections) / options.connections } : {}),
    };
  });
}

/** One thread's load: the engine. Runs in this thread (or in a worker, load-worker.ts). */
export async function generateLoad(options: Omit<LoadTestOptions, 'threads'>): Promise<ThreadResult> {
  const { host, port } = scenarioTarget(options);
  const scenario = loadScenario(options.scenario, scenarioTarget(options));
  const recorder = new LatencyRecorder();
  const connections = Array.from({ length: options.connections }, () => new HttpConnection(host, port));
  let sent = 0;
  let inFlight = 0;
  let delayedSends = 0;
  const start = performance.now();
  const end = start + options.durationMs;
  let drained: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (drained = resolve));
  let stopped = false;
  options.signal?.addEventListener('abort', () => (stopped = true), { once: true });

  const fire = (connection: HttpConnection, dueAt: number, next: () => void) => {
    const n = sent++;
    inFlight += 1;
    connection.send(scenario.request(n), (error, status) => {
      const now = performance.now();
      inFlight -= 1;
      recorder.record((now - dueAt) * 1000, error ? error.message : String(status));
      next();
      if (inFlight === 0 && (stopped || now >= end)) drained();
    });
  };

  if (options.model === 'closed') {
    const loop = (connection: HttpConnection) => {
      if (stopped || performance.now() >= end) return;
      fire(connection, performance.now(), () => loop(connection));
    };
    connections.forEach(loop);
  } else {
    const interval = 1000 / options.rate!;
    let due = start;
    const backlog: number[] = [];
    const idle = [...connections];
    // `freed`: a connection just came back. A request sent then had waited for one (every connection was
    // busy); sends from the timer are at most a tick late, which the latency (from the due time) includes anyway.
    const dispatch = (freed: boolean) => {
      while (backlog.length && idle.length) {
        const dueAt = backlog.shift()!;
        if (freed) delayedSends += 1;
        const connection = idle.pop()!;
        fire(connection, dueAt, () => {
          idle.push(connection);
          dispatch(true);
        });
      }
    };
    const tick = () => {
      const now = performance.now();
      if (stopped || now >= end) {
        if (inFlight === 0) drained();
        return;
      }
      while (due <= now && due < end) {
        backlog.push(due);
        due += interval;
      }
      dispatch(false);
      setTimeout(tick, Math.max(0, Math.min(1, due - performance.now())));
    };
    tick();
  }

  await Promise.race([
    allDone,
    new Promise((resolve) => setTimeout(resolve, options.durationMs + (options.graceMs ?? 5000))),
  ]);
  const elapsedMs = Math.max(performance.now(), end) - start;
  for (const c of connections) c.close();
  const latencies = recorder.export();
  recorder.destroy();
  return { sent, elapsedMs, delayedSends, latencies };
}

/** The report over every thread's result: sums, the merged histogram, the longest elapsed time. */
export function summarize(options: LoadTestOptions, scenario: string, parts: readonly ThreadResult[]): LoadTestReport {
  const recorder = LatencyRecorder.merge(parts.map((p) => p.latencies));
  const sent = parts.reduce((sum, p) => sum + p.sent, 0);
  const elapsed = Math.max(...parts.map((p) => p.elapsedMs)) / 1000;
  const outcomes = Object.fromEntries(
    [...recorder.outcomes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const latency = recorder.summary();
  recorder.destroy();
  const completed = latency.count;
  const ok = Object.entries(outcomes)
    .filter(([k]) => /^2\d\d$/.test(k))
    .reduce((sum, [, v]) => sum + v, 0);
  const unanswered = sent - completed;
  if (unanswered > 0) outcomes['no answer'] = unanswered;
  return {
    url: options.url,
    scenario,
    model: options.model,
    targetRate: options.model === 'open' ? options.rate! : null,
    connections: options.connections,
    threads: parts.length,
    durationSeconds: Math.round(elapsed * 1000) / 1000,
    requests: sent,
    throughput: Math.round((completed / elapsed) * 10) / 10,
    ok,
    outcomes,
    errors: sent - ok,
    latency,
    delayedSends: parts.reduce((sum, p) => sum + p.delayedSends, 0),
  };
}
