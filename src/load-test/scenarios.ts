import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usageError } from '../errors.js';

/**
 * What the load generator sends: a function giving the bytes of the n-th
 * request. Built-in scenarios: `ingest` (one new reading per request, unique
 * sensor and timestamp, so nothing is a duplicate; see ingestReading), `drift`
 * (check_drift on a sensor) and `health`; or a JSON file:
 *   { "method": "POST", "path": "/api/v1/data/ingest", "headers": {...},
 *     "body": {...} | "bodies": [{...}, ...] }   (bodies are sent round-robin)
 */
export interface Scenario {
  name: string;
  request(n: number): Buffer;
}

export interface ScenarioTarget {
  host: string;
  port: number;
  /** Path prefix of the URL (e.g. /smx when behind a proxy); usually empty. */
  basePath: string;
  apiKey?: string | undefined;
}

function build(
  target: ScenarioTarget,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Buffer {
  const lines = [
    `${method} ${target.basePath}${path} HTTP/1.1`,
    `Host: ${target.host}:${target.port}`,
    'Connection: keep-alive',
  ];
  if (target.apiKey) lines.push(`X-API-Key: ${target.apiKey}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
}

/** A bounded cache of identical request bytes (health, drift, file scenarios). */
const fixed = (name: string, bytes: Buffer[]): Scenario => ({ name, request: (n) => bytes[n % bytes.length]! });

/** Where one run of the ingest scenario writes: its sensor ids and timestamps follow from these. */
export interface IngestRun {
  /** A few hex characters, new for every `smx loadtest` run. */
  runId: string;
  /** Epoch ms of the first reading's timestamp. */
  startMs: number;
}

/** Every sensor id the ingest scenario writes starts with `loadtest-<runId>-` (documented in docs/operations.md). */
export const ingestSensorPrefix = (runId: string) => `loadtest-${runId}-`;
/** 100 sensors per generator thread. */
export const INGEST_SENSORS_PER_THREAD = 100;

/**
 * The n-th reading of generator thread `thread`: sensor `loadtest-<run>-<thread>-<n mod 100>`,
 * timestamp startMs + n (one millisecond apart), so every reading is new and
 * each (sensor, timestamp) in the database maps back to the request that sent it.
 */
export function ingestReading(run: IngestRun, thread: number, n: number): { sensorId: string; timestampMs: number } {
  return {
    sensorId: `${ingestSensorPrefix(run.runId)}${thread}-${n % INGEST_SENSORS_PER_THREAD}`,
    timestampMs: run.startMs + n,
  };
}

export function loadScenario(
  spec: string,
  target: ScenarioTarget,
  options: { ingest?: IngestRun; thread?: number } = {},
): Scenario {
  if (spec === 'health') return fixed('health', [build(target, 'GET', '/health', {})]);
  if (spec === 'drift') {
    const body = JSON.stringify({ sensor_id: 'loadtest-drift', window_minutes: 60 });
    return fixed('drift', [build(target, 'POST', '/api/v1/ml/check_drift', {}, body)]);
  }
  if (spec === 'ingest') {
    const run = options.ingest ?? { runId: randomBytes(4).toString('hex'), startMs: Date.now() };
    const sensorPrefix = `${ingestSensorPrefix(run.runId)}${options.thread ?? 0}-`;
    // The head up to Content-Length is the same for every request: built once.
    const head = build(target, 'POST', '/api/v1/data/ingest', {}, '')
      .toString('utf8')
      .replace(/Content-Length: 0\r\n\r\n$/, 'Content-Length: ');
    return {
      name: 'ingest',
      request: (n) => {
        // As ingestReading (inlined: this runs for every request).
        const body = `{"sensor_id":"${sensorPrefix}${n % INGEST_SENSORS_PER_THREAD}","value":${(20 + Math.sin(n / 50) * 5).toFixed(4)},"timestamp":${run.startMs + n}}`;
        return Buffer.from(`${head}${body.length}\r\n\r\n${body}`); // body: ASCII, so its length is its byte count
      },
    };
  }
  return fromFile(spec, target);
}

function fromFile(file: string, target: ScenarioTarget): Scenario {
  let spec: { method?: unknown; path?: unknown; headers?: unknown; body?: unknown; bodies?: unknown };
  try {
    spec = JSON.parse(readFileSync(file, 'utf8')) as typeof spec;
  } catch (error) {
    throw usageError(`--scenario ${file}: not a readable JSON scenario (${(error as Error).message}).`, {
      hint: 'Use ingest, drift, health, or a JSON file {"method","path","headers","body"|"bodies"}.',
    });
  }
  const method = typeof spec.method === 'string' ? spec.method.toUpperCase() : 'GET';
  if (typeof spec.path !== 'string' || !spec.path.startsWith('/'))
    throw usageError(`--scenario ${file}: "path" must be a string starting with /.`);
  const headers = (typeof spec.headers === 'object' && spec.headers !== null ? spec.headers : {}) as Record<
    string,
    string
  >;
  const bodies = Array.isArray(spec.bodies) ? spec.bodies : spec.body === undefined ? [undefined] : [spec.body];
  if (bodies.length === 0) throw usageError(`--scenario ${file}: "bodies" is empty.`);
  const path = spec.path;
  return fixed(
    file,
    bodies.map((b) =>
      build(target, method, path, headers, b === undefined ? undefined : typeof b === 'string' ? b : JSON.stringify(b)),
    ),
  );
}
