import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A cross-process lock on a file holding the owner's pid, for the embedded
 * PostgreSQL's start/join and release/stop steps: without it, two commands
 * started at once both ran `pg_ctl start` (the second failed), and a command
 * releasing the last lease could stop the server under one that was joining.
 * A lock whose owner is dead (killed mid-start) is taken over.
 */
export async function withFileLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  { timeoutMs = 120_000 } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let unreadable = 0;
  for (;;) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = readOwner(lockPath);
    const owner = Number(text);
    if (!text || !Number.isInteger(owner) || owner <= 0) {
      // Just created and not yet written, or gone: wait; empty for a second means its writer died.
      if (++unreadable > 20) rmSync(lockPath, { force: true });
    } else if (!isAlive(owner)) {
      // Re-read right before removing, so a lock another process took over meanwhile is left alone.
      if (readOwner(lockPath) === text) rmSync(lockPath, { force: true });
      continue;
    } else if (performance.now() > deadline) {
      throw new Error(`${lockPath} is held by process ${owner} for more than ${Math.round(timeoutMs / 1000)} s`);
    }
    await sleep(50);
  }
  try {
    return await work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function readOwner(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
