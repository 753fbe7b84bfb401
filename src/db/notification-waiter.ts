/**
 * Waiting for Postgres NOTIFY without polling: one connection taken from the
 * pool holds LISTEN for the whole bus and wakes every waiter on each
 * notification. A waiter is registered before the caller looks for work, so a
 * notification that arrives between the look and the wait is not missed.
 */
import type pg from 'pg';
import type { NotificationWaiter } from './db.js';

export function createNotificationWaiter(pool: pg.Pool, channel: string): NotificationWaiter {
  let listening: Promise<pg.PoolClient> | undefined;
  const waiters = new Set<() => void>();

  const listen = () => {
    listening ??= (async () => {
      const client = await pool.connect();
      client.on('notification', (message) => {
        if (message.channel !== channel) return;
        for (const wake of [...waiters]) wake();
      });
      // A dropped LISTEN connection: forget it, so the next wait opens a fresh one.
      client.on('error', () => {
        listening = undefined;
        client.release(true);
        for (const wake of [...waiters]) wake();
      });
      await client.query(`listen ${channel}`);
      return client;
    })();
    return listening;
  };

  return {
    async prepare() {
      let notified = false;
      let wake: (() => void) | undefined;
      const mark = () => {
        notified = true;
        wake?.();
      };
      waiters.add(mark);
      try {
        await listen();
      } catch (error) {
        waiters.delete(mark);
        throw error;
      }
      return {
        wait(timeoutMs, signal) {
          if (notified || signal?.aborted) return Promise.resolve();
          return new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              wake = undefined;
              resolve();
            };
            const timer = setTimeout(done, timeoutMs);
            signal?.addEventListener('abort', done, { once: true });
            wake = done;
          });
        },
        cancel() {
          waiters.delete(mark);
        },
      };
    },
    async close() {
      const pending = listening;
      listening = undefined;
      for (const wake of [...waiters]) wake();
      if (pending) {
        const client = await pending.catch(() => undefined);
        if (client) {
          await client.query(`unlisten ${channel}`).catch(() => undefined);
          client.release();
        }
      }
    },
  };
}
