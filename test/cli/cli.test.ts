import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { Command } from 'commander';
import { registerNotBuilt } from '../../src/cli/commands/not-built.js';
import { SmxError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const toolkit = [
  'ingest',
  'export',
  'train',
  'models',
  'predict',
  'drift',
  'retrain',
  'validate-hashes',
  'loadtest',
  'serve',
  'migrate',
  'db',
  'init',
  'data',
];

describe('smx --help and usage errors', () => {
  it('lists every command of the toolkit, exit 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const name of toolkit) assert.match(stdout, new RegExp(`^  ${name}\\b`, 'm'), `--help lists ${name}`);
    assert.match(stdout, /Example:/);
  });

  it('every built command and subcommand has --help with an example', async () => {
    // The names under "Commands:" (up to the blank line that ends the list), wrapped lines joined.
    const commandsIn = (help: string) => {
      const start = help.indexOf('\nCommands:\n');
      if (start === -1) return [];
      const listing = help
        .slice(start)
        .split('\n\n')[0]!
        .replace(/\n {20,}/g, ' ');
      return [...listing.matchAll(/^  ([a-z-]+)\b(.*)$/gm)]
        .filter((m) => m[1] !== 'help' && !m[2]!.includes('(not built yet)'))
        .map((m) => m[1]!);
    };
    const { stdout } = await runCli(['--help']);
    const pending = commandsIn(stdout).map((name) => [name]);
    assert.ok(pending.some(([name]) => name === 'migrate'));
    const checked: string[] = [];
    while (pending.length) {
      const path = pending.shift()!;
      const result = await runCli([...path, '--help']);
      assert.equal(result.code, 0, `smx ${path.join(' ')} --help exits 0`);
      assert.match(result.stdout, /^Examples?:$/m, `smx ${path.join(' ')} --help shows an example`);
      checked.push(path.join(' '));
      pending.push(...commandsIn(result.stdout).map((sub) => [...path, sub]));
    }
    for (const sub of ['data pull', 'db start', 'keys sign-manifest', 'events dlq retry', 'models show'])
      assert.ok(checked.includes(sub), `${sub} was checked`);
  });

  it('a usage error points at the --help of the (sub)command that failed, and --json gets it on stdout', async () => {
    const missing = await runCli(['keys', 'sign-manifest']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /required option '--key <pem>' not specified\nRun `smx keys sign-manifest --help`\./);
    const badChoice = await runCli(['--log-level', 'loud', 'config']);
    assert.equal(badChoice.code, 2);
    assert.match(
      badChoice.stderr,
      /argument 'loud' is invalid[\s\S]*Run `smx --help`\./,
      'an option value is not taken for a command name',
    );
    const unknown = await runCli(['--json', 'frobnicate']);
    assert.equal(unknown.code, 2);
    assert.deepEqual(JSON.parse(unknown.stdout), {
      ok: false,
      error: { code: 'USAGE', exitCode: 2, message: "unknown command 'frobnicate'", hint: 'Run `smx --help`.' },
    });
  });

  it('a command group without its subcommand shows its help and exits 2; smx help <cmd> exits 0', async () => {
    const bare = await runCli(['data']);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /Usage: smx data/);
    assert.equal((await runCli([])).code, 2);
    const help = await runCli(['help', 'data']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: smx data/);
  });

  it('an unknown flag is a usage error (exit 2) naming the flag', async () => {
    const { code, stderr } = await runCli(['migrate', '--frobnicate']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown option '--frobnicate'/);
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const { code, stderr } = await runCli(['frobnicate']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command/);
  });

  it('a bad config value names the key, its source and what is allowed (exit 2)', async () => {
    const { code, stderr, stdout } = await runCli(['config', '--json'], { env: { SMX_LOG_LEVEL: 'loud' } });
    assert.equal(code, 2);
    assert.match(stderr, /logLevel from environment variable SMX_LOG_LEVEL/);
    assert.match(stderr, /Allowed values/);
    assert.equal(JSON.parse(stdout).error.code, 'CONFIG');
  });

  it('a command not built yet says so and exits 2', async () => {
    // Every command is built today, so the table is checked on a program of its own.
    const program = new Command('smx').exitOverride();
    registerNotBuilt(program, 'frobnicate', 'frobnicate the readings', 'issue 99');
    assert.match(program.helpInformation(), /frobnicate +frobnicate the readings \(not built yet\)/);
    await assert.rejects(program.parseAsync(['frobnicate', '--any-flag', 'x'], { from: 'user' }), (error: unknown) => {
      assert.ok(error instanceof SmxError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /`smx frobnicate` is not built yet; it is planned in issue 99/);
      return true;
    });
    const { stdout } = await runCli(['--help']);
    const unbuilt = /^  ([a-z-]+)\b[^\n]*\(not built yet\)/m.exec(stdout.replace(/\n {20,}/g, ' '));
    if (unbuilt) {
      const result = await runCli([unbuilt[1]!]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /not built yet/);
    }
  });

  it('config --json never prints secrets', async () => {
    const { code, stdout } = await runCli(['config', '--json'], {
      env: { SMX_API_KEY: 'sk_live_abcdefghijklmnopqrstuvwxyz', SMX_DATABASE_URL: 'postgres://u:hunter2@127.0.0.1/db' },
    });
    assert.equal(code, 0);
    assert.doesNotMatch(stdout, /abcdefghijklmnop|hunter2/);
    assert.equal(JSON.parse(stdout).config.apiKey, '***');
  });
});

describe('smx migrate against a real database', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  after(async () => {
    await database.drop();
  });

  it('a command that needs the schema says to run smx migrate (exit 2)', async () => {
    const { code, stderr } = await runCli(['db', 'prune', '--older-than', '180'], {
      env: { SMX_DATABASE_URL: database.url },
    });
    assert.equal(code, 2);
    assert.match(stderr, /no smx schema yet[\s\S]*smx migrate/);
  });

  it('migrate applies everything, --status shows it applied, a second run changes nothing', async () => {
    const env = { SMX_DATABASE_URL: database.url };
    const first = await runCli(['migrate', '--json'], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.ok(JSON.parse(first.stdout).applied.length >= 1);
    const status = await runCli(['migrate', '--status', '--json'], { env });
    const parsed = JSON.parse(status.stdout);
    assert.deepEqual(parsed.pending, []);
    assert.ok(parsed.applied.every((m: { changed: boolean }) => !m.changed));
    const second = await runCli(['migrate', '--json'], { env });
    assert.deepEqual(JSON.parse(second.stdout).applied, []);
    const human = await runCli(['migrate', '--status'], { env });
    assert.match(human.stdout, /0001.*init.*applied/);
  });

  it('--migrate applies pending migrations before a command runs', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const { code, stdout } = await runCli(['db', 'prune', '--older-than', '180', '--migrate', '--json'], {
        env: { SMX_DATABASE_URL: fresh.url },
      });
      assert.equal(code, 0);
      assert.equal(JSON.parse(stdout).dropped, 0);
    } finally {
      await fresh.drop();
    }
  });

  it('logs are JSON on stderr with one run id on every line, at the level asked, and never hold secrets', async () => {
    const withPassword = database.url.replace('postgres://postgres@', 'postgres://postgres:hunter2@');
    const env = {
      SMX_DATABASE_URL: withPassword,
      SMX_API_KEY: 'sk_live_abcdefghijklmnopqrstuvwxyz',
      SMX_LOG_LEVEL: 'trace',
    };
    const { code, stdout, stderr } = await runCli(['migrate', '--status', '--json'], { env });
    assert.equal(code, 0, stderr);
    const lines = stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { runId: string; level: number; msg: string });
    assert.ok(lines.length >= 1, 'trace level logs something');
    assert.ok(
      lines.some((l) => l.level <= 20),
      'debug lines are there at trace level',
    );
    assert.equal(new Set(lines.map((l) => l.runId)).size, 1, 'one run id');
    assert.match(lines[0]!.runId, /^[0-9a-f-]{36}$/);
    assert.doesNotMatch(stdout + stderr, /hunter2|abcdefghijklmnop/);
    const atDebug = await runCli(['migrate', '--status', '--json'], { env: { ...env, SMX_LOG_LEVEL: 'debug' } });
    assert.match(atDebug.stderr, /database ready/, 'SMX_LOG_LEVEL sets the level');
    const flagWins = await runCli(['migrate', '--status', '--json', '--log-level', 'error'], {
      env: { ...env, SMX_LOG_LEVEL: 'debug' },
    });
    assert.equal(flagWins.stderr, '', '--log-level beats SMX_LOG_LEVEL');
  });

  it('an error is one sentence and a hint; the stack only with --verbose', async () => {
    const plain = await runCli(['validate-hashes', '--models-dir', '/nonexistent-models']);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /^smx: models folder \/nonexistent-models not found\n {2}Pass --models-dir/);
    assert.doesNotMatch(plain.stderr, /\n\s+at /);
    const verbose = await runCli(['validate-hashes', '--models-dir', '/nonexistent-models', '--verbose']);
    assert.equal(verbose.code, 2);
    assert.match(verbose.stderr, /\n\s+at /);
  });

  it('an unreachable database is exit 4 with a hint', async () => {
    const { code, stderr } = await runCli(['migrate'], {
      env: { SMX_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' },
    });
    assert.equal(code, 4);
    assert.match(stderr, /not reachable[\s\S]*SMX_DATABASE_URL/);
  });

  it('a server that refuses the TLS the URL asks for is exit 4 with the reason, not an internal error', async () => {
    // Answers every SSLRequest with 'N' (no SSL), as a PostgreSQL built without SSL does.
    const server = createServer((socket) => socket.once('data', () => socket.end('N')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { code, stderr, stdout } = await runCli(['migrate', '--json'], {
        env: { SMX_DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/x?sslmode=require` },
      });
      assert.equal(code, 4, stderr);
      assert.match(stderr, /not reachable: The server does not support SSL connections/);
      assert.equal(JSON.parse(stdout).error.code, 'UNAVAILABLE');
      assert.doesNotMatch(stdout + stderr, /hunter2/);
    } finally {
      server.close();
    }
  });
});

describe('smx init', () => {
  it('--yes (or no TTY) writes defaults without asking; refuses to overwrite without --force', async () => {
    const cwd = tempDir();
    const first = await runCli(['init', '--yes', '--json'], { cwd });
    assert.equal(first.code, 0, first.stderr);
    const file = path.join(cwd, 'smx.config.json');
    assert.ok(existsSync(file));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { modelsDir: 'models' });
    const again = await runCli(['init'], { cwd });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists[\s\S]*--force/);
    const forced = await runCli(['init', '--force'], { cwd });
    assert.equal(forced.code, 0);
  });

  it('creates the file --config names, and --force replaces a broken config (as the error hints say)', async () => {
    const cwd = tempDir();
    const custom = await runCli(['init', '--yes', '--config', 'custom.json'], { cwd });
    assert.equal(custom.code, 0, custom.stderr);
    assert.deepEqual(JSON.parse(readFileSync(path.join(cwd, 'custom.json'), 'utf8')), { modelsDir: 'models' });
    writeFileSync(path.join(cwd, 'smx.config.json'), '{ "logLevel": "loud" ');
    const broken = await runCli(['config'], { cwd });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /not valid JSON[\s\S]*smx init --yes --force/);
    const repaired = await runCli(['init', '--yes', '--force'], { cwd });
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.equal((await runCli(['config'], { cwd })).code, 0);
  });
});
