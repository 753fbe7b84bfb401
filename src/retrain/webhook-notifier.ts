/**
 * Retrain announcements to SMX_WEBHOOK_URL as Slack-compatible JSON
 * ({ text, blocks }). Sending never blocks a run: `notify` returns at once and
 * the POST happens in the background with a per-try timeout and a few
 * retries with backoff; `drain(capMs)` is awaited once at process end and
 * gives up after the cap. Failures are logged, never thrown. The URL is a
 * secret (the token is in its path): only its origin is ever logged.
 */
import type { Logger } from '../log.js';

export interface WebhookMessage {
  text: string;
  /** Extra structured fields for receivers that read them (Slack ignores them). */
  smx?: Record<string, unknown>;
}

export interface WebhookOptions {
  timeoutMs?: number;
  /** Tries in all (default 3). */
  attempts?: number;
  baseDelayMs?: number;
  logger?: Pick<Logger, 'warn' | 'debug'>;
  fetch?: typeof fetch;
}

export interface WebhookNotifier {
  notify(message: WebhookMessage): void;
  /** Waits for the messages in flight, at most `capMs`; returns how many were still unsent. */
  drain(capMs: number): Promise<number>;
}

export function slackBody(message: WebhookMessage): string {
  return JSON.stringify({
    text: message.text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: message.text } }],
    ...(message.smx ? { smx: message.smx } : {}),
  });
}

export function createWebhookNotifier(url: string | undefined, options: WebhookOptions = {}): WebhookNotifier {
  const inFlight = new Set<Promise<void>>();
  const attempts = options.attempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 5000;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const doFetch = options.fetch ?? fetch;
  const origin = url ? new URL(url).origin : '';

  async function send(body: string): Promise<void> {
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await doFetch(url!, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        last = `HTTP ${response.status}`;
        if (response.status >= 400 && response.status < 500 && response.status !== 429) break; // will not get better
      } catch (error) {
        last = (error as Error).message;
      }
      if (attempt < attempts) await new Promise((r) => setTimeout(r, baseDelayMs * 2 ** (attempt - 1)));
    }
    options.logger?.warn({ webhook: origin, error: last }, 'retrain webhook not delivered');
  }

  return {
    notify(message) {
      if (!url) return;
      const sending = send(slackBody(message)).catch(() => undefined);
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
    },
    async drain(capMs) {
      if (inFlight.size === 0) return 0;
      let timer: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, capMs);
      });
      await Promise.race([Promise.all(inFlight), cap]);
      clearTimeout(timer);
      return inFlight.size;
    },
  };
}
