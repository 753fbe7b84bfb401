import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateThresholds, parseThreshold, type ThresholdInputs } from '../../src/load-test/thresholds.js';
import { isSmxError } from '../../src/errors.js';

describe('load-test thresholds (k6 expression style)', () => {
  it('parses latency, error and rate gates with their units', () => {
    const cases: Array<[string, unknown, string, number]> = [
      ['p99<20ms', { kind: 'percentile', percentile: 99 }, '<', 20],
      ['p(99.9) <= 0.5s', { kind: 'percentile', percentile: 99.9 }, '<=', 500],
      ['p999<100', { kind: 'percentile', percentile: 99.9 }, '<', 100],
      ['p50<800us', { kind: 'percentile', percentile: 50 }, '<', 0.8],
      ['max<2s', { kind: 'max' }, '<', 2000],
      ['avg<5', { kind: 'mean' }, '<', 5],
      ['errors<1%', { kind: 'errors', share: true }, '<', 0.01],
      ['errors==0', { kind: 'errors', share: false }, '==', 0],
      ['rps>5000', { kind: 'rps' }, '>', 5000],
      [' rps >= 1e3 ', { kind: 'rps' }, '>=', 1000],
    ];
    for (const [text, metric, operator, limit] of cases) {
      const t = parseThreshold(text);
      assert.deepEqual(t.metric, metric, text);
      assert.equal(t.operator, operator, text);
      assert.ok(Math.abs(t.limit - limit) < 1e-9, `${text}: ${t.limit}`);
      assert.equal(t.expression, text.trim());
    }
  });

  it('a bad expression is a usage error (exit 2) that names it and says what is allowed', () => {
    for (const [text, why] of [
      ['p99<<20ms', /not a threshold expression/],
      ['latency<20ms', /unknown metric "latency"/],
      ['p99<20kb', /"kb" is not a time unit/],
      ['errors<5ms', /errors take a share/],
      ['rps>5k', /rps is requests per second, not "k"/],
      ['errors<150%', /at most 100%/],
      ['p0<1ms', /not in \(0, 100\]/],
    ] as const) {
      assert.throws(
        () => parseThreshold(text),
        (error: unknown) =>
          isSmxError(error) &&
          error.exitCode === 2 &&
          error.message.includes(JSON.stringify(text)) &&
          why.test(error.message) &&
          /p99<20ms, errors<1%, rps>5000/.test(error.hint ?? ''),
        text,
      );
    }
  });

  const inputs = (over: Partial<ThresholdInputs> = {}): ThresholdInputs => ({
    requests: 1000,
    ok: 990,
    errors: 10,
    durationSeconds: 2,
    latency: { count: 1000, meanMs: 3, maxMs: 40 },
    percentileMs: (p) => (p >= 99 ? 25 : 2),
    ...over,
  });

  it('evaluates against the measured values, each in its unit', () => {
    const results = evaluateThresholds(
      ['p99<20ms', 'p50<20ms', 'errors<1%', 'errors<=1%', 'errors<11', 'rps>=495', 'rps>500', 'max!=40', 'mean==3'].map(
        parseThreshold,
      ),
      inputs(),
    );
    assert.deepEqual(
      results.map((r) => [r.expression, r.passed, r.actual, r.unit]),
      [
        ['p99<20ms', false, 25, 'ms'],
        ['p50<20ms', true, 2, 'ms'],
        ['errors<1%', false, 1, '%'],
        ['errors<=1%', true, 1, '%'],
        ['errors<11', true, 10, ''],
        ['rps>=495', true, 495, 'req/s'],
        ['rps>500', false, 495, 'req/s'],
        ['max!=40', false, 40, 'ms'],
        ['mean==3', true, 3, 'ms'],
      ],
    );
  });

  it('with nothing answered, no latency gate passes and the error share is 100 %', () => {
    const results = evaluateThresholds(
      ['p99<20ms', 'max<1s', 'errors<50%', 'rps>=0'].map(parseThreshold),
      inputs({ ok: 0, errors: 1000, latency: { count: 0, meanMs: 0, maxMs: 0 }, percentileMs: () => 0 }),
    );
    assert.deepEqual(
      results.map((r) => [r.passed, r.actual]),
      [
        [false, null],
        [false, null],
        [false, 100],
        [true, 0],
      ],
    );
    const none = evaluateThresholds([parseThreshold('errors<1%')], inputs({ requests: 0, ok: 0, errors: 0 }));
    assert.equal(none[0]!.passed, false);
  });
});
