import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { smxBin } from '../helpers/cli.js';

const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
const apiKey = 'serve-process-key-0123456789abcdef';

/** `promtool check metrics` on the text; resolves with its exit code and output. */
function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(promtool!, ['check', 'metrics'], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
    child.stdin!.end(text);
  });
}

/**
 * The exposition format's structure, checked without promtool: every sample
 * belongs to a family declared with HELP and TYPE just before it; summaries
 * and histograms have _sum and _count; histogram buckets are cumulative and
 * end at +Inf = _count. (promtool, where installed, checks more: names, units.)
 */
function parseExposition(text: string): Map<string, { type: string; samples: Array<[string, string, number]> }> {
  const families = new Map<string, { type: string; samples: Array<[string, string, number]> }>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      assert.ok(!families.has(type[1]!), `${type[1]} declared twice`);
      families.set(type[1]!, { type: type[2]!, samples: [] });
      current = type[1];
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    assert.ok(sample, `not a sample line: ${line}`);
    const [, name, labels = '', value] = sample;
    const family = families.get(current ?? '');
    assert.ok(family && name!.startsWith(current!), `${name} outside its family (${current})`);
    const suffix = name!.slice(current!.length);
    const allowed = {
      counter: [''],
      gauge: [''],
      untyped: [''],
      summary: ['', '_sum', '_count'],
      histogram: ['_bucket', '_sum', '_count'],
    }[family.type]!;
    assert.ok(allowed.includes(suffix), `${name}: a ${family.type} has no ${suffix || 'bare'} samples`);
    if (family.type === 'summary' && suffix === '') assert.match(labels, /quantile="/);
    assert.ok(!Number.isNaN(Number(value)) || value === 'NaN', `${name}: value ${value}`);
    family.samples.push([name!, labels, Number(value)]);
  }
  for (const [name, family] of families) {
    if (family.type !== 'histogram') continue;
    const series = new Map<string, number[]>();
    for (const [sampleName, labels, value] of family.samples) {
      if (sampleName !== `${name}_bucket`) continue;
      const key = labels.replace(/,?le="[^"]*"/, '');
      series.set(key, [...(series.get(key) ?? []), value]);
    }
    for (const [key, buckets] of series) {
      for (let i = 1; i < buckets.length; i++)
        assert.ok(buckets[i]! >= buckets[i - 1]!, `${name}${key} not cumulative`);
      const count = family.samples.find(([n, l]) => n === `${name}_count` && l === key.replace('{}', ''))?.[2];
      assert.equal(buckets.at(-1), count, `${name}${key}: +Inf bucket is not _count`);
    }
  }
  return families;
}

describe('smx serve as a process: Prometheus metrics and JSON logs', () => {
  let t: TestDatabase;
  let child: ChildProcess;
  let stderr = '';
  let url = '';
  let exitCode: Promise<number | null>;
  before(async () => {
    t = await createTestDatabase();
    child = spawn(process.execPath, [smxBin, 'serve', '--port', '0'], {
      env: { ...process.env, SMX_DATABASE_URL: t.url, SMX_API_KEY: apiKey, SMX_LOG_LEVEL: 'info', CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exitCode = new Promise((resolve) => child.on('close', resolve));
    url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)"/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on('close', (code) => reject(new Error(`smx serve exited ${code}: ${stderr}`)));
    });
    // Traffic of every kind: committed readings (group commit), bad JSON, a wrong key, health.
    const post = (body: string, key = apiKey) =>
      fetch(`${url}/api/v1/data/ingest`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body,
      });
    const readings = Array.from({ length: 300 }, (_, i) =>
      post(JSON.stringify({ sensor_id: `proc-${i % 7}`, value: i, timestamp: 1_760_000_000_000 + i })),
    );
    assert.ok((await Promise.all(readings)).every((r) => r.status === 202));
    assert.equal((await post('{not json')).status, 400);
    assert.equal((await post('{}', 'wrong-key-0123456789abcdef')).status, 401);
    assert.equal((await fetch(`${url}/health`)).status, 200);
  });
  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await t?.drop();
  });

  it('/metrics passes promtool check metrics', { skip: promtoolSkip() }, async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const { code, output } = await promtoolCheck(text);
    assert.equal(code, 0, output);
    assert.equal(output.trim(), '', 'promtool has no lint findings either');
  });

  it('/metrics is well-formed and has the runtime, process and group-commit metrics', async () => {
    // Collect some garbage so the GC histogram has observations, then scrape.
    await Promise.all(Array.from({ length: 50 }, () => fetch(`${url}/health`).then((r) => r.text())));
    const families = parseExposition(await (await fetch(`${url}/metrics`)).text());
    const type = (name: string) => families.get(name)?.type;
    assert.equal(type('smx_event_loop_lag_seconds'), 'summary', 'was a gauge with a quantile label');
    for (const [name, kind] of [
      ['process_cpu_seconds_total', 'counter'],
      ['process_cpu_user_seconds_total', 'counter'],
      ['process_resident_memory_bytes', 'gauge'],
      ['process_start_time_seconds', 'gauge'],
      ['process_open_fds', 'gauge'],
      ['nodejs_heap_size_used_bytes', 'gauge'],
      ['nodejs_heap_space_size_used_bytes', 'gauge'],
      ['nodejs_external_memory_bytes', 'gauge'],
      ['nodejs_active_resources', 'gauge'],
      ['nodejs_gc_duration_seconds', 'histogram'],
      ['smx_ingest_batch_rows', 'histogram'],
      ['smx_ingest_flush_duration_seconds', 'histogram'],
      ['smx_ingest_queued_rows', 'gauge'],
      ['smx_ingest_flushes_running', 'gauge'],
      ['smx_http_requests_total', 'counter'],
    ] as const)
      assert.equal(type(name), kind, name);
    const sample = (name: string, labels = '') =>
      [...families.values()].flatMap((f) => f.samples).find(([n, l]) => n === name && l.includes(labels))?.[2];
    assert.ok(sample('process_resident_memory_bytes')! > 10_000_000);
    assert.ok(sample('process_cpu_seconds_total')! > 0);
    assert.ok(sample('process_open_fds')! > 3);
    assert.ok(sample('nodejs_active_resources', 'TCPServerWrap')! >= 1);
    assert.ok(sample('smx_ingest_batch_rows_sum')! >= 300, 'every committed reading is in a flush');
    assert.ok(sample('smx_ingest_flush_duration_seconds_count')! >= 1);
    const lagCount = sample('smx_event_loop_lag_seconds_count')!;
    assert.ok(lagCount > 0 && sample('smx_event_loop_lag_seconds_sum')! >= 0);
    // GC pauses are observed as they happen (PerformanceObserver), not per request.
    const gcCount = [...families.get('nodejs_gc_duration_seconds')!.samples]
      .filter(([n]) => n === 'nodejs_gc_duration_seconds_count')
      .reduce((sum, [, , v]) => sum + v, 0);
    assert.ok(gcCount > 0, 'no garbage collection observed');
  });

  it('stops on SIGTERM (exit 0), and every line it wrote on a piped stderr is JSON', async () => {
    child.kill('SIGTERM');
    assert.equal(await exitCode, 0, stderr);
    const lines = stderr.split('\n').filter((line) => line !== '');
    assert.ok(lines.length >= 3, stderr);
    for (const line of lines) {
      let entry: { level?: unknown; msg?: unknown; runId?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        assert.fail(`not a JSON log line: ${line}`);
      }
      assert.equal(typeof entry.level, 'number', line);
      assert.equal(typeof entry.runId, 'string', line);
    }
    const messages = new Set(lines.map((line) => (JSON.parse(line) as { msg: string }).msg));
    assert.ok(messages.has('smx serve listening'));
    assert.ok(messages.has('server stopped'));
    assert.doesNotMatch(stderr, /^smx serve: listening on/m);
  });
});

function promtoolSkip(): string | false {
  if (promtool) return false;
  if (process.env.CI === 'true') throw new Error('CI=true but promtool is missing: apt-get install prometheus');
  return 'SKIPPED: promtool not found (apt-get install prometheus) — the structural check below still runs';
}
