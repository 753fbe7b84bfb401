import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWebhookNotifier } from '../../src/retrain/webhook-notifier.js';
import { startReceiver } from './http-receiver.js';

describe('webhook notifier', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => {
    receiver.server.closeAllConnections();
    receiver.server.close();
  });

  it('posts Slack-compatible JSON without blocking the caller', async () => {
    const notifier = createWebhookNotifier(receiver.url, { baseDelayMs: 10 });
    const before = receiver.bodies.length;
    notifier.notify({ text: 'hello *world*', smx: { model: 'm' } });
    assert.equal(receiver.bodies.length, before, 'notify returns before anything is sent');
    assert.equal(await notifier.drain(5000), 0);
    assert.deepEqual(receiver.bodies.at(-1), {
      text: 'hello *world*',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello *world*' } }],
      smx: { model: 'm' },
    });
  });

  it('retries on 5xx and on a hung request, then delivers', async () => {
    receiver.script.push(500, 0);
    const warnings: unknown[] = [];
    const notifier = createWebhookNotifier(receiver.url, {
      baseDelayMs: 10,
      timeoutMs: 300,
      attempts: 3,
      logger: { warn: (o: unknown) => warnings.push(o), debug: () => undefined },
    });
    const before = receiver.bodies.length;
    notifier.notify({ text: 'third time lucky' });
    assert.equal(await notifier.drain(10_000), 0);
    assert.equal(receiver.bodies.length, before + 1);
    assert.deepEqual(warnings, []);
  });

  it('gives up after its tries and logs without the secret path', async () => {
    receiver.script.push(503, 503);
    const warnings: Array<Record<string, unknown>> = [];
    const notifier = createWebhookNotifier(receiver.url, {
      baseDelayMs: 5,
      attempts: 2,
      logger: { warn: (o: unknown) => warnings.push(o as Record<string, unknown>), debug: () => undefined },
    });
    notifier.notify({ text: 'lost' });
    await notifier.drain(10_000);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.error, 'HTTP 503');
    assert.doesNotMatch(JSON.stringify(warnings), /secret/);
  });

  it('drain stops waiting at its cap', async () => {
    receiver.script.push(0);
    const notifier = createWebhookNotifier(receiver.url, { timeoutMs: 60_000, attempts: 1 });
    notifier.notify({ text: 'slow' });
    assert.equal(await notifier.drain(100), 1, 'one message still in flight');
  });

  it('without a URL nothing is sent', async () => {
    const notifier = createWebhookNotifier(undefined);
    notifier.notify({ text: 'x' });
    assert.equal(await notifier.drain(10), 0);
  });
});
