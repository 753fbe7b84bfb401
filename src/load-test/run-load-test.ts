import { usageError } from '../errors.js';
import { HttpConnection } from './http-connection.js';
import { LatencyRecorder, type LatencySummary } from './latency-recorder.js';
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
  signal?: AbortSignal;
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
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestReport> {
  const url = new URL(options.url);
  if (url.protocol !== 'http:') throw usageError(`loadtest supports http:// URLs only; got ${url.protocol}.`);
  if (options.model === 'open' && !(options.rate && options.rate > 0)) throw usageError('The open model needs --rate > 0.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 80);
  const scenario = loadScenario(options.scenario, { host, port, basePath: url.pathname.replace(/\/$/, ''), apiKey: options.apiKey });
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
    const dispatch = () => {
      while (backlog.length && idle.length) {
        const dueAt = backlog.shift()!;
        if (performance.now() - dueAt > 1) delayedSends += 1;
        const connection = idle.pop()!;
        fire(connection, dueAt, () => {
          idle.push(connection);
          dispatch();
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
      dispatch();
      setTimeout(tick, Math.max(0, Math.min(1, due - performance.now())));
    };
    tick();
  }

  await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, options.durationMs + (options.graceMs ?? 5000)))]);
  const elapsed = (Math.max(performance.now(), end) - start) / 1000;
  for (const c of connections) c.close();
  const outcomes = Object.fromEntries([...recorder.outcomes.entries()].sort());
  const completed = recorder.summary().count;
  const ok = Object.entries(outcomes).filter(([k]) => /^2\d\d$/.test(k)).reduce((sum, [, v]) => sum + v, 0);
  const unanswered = sent - completed;
  if (unanswered > 0) outcomes['no answer'] = unanswered;
  const report: LoadTestReport = {
    url: options.url,
    scenario: scenario.name,
    model: options.model,
    targetRate: options.model === 'open' ? options.rate! : null,
    connections: options.connections,
    durationSeconds: Math.round(elapsed * 1000) / 1000,
    requests: sent,
    throughput: Math.round((completed / elapsed) * 10) / 10,
    ok,
    outcomes,
    errors: sent - ok,
    latency: recorder.summary(),
    delayedSends,
  };
  recorder.destroy();
  return report;
}
