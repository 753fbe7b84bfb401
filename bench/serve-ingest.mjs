// Benchmark of `smx serve` ingest with wrk, against a bare node:http server in the same run.
// Prints one JSON line per figure (with its baseline), as bench/README conventions ask.
//   node bench/serve-ingest.mjs [--duration 10] [--connections 256] [--rounds 3]
// Needs: npm run build, wrk (/usr/bin/wrk), PostgreSQL at BENCH_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres; a fresh database is created and dropped).
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '256'));
const rounds = Number(arg('rounds', '3'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `smx_bench_serve_${randomBytes(3).toString('hex')}`;
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
const apiKey = `bench-${randomBytes(16).toString('hex')}`;
const emit = (figure) => process.stdout.write(JSON.stringify({ bench: 'serve-ingest', ...figure }) + '\n');

function startProcess(args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

function wrk(url, script, conns = connections) {
  const args = ['-t2', `-c${conns}`, `-d${duration}s`, '--latency'];
  if (script) args.push('-s', path.join(root, 'bench', script));
  const out = execFileSync('wrk', [...args, url], { env: { ...process.env, SMX_API_KEY: apiKey }, encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? /non-2xx: (\d+)/.exec(out)?.[1] ?? 0);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99Ms = p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : null;
  return { rps, non2xx, p99Ms };
}

function smxLoadtest(url, extra) {
  const out = execFileSync(
    process.execPath,
    [
      path.join(root, 'bin', 'smx'),
      'loadtest',
      url,
      '--duration',
      `${duration}s`,
      '--api-key',
      apiKey,
      '--json',
      ...extra,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      // The server's database: the ingest scenario then checks every acknowledged reading is stored.
      env: { ...process.env, SMX_LOG_LEVEL: 'warn', SMX_DATABASE_URL: dbUrl },
    },
  );
  return JSON.parse(out).report;
}

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const cpus = (await import('node:os')).cpus().length;
try {
  execFileSync(process.execPath, [path.join(root, 'bin', 'smx'), 'migrate'], {
    cwd: root,
    env: { ...process.env, SMX_DATABASE_URL: dbUrl, SMX_LOG_LEVEL: 'warn' },
  });

  // 1 and 2, alternating (the machine's speed drifts by tens of percent over a minute, so one round
  // of each would compare two different machines): the baseline, a bare node:http answering 202,
  // and smx serve with the same wrk script, every request a durably committed reading.
  // Log level info: the "smx serve listening" JSON line carries the URL (nothing is logged per request).
  const serve = await startProcess([path.join(root, 'bin', 'smx'), 'serve', '--port', '0'], {
    SMX_DATABASE_URL: dbUrl,
    SMX_API_KEY: apiKey,
    SMX_LOG_LEVEL: 'info',
  });
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const bareRuns = [];
  const serveRuns = [];
  let stored = 0;
  let non2xx = 0;
  for (let round = 0; round < rounds; round++) {
    const bare = await startProcess([path.join(root, 'bench', 'serve-bare.mjs')]);
    bareRuns.push(wrk(bare.url, 'serve-ingest.lua'));
    bare.child.kill('SIGTERM');
    await new Promise((resolve) => bare.child.on('close', resolve));
    const before = Number((await db.query('select count(*) from sensor_readings')).rows[0].count);
    const run = wrk(serve.url, 'serve-ingest.lua');
    stored += Number((await db.query('select count(*) from sensor_readings')).rows[0].count) - before;
    non2xx += run.non2xx;
    serveRuns.push(run);
  }
  const bareRps = median(bareRuns.map((r) => r.rps));
  const serveRps = median(serveRuns.map((r) => r.rps));
  const requests = Math.round(serveRuns.reduce((sum, r) => sum + r.rps * duration, 0));
  emit({
    figure: 'ingest_requests_per_second',
    cpus,
    connections,
    seconds: duration,
    rounds,
    value: serveRps,
    baseline_bare_node_http: bareRps,
    ratio: Math.round((serveRps / bareRps) * 1000) / 1000,
    runs: serveRuns.map((r) => r.rps),
    baseline_runs: bareRuns.map((r) => r.rps),
    // Each round's serve run against the bare run just before it: the machine drifts less within a round than across three.
    round_ratios: serveRuns.map((r, i) => Math.round((r.rps / bareRuns[i].rps) * 1000) / 1000),
    non2xx,
    rows_stored: stored,
    requests_approx: requests,
    wrk_p99_ms: median(serveRuns.map((r) => r.p99Ms)),
  });

  // 3. Open model at 2,000 requests/s (smx loadtest: wrk has no constant-rate mode): p99, median of the rounds.
  const opens = [];
  for (let round = 0; round < rounds; round++)
    opens.push(smxLoadtest(serve.url, ['--rate', '2000', '--connections', '64', '--scenario', 'ingest']));
  const open = [...opens].sort((a, b) => a.latency.p99Ms - b.latency.p99Ms)[Math.floor(opens.length / 2)];
  emit({
    figure: 'ingest_open_2000_p99_ms',
    rounds,
    value: open.latency.p99Ms,
    runs: opens.map((o) => o.latency.p99Ms),
    p50_ms: open.latency.p50Ms,
    p999_ms: open.latency.p999Ms,
    max_ms: open.latency.maxMs,
    throughput: open.throughput,
    errors: opens.reduce((sum, o) => sum + o.errors, 0),
    acknowledged_missing: opens.reduce((sum, o) => sum + (o.ingest?.verification?.missing ?? 0), 0),
    target_ms: 20,
  });

  // 4. Validation of smx loadtest's closed model against wrk on the same server, alternating rounds (medians).
  for (const [scenario, script] of [
    ['health', undefined],
    ['ingest', 'serve-ingest.lua'],
  ]) {
    const wrkRuns = [];
    const smxRuns = [];
    for (let round = 0; round < rounds; round++) {
      wrkRuns.push(wrk(serve.url + (scenario === 'health' ? '/health' : ''), script, 64));
      smxRuns.push(smxLoadtest(serve.url, ['--connections', '64', '--scenario', scenario]));
    }
    const viaWrk = median(wrkRuns.map((r) => r.rps));
    const viaSmx = median(smxRuns.map((r) => r.throughput));
    emit({
      figure: `loadtest_vs_wrk_${scenario}_closed`,
      connections: 64,
      rounds,
      value: viaSmx,
      baseline_wrk: viaWrk,
      ratio: Math.round((viaSmx / viaWrk) * 1000) / 1000,
      runs: smxRuns.map((r) => r.throughput),
      baseline_runs: wrkRuns.map((r) => r.rps),
      smx_errors: smxRuns.reduce((sum, r) => sum + r.errors, 0),
      acknowledged_missing: smxRuns.reduce((sum, r) => sum + (r.ingest?.verification?.missing ?? 0), 0),
      smx_p99_ms: median(smxRuns.map((r) => r.latency.p99Ms)),
      wrk_p99_ms: median(wrkRuns.map((r) => r.p99Ms)),
    });
  }
  await db.end();
  serve.child.kill('SIGTERM');
  await new Promise((resolve) => serve.child.on('close', resolve));
} finally {
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
