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

  it('rejects a seed count that is not a whole number from 1 to 100 (exit 2)', async () => {
    const r = await runCli(['train', pipeline, '--seeds', '0'], { cwd: dir, env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--seeds "0" must be a whole number from 1 to 100/);
  });
});
