import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/database.js';
import { writeSyntheticPipeline } from './synthetic-pipeline.js';

const dir = tempDir('smx-train-seeds-');
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { SMX_STATE_DIR: path.join(dir, 'state'), SMX_MODELS_DIR: path.join(dir, 'models') };
const { pipeline } = writeSyntheticPipeline(dir, 300);

describe('smx train --seeds', () => {
  it('reports mean ± sd, registers the seed nearest the mean and writes it to metrics.json and the card', async () => {
    const r = await runCli(['train', pipeline, '--seeds', '4', '--json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { metrics: { primary: { value: number }; seeds: Record<string, any> } };
    const s = out.metrics.seeds;
    assert.deepEqual(s.seeds, [0, 1, 2, 3]);
    assert.ok(Math.abs(out.metrics.primary.value - s.primary.mean) < 1e-12);
    const versionDir = path.join(dir, 'models', 'synthetic-failure', '1');
    const stored = JSON.parse(readFileSync(path.join(versionDir, 'metrics.json'), 'utf8')) as typeof out.metrics;
    assert.equal(stored.seeds.registered, s.registered);
    assert.match(readFileSync(path.join(versionDir, 'pipeline.yaml'), 'utf8'), /^seeds: 4$/m);
    const card = readFileSync(path.join(versionDir, 'MODEL_CARD.md'), 'utf8');
    assert.match(card, /macro_f1 = \d\.\d{4} ± \d\.\d{4} \(mean ± sd over seeds 0–3/);
    assert.match(card, new RegExp(`this version is seed ${s.registered} `));

    const text = await runCli(['models', 'show', 'synthetic-failure'], { cwd: dir, env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /macro_f1 = \d\.\d{4} ± \d\.\d{4} \(mean ± sd over seeds 0–3; registered: seed \d/);
    assert.match(text.stdout, /mean ± sd \(4 seeds\)/);
  });

  it('writes the training report of a version and of two versions side by side', async () => {
    const second = await runCli(['train', pipeline, '--report', 'train.html'], { cwd: dir, env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Training report: train\.html/);
    assert.match(readFileSync(path.join(dir, 'train.html'), 'utf8'), /<title>ROC curve, synthetic-failure@2/);
    const show = await runCli(['models', 'show', 'synthetic-failure@1', '--report', 'show.html', '--json'], {
      cwd: dir,
      env,
    });
    assert.equal(show.code, 0, show.stderr);
    assert.equal((JSON.parse(show.stdout) as { reportPath: string }).reportPath, 'show.html');
    assert.match(readFileSync(path.join(dir, 'show.html'), 'utf8'), /macro_f1 per seed, synthetic-failure@1/);
    const compare = await runCli(['models', 'compare', 'synthetic-failure', '1', '2', '--report', 'cmp.html'], {
      cwd: dir,
      env,
    });
    assert.equal(compare.code, 0, compare.stderr);
    assert.match(
      readFileSync(path.join(dir, 'cmp.html'), 'utf8'),
      /<h1>synthetic-failure@1 and synthetic-failure@2<\/h1>/,
    );
  });

  it('rejects a seed count that is not a whole number from 1 to 100 (exit 2)', async () => {
    const r = await runCli(['train', pipeline, '--seeds', '0'], { cwd: dir, env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--seeds "0" must be a whole number from 1 to 100/);
  });
});
