/**
 * The two pipeline hooks retrain stands on, as pure functions: the SQL data
 * window (bound parameters, all data by default) and the `watches` tag that
 * maps drifting sensors to models.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bindWindow, usesWindow } from '../../src/ml/pipelines/sources/sql-window.js';
import { parsePipeline } from '../../src/pipeline/load-pipeline.js';
import { planRetrain } from '../../src/retrain/plan.js';
import { decidePromotion } from '../../src/retrain/decide.js';
import { targetFromTag } from '../../src/retrain/pipeline-trainer.js';

const query =
  'select * from sensor_hourly where bucket >= ${SMX_WINDOW_FROM} and bucket < ${SMX_WINDOW_TO} and ${SMX_WINDOW_TO} > bucket';

describe('the SQL data window', () => {
  it('binds the window as parameters, all data when unset', () => {
    const all = bindWindow(query, {});
    assert.equal(
      all.text,
      'select * from sensor_hourly where bucket >= $1::timestamptz and bucket < $2::timestamptz and $2::timestamptz > bucket',
    );
    assert.deepEqual(all.values, ['-infinity', 'infinity']);
    const some = bindWindow(query, { SMX_WINDOW_FROM: '2024-01-01T00:00:00.000Z', SMX_WINDOW_TO: '2024-01-12' });
    assert.deepEqual(some.values, ['2024-01-01T00:00:00.000Z', '2024-01-12']);
    assert.deepEqual(some.window, { from: '2024-01-01T00:00:00.000Z', to: '2024-01-12' });
    assert.ok(usesWindow(query));
  });

  it('leaves other queries alone and refuses other ${…} or a value that is not a time', () => {
    assert.deepEqual(bindWindow('select 1', { SMX_WINDOW_FROM: '2024-01-01' }), {
      text: 'select 1',
      values: [],
      window: null,
    });
    assert.equal(usesWindow('select 1 where ts >= ${SMX_WINDOW_FROM}'), false);
    assert.throws(() => bindWindow('select ${HOME}', {}), /may only use/);
    assert.throws(
      () => bindWindow(query, { SMX_WINDOW_FROM: "2024-01-01'; drop table x; --" }),
      /not an ISO-8601 timestamp/,
    );
  });
});

describe('watches', () => {
  const pipeline = (watches: string) => `name: p
description: d
${watches}
source: { kind: sql, query: select 1 }
features: [{ kind: tabular, numeric: [a] }]
split: { kind: none }
model: { kind: isolation-forest }
evaluation: { kind: anomaly }
registration: { name: p, domain: tabular }
`;

  it('is validated in the pipeline and read back from the registry tag', () => {
    assert.equal(parsePipeline(pipeline('watches: all')).spec.watches, 'all');
    assert.deepEqual(parsePipeline(pipeline('watches: { sensorType: temperature }')).spec.watches, {
      sensorType: 'temperature',
    });
    assert.throws(() => parsePipeline(pipeline('watches: {}')), /watches/);
    assert.throws(() => parsePipeline(pipeline('watches: { sensor: [a] }')), /unknown key "sensor"/);
    assert.deepEqual(targetFromTag('m', '"all"'), { model: 'm', allSensors: true });
    assert.deepEqual(targetFromTag('m', '{"sensors":["a","b"],"sensorType":"vibration"}'), {
      model: 'm',
      sensors: ['a', 'b'],
      sensorType: 'vibration',
    });
    assert.equal(targetFromTag('m', undefined), undefined);
    assert.equal(targetFromTag('m', 'not json'), undefined);
  });

  it("maps a drift event's sensors to the models that watch them (ids, type, all)", () => {
    const plan = planRetrain({
      trigger: { kind: 'event', eventId: 'e1', sensorIds: ['temp-3'] },
      targets: [
        { model: 'by-id', sensors: ['pump-1'] },
        { model: 'by-type', sensorType: 'temperature' },
        { model: 'every', allSensors: true },
      ],
      sensorTypes: new Map([['temp-3', 'temperature']]),
      lastRuns: new Map(),
      now: new Date('2026-01-01T00:00:00Z'),
      cooldownMs: 0,
    });
    assert.deepEqual(
      plan.map((p) => [p.model, p.action, p.matched]),
      [
        ['by-type', 'retrain', ['temp-3']],
        ['every', 'retrain', ['temp-3']],
      ],
    );
  });
});

describe('an unsupervised metric never promotes', () => {
  it('keeps the champion and says why', () => {
    const m = (value: number) => ({
      primary: { name: 'alarm_share', value, higherIsBetter: false },
      values: {},
      notComparable: 'the held-out window has no labels',
    });
    const d = decidePromotion(m(0.3), m(0.01), { margin: 0.01, marginKind: 'absolute' });
    assert.equal(d.promote, false);
    assert.match(
      d.reason,
      /alarm_share: challenger 0.01 vs champion 0.3, but the held-out window has no labels; keeping the champion/,
    );
  });
});
