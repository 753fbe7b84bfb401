/**
 * `smx drift --model`: the committed ai4i-failure model's training rows
 * (rebuilt from its frozen pipeline, which reads ../shared/data/ai4i2020) vs a
 * CSV of its features. No database: nothing is stored without a database URL.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../helpers/cli.js';
import { sharedAvailable, sharedPath, skipWithoutShared } from '../helpers/shared.js';

const features = [
  'Air temperature [K]',
  'Process temperature [K]',
  'Rotational speed [rpm]',
  'Torque [Nm]',
  'Tool wear [min]',
  'Type',
];
const dir = mkdtempSync(path.join(os.tmpdir(), 'smx-drift-model-'));
const env = { SMX_DATABASE_URL: '', DATABASE_URL: '', SMX_REDIS_URL: '', SMX_STATE_DIR: path.join(dir, 'state') };

/** The first 2,000 AI4I records as `smx predict` takes them; `shift` adds to torque, `extra` keeps more columns. */
function ai4iCsv(options: { shift?: number; columns?: string[] } = {}): string {
  const records = parse(readFileSync(sharedPath('data', 'ai4i2020', 'ai4i2020.csv')), {
    columns: true,
    bom: true,
    to: 2000,
  }) as Record<string, string>[];
  const columns = options.columns ?? features;
  const rows = records.map((r) =>
    columns.map((c) => (c === 'Torque [Nm]' && options.shift ? String(Number(r[c]) + options.shift) : r[c])).join(','),
  );
  return [columns.join(','), ...rows].join('\n') + '\n';
}

describe('smx drift --model', { skip: skipWithoutShared() }, () => {
  const unshifted = path.join(dir, 'current.csv');
  if (sharedAvailable()) writeFileSync(unshifted, ai4iCsv());
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("the model's own data: no dataset drift, exit 0 with --fail-on-drift; the reference is the 80 % fit split", async () => {
    const r = await runCli(['drift', '--model', 'ai4i-failure@1', unshifted, '--fail-on-drift', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, any>;
    assert.equal(out.subject, 'model:ai4i-failure@1');
    assert.equal(out.datasetDrift, false);
    assert.equal(out.driftCheckId, null, 'no database URL: not stored');
    assert.equal(out.reference.rows, 8000, 'stratified 80/20 of 10,000: the rows the forest was fitted on');
    assert.match(out.reference.label, /training rows \(split: stratified 80\/20, seed 42/);
    assert.equal(out.current.rows, 2000);
    assert.deepEqual(
      out.report.columns.map((c: any) => c.column),
      features,
      'feature_names.txt order',
    );
    const type = out.report.columns.find((c: any) => c.column === 'Type');
    assert.equal(type.kind, 'categorical', 'the ordinal codes are decoded back to L, M, H');
    assert.equal(type.drifted, false);
    assert.equal(out.report.columns.find((c: any) => c.column === 'Torque [Nm]').drifted, false);
  });

  it('torque +15 Nm through stdin: drift on that column, exit 1, extra columns ignored with a note, HTML report', async () => {
    const report = path.join(dir, 'drift.html');
    const input = ai4iCsv({ shift: 15, columns: ['UDI', ...features.slice().reverse()] });
    const r = await runCli(['drift', '--model', 'ai4i-failure@champion', '-', '--fail-on-drift', '--report', report], {
      env,
      input,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /Drift check: model:ai4i-failure@1/);
    assert.match(r.stdout, /│ Torque \[Nm\]\s+│[^\n]*│ yes\s+│/);
    assert.match(r.stdout, /│ Rotational speed \[rpm\]\s+│[^\n]*│ no\s+│/);
    assert.match(r.stdout, /Dataset drift: YES/);
    assert.match(r.stdout, /note: ignored 1 column of stdin that is not a feature of ai4i-failure@1: "UDI"/);
    assert.match(readFileSync(report, 'utf8'), /Torque \[Nm\]/);
  });

  it('a CSV without a feature column: exit 2 naming it and listing the expected ones', async () => {
    const file = path.join(dir, 'no-torque.csv');
    writeFileSync(file, ai4iCsv({ columns: features.filter((f) => f !== 'Torque [Nm]') }));
    const r = await runCli(['drift', '--model', 'ai4i-failure', file], { env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /lacks ai4i-failure@1's feature column "Torque \[Nm\]"/);
    assert.match(
      r.stderr,
      /Air temperature \[K\], Process temperature \[K\], Rotational speed \[rpm\], Torque \[Nm\], Tool wear \[min\], Type/,
    );
  });

  it('an unknown model: exit 2', async () => {
    const r = await runCli(['drift', '--model', 'no-such-model', unshifted], { env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /No model named no-such-model/);
  });

  it("the pipeline's data missing: exit 2 naming the file", async () => {
    const r = await runCli(['drift', '--model', 'ai4i-failure', unshifted], {
      env: { ...env, SMX_SHARED_DIR: path.join(dir, 'nowhere') },
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /Cannot rebuild ai4i-failure@1's training data: Data file .*nowhere\/data\/ai4i2020\/ai4i2020\.csv not found/,
    );
  });
});
