// A/B benchmark of two builds of `smx serve` ingest (e.g. main and a branch) with wrk, in alternated rounds,
// beside a bare node:http server: one JSON line with the medians and each round's figures.
//   node bench/serve-ingest-ab.mjs --a /path/to/other/checkout [--duration 10] [--connections 256] [--rounds 4]
// Both checkouts must be built (npm run build). Needs wrk and PostgreSQL at BENCH_DATABASE_URL.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const other = arg('a');
if (!other) throw new Error('--a <checkout> is required');
const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '256'));
const rounds = Number(arg('rounds', '4'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const apiKey = `bench-${randomBytes(16).toString('hex')}`;

function startProcess(cwd, args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd,
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

function wrk(url) {
  const out = execFileSync(
    'wrk',
    ['-t2', `-c${connections}`, `-d${duration}s`, '-s', path.join(root, 'bench', 'serve-ingest.lua'), url],
    { env: { ...process.env, SMX_API_KEY: apiKey }, encoding: 'utf8' },
  );
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
}

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const servers = {};
const names = [];
try {
  for (const [label, checkout] of [
    ['a', other],
    ['b', root],
  ]) {
    const db = `smx_bench_ab_${label}_${randomBytes(3).toString('hex')}`;
    names.push(db);
    await admin.query(`create database ${db}`);
    const url = Object.assign(new URL(adminUrl), { pathname: `/${db}` }).toString();
    execFileSync(process.execPath, [path.join(checkout, 'bin', 'smx'), 'migrate'], {
      cwd: checkout,
      env: { ...process.env, SMX_DATABASE_URL: url, SMX_LOG_LEVEL: 'warn' },
    });
    servers[label] = await startProcess(checkout, [path.join(checkout, 'bin', 'smx'), 'serve', '--port', '0'], {
      SMX_DATABASE_URL: url,
      SMX_API_KEY: apiKey,
      // Info: the "smx serve listening" line carries the url (the reminder line is for terminals only).
      SMX_LOG_LEVEL: 'info',
    });
  }
  const runs = { bare: [], a: [], b: [] };
  for (let round = 0; round < rounds; round++) {
    const bare = await startProcess(root, [path.join(root, 'bench', 'serve-bare.mjs')]);
    runs.bare.push(wrk(bare.url));
    bare.child.kill('SIGTERM');
    await new Promise((resolve) => bare.child.on('close', resolve));
    // Alternate which build goes first, so neither always follows the bare run.
    for (const label of round % 2 ? ['b', 'a'] : ['a', 'b']) runs[label].push(wrk(servers[label].url));
  }
  const ratio = (x, y) => Math.round((x / y) * 1000) / 1000;
  process.stdout.write(
    JSON.stringify({
      bench: 'serve-ingest-ab',
      a: other,
      b: root,
      connections,
      seconds: duration,
      rounds,
      a_rps: median(runs.a),
      b_rps: median(runs.b),
      bare_rps: median(runs.bare),
      a_ratio_to_bare: ratio(median(runs.a), median(runs.bare)),
      b_ratio_to_bare: ratio(median(runs.b), median(runs.bare)),
      b_to_a: ratio(median(runs.b), median(runs.a)),
      round_b_to_a: runs.a.map((a, i) => ratio(runs.b[i], a)),
      runs,
    }) + '\n',
  );
} finally {
  for (const s of Object.values(servers)) s.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 2000));
  for (const db of names) await admin.query(`drop database if exists ${db} with (force)`);
  await admin.end();
}
