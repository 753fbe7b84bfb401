import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSmxError } from '../../src/errors.js';
import { interpolate } from '../../src/pipeline/interpolate.js';
import { loadPipeline, parsePipeline, type PipelineIssue } from '../../src/pipeline/load-pipeline.js';
import { parseParamOverride } from '../../src/pipeline/param-overrides.js';

const valid = `name: demo
description: a small pipeline
source:
  kind: csv
  files:
    - path: data.csv
target:
  column: failure
  leakage: [TWF, HDF]
features:
  - kind: tabular
    numeric: [a, b]
split:
  kind: stratified
model:
  kind: random-forest-classifier
evaluation:
  kind: classification
registration:
  name: demo
  domain: tabular
`;

function issuesOf(text: string, overrides: string[] = []): PipelineIssue[] {
  try {
    parsePipeline(text, 'p.yaml', overrides.map(parseParamOverride));
  } catch (error) {
    assert.ok(isSmxError(error), String(error));
    assert.equal(error.exitCode, 2);
    return (error.details as { issues: PipelineIssue[] }).issues;
  }
  assert.fail('expected the pipeline to be rejected');
}

describe('pipeline validation', () => {
  it('accepts a valid file and fills defaults', () => {
    const { spec } = parsePipeline(valid);
    assert.equal(spec.split.kind, 'stratified');
    assert.deepEqual(spec.split, { kind: 'stratified', testSize: 0.2, seed: 42 });
    assert.equal(spec.model.kind === 'random-forest-classifier' && spec.model.params.nEstimators, 100);
  });

  it('rejects a declared leakage column among the features, at its line', () => {
    const issues = issuesOf(valid.replace('numeric: [a, b]', 'numeric:\n      - a\n      - HDF'));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, 'features.0.numeric.1');
    assert.match(issues[0]!.message, /HDF.*leakage/);
    assert.equal(issues[0]!.line, 14);
  });

  it('reports leakage together with schema errors, in file order', () => {
    const issues = issuesOf(
      valid
        .replace('numeric: [a, b]', 'numeric: [a, HDF]')
        .replace('  kind: stratified', '  kind: stratified\n  tesSize: 0.3'),
    );
    assert.deepEqual(
      issues.map((i) => [i.path, i.line]),
      [
        ['features.0.numeric.1', 12],
        ['split.tesSize', 15],
      ],
    );
    assert.match(issues[0]!.message, /"HDF" is declared in target\.leakage/);
    assert.match(issues[1]!.message, /unknown key "tesSize"/);
    const broken = issuesOf(
      valid
        .replace('numeric: [a, b]', 'numeric: [a, failure]')
        .replace('  kind: random-forest-classifier', '  kind: random-forest-classifer'),
    );
    assert.deepEqual(
      broken.map((i) => i.path),
      ['features.0.numeric.1', 'model.kind'],
    );
  });

  it('rejects the target column as a feature', () => {
    const issues = issuesOf(valid.replace('numeric: [a, b]', 'numeric: [a, failure]'));
    assert.match(issues[0]!.message, /the target/);
    assert.equal(issues[0]!.line, 12);
  });

  it('points an unknown key (a typo) at its line and column', () => {
    const issues = issuesOf(valid.replace('  kind: stratified', '  kind: stratified\n  tesSize: 0.3'));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, 'split.tesSize');
    assert.equal(issues[0]!.line, 15);
    assert.equal(issues[0]!.col, 3);
    assert.match(issues[0]!.message, /unknown key "tesSize"/);
  });

  it('points a wrong type at the value and an unknown kind at its key', () => {
    const issues = issuesOf(
      valid
        .replace('  kind: stratified', '  kind: stratified\n  testSize: lots')
        .replace('kind: random-forest-classifier', 'kind: gradient-boosting'),
    );
    const byPath = new Map(issues.map((i) => [i.path, i]));
    assert.equal(byPath.get('split.testSize')?.line, 15);
    assert.equal(byPath.get('model.kind')?.line, 17);
  });

  it('says a key is missing, shows the wrong value, and suggests the key or kind meant', () => {
    const typo = issuesOf(valid.replace('features:', 'featurs:'));
    const byPath = new Map(typo.map((i) => [i.path, i.message]));
    assert.equal(byPath.get('features'), 'missing: this key is required (an array)');
    assert.equal(byPath.get('featurs'), 'unknown key "featurs" (did you mean "features"?)');
    const [wrongType] = issuesOf(valid.replace('  kind: stratified', '  kind: stratified\n  testSize: lots'));
    assert.equal(wrongType!.message, 'expected a number, got "lots"');
    const [kind] = issuesOf(valid.replace('kind: random-forest-classifier', 'kind: random-forest-clasifier'));
    assert.match(
      kind!.message,
      /^"random-forest-clasifier" is not one of random-forest-classifier, .*\(did you mean "random-forest-classifier"\?\)$/,
    );
    const [far] = issuesOf(valid.replace('kind: random-forest-classifier', 'kind: gradient-boosting'));
    assert.doesNotMatch(far!.message, /did you mean/);
  });

  it('names a missing pipeline file plainly (exit 2)', () => {
    assert.throws(
      () => loadPipeline('/nonexistent/p.yaml'),
      (error: unknown) =>
        isSmxError(error) &&
        error.exitCode === 2 &&
        /p\.yaml does not exist\./.test(error.message) &&
        /smx train pipelines\//.test(error.hint ?? ''),
    );
  });

  it('reports a missing required key at the parent mapping', () => {
    const issues = issuesOf(valid.replace('  domain: tabular\n', ''));
    assert.equal(issues[0]!.path, 'registration.domain');
    assert.equal(issues[0]!.line, 19);
  });

  it('reports YAML syntax errors with a line', () => {
    const issues = issuesOf(valid.replace('  kind: stratified', '  kind: [stratified'));
    assert.ok(issues[0]!.line! >= 14);
  });

  it('checks that each stage accepts what the previous one produces', () => {
    const issues = issuesOf(
      valid.replace('  - kind: tabular\n    numeric: [a, b]', '  - kind: vibration\n    windowSize: 1024'),
    );
    assert.equal(issues[0]!.path, 'features.0.kind');
    assert.match(issues[0]!.message, /signals/);
  });

  it('anomaly protocols: a calibrated threshold needs calibration rows, at the line of its rule', () => {
    const detector = valid
      .replace('  kind: stratified', '  kind: per-group\n  fitRows: 300')
      .replace('  kind: random-forest-classifier', '  kind: pca-monitor')
      .replace('  kind: classification', '  kind: anomaly\n  threshold:\n    rule: calibrated');
    const issues = issuesOf(detector);
    assert.equal(issues[0]!.path, 'evaluation.threshold.rule');
    assert.match(issues[0]!.message, /calibration rows/);
    assert.equal(issues[0]!.line, 21);
    // 50 calibration rows cannot resolve a 1 % false-alarm rate.
    const few = issuesOf(detector.replace('  fitRows: 300', '  fitRows: 300\n  calibrationRows: 50'));
    assert.equal(few[0]!.path, 'evaluation.threshold.targetFar');
    assert.doesNotThrow(() =>
      parsePipeline(detector.replace('  fitRows: 300', '  fitRows: 300\n  calibrationRows: 100')),
    );
    // A per-group split fits detectors only.
    assert.equal(issuesOf(valid.replace('  kind: stratified', '  kind: per-group'))[0]!.path, 'split.kind');
  });

  it('checks that the evaluation fits the model', () => {
    const issues = issuesOf(valid.replace('kind: classification', 'kind: anomaly'));
    assert.equal(issues[0]!.path, 'evaluation.kind');
  });

  it('applies --param overrides before validation and freezes them into the YAML', () => {
    const loaded = parsePipeline(
      valid,
      'p.yaml',
      ['model.params.nEstimators=7', 'split.seed=3'].map(parseParamOverride),
    );
    assert.equal(loaded.spec.model.kind === 'random-forest-classifier' && loaded.spec.model.params.nEstimators, 7);
    assert.equal(loaded.spec.split.kind === 'stratified' && loaded.spec.split.seed, 3);
    assert.match(loaded.frozenYaml, /nEstimators: 7/);
    const issues = issuesOf(valid, ['split.testSize=2']);
    assert.match(issues[0]!.message, /--param split.testSize/);
  });

  it('rejects malformed --param values', () => {
    assert.throws(() => parseParamOverride('no-equals'), /key=value/);
    assert.throws(() => parseParamOverride('bad key=1'), /dotted path/);
    assert.deepEqual(parseParamOverride('features.0.window=30').path, ['features', 0, 'window']);
  });
});

describe('path interpolation', () => {
  it('expands ${VAR:-default} and ${VAR}', () => {
    assert.equal(interpolate('${SHARED:-../shared}/data/x.csv', {}), '../shared/data/x.csv');
    assert.equal(interpolate('${SHARED:-../shared}/data/x.csv', { SHARED: '/data' }), '/data/data/x.csv');
    assert.equal(interpolate('${SHARED:-fallback}', { SHARED: '' }), 'fallback');
    assert.equal(interpolate('$HOME/plain', {}), '$HOME/plain');
  });

  it('fails on an unset variable without a default, and on a malformed one', () => {
    assert.throws(() => interpolate('${NOPE}/x', {}), /NOPE.*not set/);
    assert.throws(() => interpolate('${oops/x', {}), /malformed/);
  });
});
