import { constantSchedule, rampSchedule, type Stage } from './arrival-schedule.js';
import { failureKind, HttpConnection } from './http-connection.js';
import { LatencyRecorder, type RecordedLatencies } from './latency-recorder.js';
import { loadScenario, type IngestRun, type ScenarioTarget } from './scenarios.js';

/** One generator thread's share of a load test; plain data, so it crosses into a worker thread. */
export interface ThreadOptions {
  url: string;
  model: 'open' | 'closed';
  /** Open model: requests per second (with stages: the rate the first stage starts from). */
  rate?: number | undefined;
  /** Open model: ramp stages (arrival-schedule.ts); the run lasts their total duration. */
  stages?: Stage[] | undefined;
  connections: number;
  durationMs: number;
  scenario: string;
  apiKey?: string | undefined;
  /** Wait this long for answers after the end before counting them as "no answer". */
  graceMs?: number | undefined;
  /** Length of one interval of the time series (default 1000 ms). */
  intervalMs?: number | undefined;
  /** The ingest scenario's run (sensor ids and timestamps); one per `smx loadtest`, shared by its threads. */
  ingest?: IngestRun | undefined;
  /** This thread's number (0-based): part of the ingest scenario's sensor ids. */
  thread?: number | undefined;
}

/** What one generator thread measured: the input to the report. */
export interface ThreadResult {
  sent: number;
  elapsedMs: number;
  delayedSends: number;
  bytesIn: number;
  bytesOut: number;
  latencies: RecordedLatencies;
  /** Ingest scenario: bit n set when request n was acknowledged (202). */
  acknowledged?: Uint8Array;
}

export function scenarioTarget(options: Pick<ThreadOptions, 'url' | 'apiKey'>): ScenarioTarget {
  const url = new URL(options.url);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
    basePath: url.pathname.replace(/\/$/, ''),
    apiKey: options.apiKey,
  };
}

/** Bits that grow as requests are numbered. */
class RequestBits {
  bits = new Uint8Array(1 << 14);
  set(n: number): void {
    if (n >> 3 >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, (n >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[n >> 3]! |= 1 << (n & 7);
  }
}

/** One thread's load: the engine. Runs in this thread (or in a worker, load-worker.ts). */
export async function generateLoad(options: ThreadOptions & { signal?: AbortSignal }): Promise<ThreadResult> {
  const { host, port } = scenarioTarget(options);
  const scenario = loadScenario(options.scenario, scenarioTarget(options), {
    ingest: options.ingest,
    thread: options.thread,
  });
  const recorder = new LatencyRecorder();
  const acks = options.scenario === 'ingest' ? new RequestBits() : undefined;
  const connections = Array.from({ length: options.connections }, () => new HttpConnection(host, port));
  const schedule =
    options.model === 'open'
      ? options.stages
        ? rampSchedule(options.stages, options.rate ?? 0)
        : constantSchedule(options.rate!, options.durationMs)
      : undefined;
  const durationMs = schedule?.durationMs ?? options.durationMs;
  let sent = 0;
  let inFlight = 0;
  let delayedSends = 0;
  const start = performance.now();
  const end = start + durationMs;
  let drained: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (drained = resolve));
  let stopped = false;
  options.signal?.addEventListener('abort', () => (stopped = true), { once: true });

  // The time series: an interval closes on a timer, never per request.
  const intervalMs = options.intervalMs ?? 1000;
  let intervalStart = start;
  let bytesAtIntervalStart = { in: 0, out: 0 };
  const bytes = () => {
    let bytesIn = 0;
    let bytesOut = 0;
    for (const c of connections) {
      bytesIn += c.bytesIn;
      bytesOut += c.bytesOut;
    }
    return { in: bytesIn, out: bytesOut };
  };
  const closeInterval = (foldIntoPrevious = false) => {
    const now = performance.now();
    const total = bytes();
    recorder.closeInterval(
      (intervalStart - start) / 1000,
      (now - intervalStart) / 1000,
      { in: total.in - bytesAtIntervalStart.in, out: total.out - bytesAtIntervalStart.out },
      foldIntoPrevious,
    );
    intervalStart = now;
    bytesAtIntervalStart = total;
  };
  const intervalTimer = setInterval(() => closeInterval(), intervalMs);

  const fire = (connection: HttpConnection, dueAt: number, next: () => void) => {
    const n = sent++;
    inFlight += 1;
    connection.send(scenario.request(n), (error, status) => {
      const now = performance.now();
      inFlight -= 1;
      if (error === undefined) {
        recorder.answered((now - dueAt) * 1000, status);
        if (acks !== undefined && status === 202) acks.set(n);
      } else recorder.failed(failureKind(error));
      next();
      if (inFlight === 0 && (stopped || now >= end)) drained();
    });
  };

  if (!schedule) {
    const loop = (connection: HttpConnection) => {
      if (stopped || performance.now() >= end) return;
      fire(connection, performance.now(), () => loop(connection));
    };
    connections.forEach(loop);
  } else {
    let k = 0;
    let due = start + schedule.dueAt(0);
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
      while (due <= now) {
        backlog.push(due);
        due = start + schedule.dueAt(++k);
      }
      dispatch(false);
      setTimeout(tick, Math.max(0, Math.min(1, due - performance.now())));
    };
    tick();
  }

  let graceTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    allDone,
    new Promise((resolve) => (graceTimer = setTimeout(resolve, durationMs + (options.graceMs ?? 5000)))),
  ]);
  clearTimeout(graceTimer);
  clearInterval(intervalTimer);
  const elapsedMs = Math.max(performance.now(), end) - start;
  // The last, shorter interval; a sliver left by timer jitter joins the one before rather than
  // becoming a point of its own (a few requests over a few ms would read as a spike in the rate).
  closeInterval(performance.now() - intervalStart < intervalMs / 10);
  const total = bytes();
  for (const c of connections) c.close();
  const latencies = recorder.export();
  recorder.destroy();
  return {
    sent,
    elapsedMs,
    delayedSends,
    bytesIn: total.in,
    bytesOut: total.out,
    latencies,
    ...(acks ? { acknowledged: acks.bits.subarray(0, (sent >> 3) + 1) } : {}),
  };
}
