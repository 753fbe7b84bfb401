import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constantSchedule, parseStages, rampSchedule } from '../../src/load-test/arrival-schedule.js';
import { parseDuration } from '../../src/cli/command-kit.js';
import { isSmxError } from '../../src/errors.js';

const arrivalsBefore = (dueAt: (k: number) => number, ms: number) => {
  let k = 0;
  while (dueAt(k) < ms) k++;
  return k;
};

describe('open-model arrival schedules', () => {
  it('a constant rate is due every 1/rate, and ends with the duration', () => {
    const s = constantSchedule(200, 1000);
    assert.equal(s.dueAt(0), 0);
    assert.equal(s.dueAt(1), 5);
    assert.equal(s.dueAt(199), 995);
    assert.equal(s.dueAt(200), Infinity);
  });

  it('ramp stages follow the integral of the rate, as k6 ramping-arrival-rate', () => {
    const stages = parseStages('10s:100,30s:2000,10s:0', (v) => parseDuration(v, '--stages'));
    assert.deepEqual(stages, [
      { durationMs: 10_000, target: 100 },
      { durationMs: 30_000, target: 2000 },
      { durationMs: 10_000, target: 0 },
    ]);
    const s = rampSchedule(stages);
    assert.equal(s.durationMs, 50_000);
    // 0→100 over 10 s: 500; 100→2000 over 30 s: 31,500; 2000→0 over 10 s: 10,000.
    assert.equal(arrivalsBefore(s.dueAt, 10_000), 500);
    assert.equal(arrivalsBefore(s.dueAt, 40_000), 32_000);
    const total = arrivalsBefore(s.dueAt, Infinity);
    assert.ok(total >= 41_999 && total <= 42_000, String(total));
    // Within the first stage the rate is 10·t: arrivals by t are 5·t².
    assert.equal(arrivalsBefore(s.dueAt, 4000), 80);
    assert.equal(s.rateAt(5000), 50);
    assert.equal(s.rateAt(25_000), 1050);
    assert.equal(s.rateAt(45_000), 1000);
    let previous = -1;
    for (let k = 0; k < total; k += 97) {
      const at = s.dueAt(k);
      assert.ok(at >= previous, `due times never go back (k=${k})`);
      previous = at;
    }
  });

  it('starts from --rate and holds a flat stage', () => {
    const s = rampSchedule([{ durationMs: 2000, target: 100 }], 100);
    assert.equal(s.dueAt(1), 10);
    assert.equal(arrivalsBefore(s.dueAt, Infinity), 200);
  });

  it('a bad stage list is a usage error naming the stage', () => {
    for (const [text, why] of [
      ['10s-100', /"10s-100" is not DURATION:RATE/],
      ['10s:100,abc:5', /abc/],
      ['5s:0,5s:0', /every target is 0/],
      ['', /empty/],
    ] as const)
      assert.throws(
        () => parseStages(text, (v) => parseDuration(v, '--stages')),
        (e: unknown) => isSmxError(e) && e.exitCode === 2 && why.test(e.message),
        text,
      );
  });
});
