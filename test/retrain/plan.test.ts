import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cooldownDecision, planRetrain, type PlanInput } from '../../src/retrain/plan.js';
import { decidePromotion } from '../../src/retrain/decide.js';
import type { EvaluationMetrics } from '../../src/retrain/types.js';

const now = new Date('2026-03-01T12:00:00Z');
const day = 86_400_000;
const targets = [
  { model: 'pump-health', sensors: ['pump-1', 'pump-2'] },
  { model: 'vibration-if', sensorType: 'vibration' },
  { model: 'unrelated', sensors: ['fan-9'] },
];
const base: PlanInput = {
  trigger: { kind: 'event', eventId: 'e1', sensorIds: ['pump-2', 'vib-7'] },
  targets,
  sensorTypes: new Map([['vib-7', 'vibration']]),
  lastRuns: new Map(),
  now,
  cooldownMs: day,
};

describe('planRetrain', () => {
  it('maps the drifting sensors to the models that watch them, by id or by type', () => {
    assert.deepEqual(
      planRetrain(base).map((p) => [p.model, p.action, p.matched]),
      [
        ['pump-health', 'retrain', ['pump-2']],
        ['vibration-if', 'retrain', ['vib-7']],
      ],
    );
    assert.match(planRetrain(base)[0]!.reason, /drift in pump-2/);
  });

  it('skips a model inside its cooldown, saying when it may run again; --force overrides', () => {
    const lastRuns = new Map([['pump-health', new Date(now.getTime() - 3_600_000)]]);
    const plan = planRetrain({ ...base, lastRuns });
    assert.equal(plan[0]!.action, 'skip');
    assert.match(plan[0]!.reason, /cooldown: last run started 2026-03-01T11:00:00.000Z; next allowed in 23 h/);
    assert.equal(plan[1]!.action, 'retrain');
    const forced = planRetrain({ ...base, lastRuns, force: true });
    assert.equal(forced[0]!.action, 'retrain');
    assert.match(forced[0]!.reason, /forced during the cooldown/);
  });

  it('a run exactly one cooldown ago no longer blocks', () => {
    assert.deepEqual(cooldownDecision(new Date(now.getTime() - day), now, day, false), { allowed: true });
    assert.equal(cooldownDecision(new Date(now.getTime() - day + 1), now, day, false).allowed, false);
    assert.deepEqual(cooldownDecision(undefined, now, day, false), { allowed: true });
  });

  it('manual runs name the model; an unknown one is skipped with the reason', () => {
    const plan = planRetrain({ ...base, trigger: { kind: 'manual' }, models: ['unrelated', 'ghost'] });
    assert.deepEqual(
      plan.map((p) => [p.model, p.action]),
      [
        ['unrelated', 'retrain'],
        ['ghost', 'skip'],
      ],
    );
    assert.match(plan[1]!.reason, /not a registered model/);
  });

  it('an event about sensors nobody watches plans nothing', () => {
    assert.deepEqual(planRetrain({ ...base, trigger: { kind: 'event', sensorIds: ['other'] } }), []);
  });
});

const metric = (value: number, higherIsBetter = true, name = 'f1'): EvaluationMetrics => ({
  primary: { name, value, higherIsBetter },
  values: { [name]: value },
});
const policy = { margin: 0.01, marginKind: 'absolute' as const };

describe('decidePromotion', () => {
  it('promotes a challenger better by at least the margin', () => {
    const d = decidePromotion(metric(0.8), metric(0.82), policy);
    assert.equal(d.promote, true);
    assert.match(d.reason, /f1: challenger 0.82 vs champion 0.8 .*better by 0.02 >= margin 0.01/);
  });

  it('keeps the champion when the gain is below the margin, or when the challenger is worse', () => {
    const close = decidePromotion(metric(0.8), metric(0.805), policy);
    assert.equal(close.promote, false);
    assert.match(close.reason, /below the margin 0.01; keeping the champion/);
    assert.equal(decidePromotion(metric(0.8), metric(0.7), policy).promote, false);
    assert.equal(
      decidePromotion(metric(0.8), metric(0.8), { margin: 0, marginKind: 'absolute' }).promote,
      false,
      'a tie keeps the champion',
    );
  });

  it('reads lower-is-better metrics and relative margins', () => {
    assert.equal(
      decidePromotion(metric(10, false, 'mae'), metric(9, false, 'mae'), { margin: 0.05, marginKind: 'relative' })
        .promote,
      true,
    );
    assert.equal(
      decidePromotion(metric(10, false, 'mae'), metric(9.8, false, 'mae'), { margin: 0.05, marginKind: 'relative' })
        .promote,
      false,
    );
  });

  it('promotes when there is no champion; never promotes a NaN or a different metric', () => {
    assert.equal(decidePromotion(undefined, metric(0.5), policy).promote, true);
    assert.equal(decidePromotion(metric(0.5), metric(Number.NaN), policy).promote, false);
    assert.equal(decidePromotion(metric(0.5, true, 'auc'), metric(0.9), policy).promote, false);
  });
});
