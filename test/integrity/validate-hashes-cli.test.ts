import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, readFile, rm, symlink, writeFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { generateSigningKeyPair, loadPrivateKey, signManifestBytes } from '../../src/integrity/manifest-signature.js';
import { signManifest } from '../../src/integrity/sign-manifest.js';
import { copyTree, makeModelsFixture } from './models-fixture.js';

// The CI scenario from issue 7: every tampering is caught with exit 1 and a line naming the file.
let fixture: Awaited<ReturnType<typeof makeModelsFixture>>;
const keys = generateSigningKeyPair();
let publicKeyPath: string;

before(async () => {
  fixture = await makeModelsFixture();
  publicKeyPath = path.join(fixture.root, 'manifest.pub.pem');
  await writeFile(publicKeyPath, keys.publicPem);
  const update = await runCli(['validate-hashes', '--models-dir', fixture.modelsDir, '--update']);
  assert.equal(update.code, 0, update.stderr + update.stdout);
  assert.match(update.stdout, /16 added/);
  await signManifest(fixture.modelsDir, keys.privatePem);
});
after(() => fixture.cleanup());

const validate = (modelsDir: string, ...extra: string[]) =>
  runCli(['validate-hashes', '--models-dir', modelsDir, '--public-key', publicKeyPath, ...extra]);

test('a clean, signed tree passes, and sha256sum -c agrees with the manifest', async () => {
  const result = await validate(fixture.modelsDir);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /16 listed, 16 hashed/);
  assert.match(result.stdout, new RegExp(`signature verified \\(key ${keys.keyId}\\)`));
  const sha = spawnSync('sha256sum', ['-c', '--strict', 'MANIFEST.sha256'], {
    cwd: fixture.modelsDir,
    encoding: 'utf8',
  });
  if (sha.error) return; // coreutils absent: nothing to compare with
  assert.equal(sha.status, 0, sha.stdout + sha.stderr);
  assert.equal(sha.stdout.trim().split('\n').length, 16);
});

const cases: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
  [
    'tampered artifact',
    (d) => appendFile(path.join(d, 'ai4i-rf/2/model.onnx'), 'x'),
    /^CHANGED +ai4i-rf\/2\/model\.onnx \(line \d+\): sha256 is/m,
  ],
  [
    'removed artifact',
    (d) => unlink(path.join(d, 'skab-iforest/1/params.json')),
    /^MISSING +skab-iforest\/1\/params\.json/m,
  ],
  [
    'added artifact',
    (d) => writeFile(path.join(d, 'ai4i-rf/1/backdoor.onnx'), 'evil'),
    /^UNLISTED +ai4i-rf\/1\/backdoor\.onnx/m,
  ],
  [
    'edited manifest (hash of a tampered file swapped in)',
    async (d) => {
      const artifact = path.join(d, 'ai4i-rf/1/model.onnx');
      await appendFile(artifact, 'x');
      const forged = createHash('sha256')
        .update(await readFile(artifact))
        .digest('hex');
      await rewriteManifest(d, (text) => text.replace(/^[0-9a-f]{64}(?=  ai4i-rf\/1\/model\.onnx$)/m, forged));
    },
    /^SIGNATURE-INVALID +MANIFEST\.sha256\.sig: signature does not match/m,
  ],
  [
    'forged signature (signed with another key)',
    async (d) => {
      const forger = loadPrivateKey(generateSigningKeyPair().privatePem, 'forger');
      await writeFile(
        path.join(d, 'MANIFEST.sha256.sig'),
        signManifestBytes(await readFile(path.join(d, 'MANIFEST.sha256')), forger),
      );
    },
    /^SIGNATURE-INVALID +MANIFEST\.sha256\.sig/m,
  ],
  [
    'garbage signature',
    (d) => writeFile(path.join(d, 'MANIFEST.sha256.sig'), 'not a signature\n'),
    /^SIGNATURE-MALFORMED +MANIFEST\.sha256\.sig/m,
  ],
  [
    'deleted signature',
    (d) => unlink(path.join(d, 'MANIFEST.sha256.sig')),
    /^SIGNATURE-MISSING +MANIFEST\.sha256\.sig/m,
  ],
  [
    'planted traversal entry',
    (d) => appendFile(path.join(d, 'MANIFEST.sha256'), `${'0'.repeat(64)}  ../../etc/passwd\n`),
    /^UNSAFE-PATH +\.\.\/\.\.\/etc\/passwd \(line 17\): path traversal/m,
  ],
  [
    'absolute path entry',
    (d) => appendFile(path.join(d, 'MANIFEST.sha256'), `${'0'.repeat(64)}  /etc/shadow\n`),
    /^UNSAFE-PATH +\/etc\/shadow \(line 17\): absolute path/m,
  ],
  [
    'duplicate manifest line',
    (d) => rewriteManifest(d, (text) => text + text.split('\n')[0] + '\n'),
    /^DUPLICATE-ENTRY +\S+ \(line 17\): listed again \(first on line 1\)/m,
  ],
  [
    'malformed manifest line',
    (d) => appendFile(path.join(d, 'MANIFEST.sha256'), 'deadbeef  short.bin\n'),
    /^MALFORMED-LINE +MANIFEST\.sha256 \(line 17\)/m,
  ],
  [
    'symlink pointing outside',
    (d) => symlink('/etc/passwd', path.join(d, 'ai4i-rf/1/passwd')),
    /^SYMLINK +ai4i-rf\/1\/passwd: symlink pointing outside the folder/m,
  ],
  [
    'listed file replaced by a symlink',
    async (d) => {
      await unlink(path.join(d, 'ai4i-rf/1/model.onnx'));
      await symlink('../2/model.onnx', path.join(d, 'ai4i-rf/1/model.onnx'));
    },
    /^SYMLINK +ai4i-rf\/1\/model\.onnx: symlink to "..\/2\/model\.onnx" \(not followed/m,
  ],
  [
    'version folder swapped for a symlink to an identical copy outside (sha256sum -c would follow it and pass)',
    async (d) => {
      const outside = `${d}-outside-copy`;
      await cp(path.join(d, 'ai4i-rf/1'), outside, { recursive: true });
      await rm(path.join(d, 'ai4i-rf/1'), { recursive: true });
      await symlink(outside, path.join(d, 'ai4i-rf/1'));
    },
    /^SYMLINK +ai4i-rf\/1: symlink pointing outside[\s\S]*^SYMLINK +ai4i-rf\/1\/model\.onnx \(line \d+\): listed path goes through symlink ai4i-rf\/1 \(not followed\)/m,
  ],
  [
    'listed file replaced by a folder',
    async (d) => {
      await unlink(path.join(d, 'skab-iforest/1/params.json'));
      await mkdir(path.join(d, 'skab-iforest/1/params.json'));
    },
    /^NOT-A-FILE +skab-iforest\/1\/params\.json \(line \d+\): listed as a file but is a folder/m,
  ],
  [
    'FIFO in the tree (must not hang)',
    async (d) => {
      if (spawnSync('mkfifo', [path.join(d, 'ai4i-rf/1/pipe')]).status !== 0)
        await writeFile(path.join(d, 'ai4i-rf/1/pipe'), '');
    },
    /^(SPECIAL-FILE|UNLISTED) +ai4i-rf\/1\/pipe/m,
  ],
  [
    'registry.json replaced by a symlink outside (not read)',
    async (d) => {
      await unlink(path.join(d, 'registry.json'));
      await symlink('/etc/passwd', path.join(d, 'registry.json'));
    },
    /^SYMLINK +registry\.json: symlink pointing outside[\s\S]*^REGISTRY-MALFORMED +registry\.json: is a symlink \(not followed\)/m,
  ],
  [
    'registry.json replaced by a FIFO (must not hang)',
    async (d) => {
      await unlink(path.join(d, 'registry.json'));
      if (spawnSync('mkfifo', [path.join(d, 'registry.json')]).status !== 0)
        await symlink('/etc/passwd', path.join(d, 'registry.json'));
    },
    /^REGISTRY-MALFORMED +registry\.json: (not a regular file|is a symlink)/m,
  ],
  [
    'non-UTF-8 file name',
    (d) => writeFile(Buffer.concat([Buffer.from(path.join(d, 'ai4i-rf/1/bad')), Buffer.from([0xff, 0xfe])]), 'x'),
    /^BAD-NAME +ai4i-rf\/1\/bad\\xff\\xfe: name is not valid UTF-8/m,
  ],
  [
    'registered version without metrics.json',
    async (d) => {
      await unlink(path.join(d, 'skab-iforest/1/metrics.json'));
      await rewriteManifest(d, (text) => text.replace(/^.*skab-iforest\/1\/metrics\.json\n/m, ''));
    },
    /^INCOMPLETE-VERSION +skab-iforest\/1: registered version lacks metrics\.json/m,
  ],
];

for (const [name, tamper, expected] of cases) {
  test(`caught: ${name}`, async () => {
    const dir = await copyTree(fixture.modelsDir, name.replace(/\W+/g, '-'));
    try {
      await tamper(dir);
      const result = await validate(dir);
      assert.equal(result.code, 1, `${name}: ${result.stdout}${result.stderr}`);
      assert.match(
        result.stdout,
        expected,
        `${name}: stdout ${JSON.stringify(result.stdout)} stderr ${JSON.stringify(result.stderr)}`,
      );
      assert.match(result.stdout, /^FAIL: \d+ finding/m);
      assert.doesNotMatch(result.stdout + result.stderr, /root:x:0:0/, 'nothing outside the models folder is read');
      if (name.startsWith('edited manifest'))
        assert.match(result.stdout, /FAIL: 1 finding/, 'only the signature can catch a consistent edit');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(`${dir}-outside-copy`, { recursive: true, force: true });
    }
  });
}

test('--json prints one object with the findings as data', async () => {
  const dir = await copyTree(fixture.modelsDir, 'json');
  try {
    await appendFile(path.join(dir, 'ai4i-rf/2/model.onnx'), 'x');
    const result = await runCli(['validate-hashes', '--models-dir', dir, '--json']);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      findings: Array<{ kind: string; path: string; expected: string; actual: string }>;
      signature: { status: string };
    };
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.path]),
      [['changed', 'ai4i-rf/2/model.onnx']],
    );
    assert.match(report.findings[0]!.expected, /^[0-9a-f]{64}$/);
    assert.equal(report.signature.status, 'present-not-checked');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--update shows the diff, rewrites the manifest and flags the stale signature', async () => {
  const dir = await copyTree(fixture.modelsDir, 'update');
  try {
    await writeFile(path.join(dir, 'ai4i-rf/1/extra.txt'), 'new');
    await unlink(path.join(dir, 'ai4i-rf/1/params.json'));
    const result = await runCli(['validate-hashes', '--models-dir', dir, '--update']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /1 added, 1 removed, 0 changed, 15 unchanged/);
    assert.match(result.stdout, /^ {2}\+ ai4i-rf\/1\/extra\.txt$/m);
    assert.match(result.stdout, /^ {2}- ai4i-rf\/1\/params\.json$/m);
    assert.match(result.stdout, /no longer matches: re-sign/);
    assert.equal((await runCli(['validate-hashes', '--models-dir', dir])).code, 0);
    assert.equal((await validate(dir)).code, 1, 'the old signature no longer verifies');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--update never writes through a manifest that is a symlink', async () => {
  const dir = await copyTree(fixture.modelsDir, 'update-symlink');
  const outside = path.join(fixture.root, 'outside.txt');
  try {
    await writeFile(outside, 'keep me\n');
    await unlink(path.join(dir, 'MANIFEST.sha256'));
    await symlink(outside, path.join(dir, 'MANIFEST.sha256'));
    const result = await runCli(['validate-hashes', '--models-dir', dir, '--update']);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^Not written: /m);
    assert.match(result.stdout, /^SYMLINK +MANIFEST\.sha256: .*not replaced/m);
    assert.equal(await readFile(outside, 'utf8'), 'keep me\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { force: true });
  }
});

test('usage errors exit 2', async () => {
  assert.equal((await runCli(['validate-hashes', '--models-dir', path.join(fixture.root, 'absent')])).code, 2);
  assert.equal((await runCli(['validate-hashes', '--models-dir', fixture.modelsDir, '--no-such-flag'])).code, 2);
  assert.equal(
    (
      await runCli([
        'validate-hashes',
        '--models-dir',
        fixture.modelsDir,
        '--public-key',
        path.join(fixture.root, 'absent.pem'),
      ])
    ).code,
    2,
  );
  const notEd = path.join(fixture.root, 'rsa.pem');
  const { generateKeyPairSync } = await import('node:crypto');
  await writeFile(
    notEd,
    generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }),
  );
  const rsa = await runCli(['validate-hashes', '--models-dir', fixture.modelsDir, '--public-key', notEd]);
  assert.equal(rsa.code, 2);
  assert.match(rsa.stderr, /Ed25519 only/);
});

async function rewriteManifest(dir: string, edit: (text: string) => string): Promise<void> {
  const file = path.join(dir, 'MANIFEST.sha256');
  await writeFile(file, edit(await readFile(file, 'utf8')));
}
