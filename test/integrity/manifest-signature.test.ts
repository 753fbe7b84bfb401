import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  generateSigningKeyPair,
  loadPrivateKey,
  loadPublicKey,
  signManifestBytes,
  verifyManifestBytes,
} from '../../src/integrity/manifest-signature.js';
import { runCli } from '../helpers/cli.js';
import { SmxError } from '../../src/errors.js';

test('Ed25519 signatures verify only for the same bytes and the same key', () => {
  const pair = generateSigningKeyPair();
  const manifest = Buffer.from(`${'a'.repeat(64)}  m/1/model.onnx\n`);
  const signature = signManifestBytes(manifest, loadPrivateKey(pair.privatePem, 'key'));
  assert.match(signature, /^[A-Za-z0-9+/]{86}==\n$/);
  const publicKey = loadPublicKey(pair.publicPem, 'pub');
  assert.deepEqual(verifyManifestBytes(manifest, signature, publicKey), { status: 'verified', keyId: pair.keyId });
  assert.equal(
    verifyManifestBytes(Buffer.concat([manifest, Buffer.from('\n')]), signature, publicKey).status,
    'invalid',
  );
  assert.equal(
    verifyManifestBytes(manifest, signature, loadPublicKey(generateSigningKeyPair().publicPem, 'other')).status,
    'invalid',
  );
  assert.equal(verifyManifestBytes(manifest, 'AAAA', publicKey).status, 'malformed');
});

test('keys that are not Ed25519 are usage errors', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  assert.throws(
    () => loadPublicKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }), 'rsa.pem'),
    (e: unknown) => e instanceof SmxError && e.exitCode === 2,
  );
  assert.throws(
    () => loadPrivateKey('garbage', 'x.pem'),
    (e: unknown) => e instanceof SmxError && e.exitCode === 2,
  );
});

test('smx keys gen-signing-key and sign-manifest, then validate-hashes --public-key', async (t) => {
  const help = await runCli(['keys', 'sign-manifest', '--help']);
  if (help.code !== 0) return t.skip('`smx keys` is not wired to registerKeySigningCommands in this build');
  const root = await mkdtemp(path.join(tmpdir(), 'smx-keys-'));
  try {
    const models = path.join(root, 'models', 'rf', '1');
    await (await import('node:fs/promises')).mkdir(models, { recursive: true });
    for (const f of ['model.onnx', 'feature_names.txt', 'metrics.json']) await writeFile(path.join(models, f), f);
    const modelsDir = path.join(root, 'models');
    const gen = await runCli(['keys', 'gen-signing-key', '--out', path.join(root, 'ed25519.pem')]);
    assert.equal(gen.code, 0, gen.stderr);
    assert.equal((await (await import('node:fs/promises')).stat(path.join(root, 'ed25519.pem'))).mode & 0o777, 0o600);
    assert.equal(
      (await runCli(['keys', 'gen-signing-key', '--out', path.join(root, 'ed25519.pem')])).code,
      2,
      'never overwrites a key silently',
    );
    assert.equal((await runCli(['validate-hashes', '--models-dir', modelsDir, '--update'])).code, 0);
    const sign = await runCli([
      'keys',
      'sign-manifest',
      '--models-dir',
      modelsDir,
      '--key',
      path.join(root, 'ed25519.pem'),
    ]);
    assert.equal(sign.code, 0, sign.stderr);
    assert.match(await readFile(path.join(modelsDir, 'MANIFEST.sha256.sig'), 'utf8'), /^[A-Za-z0-9+/]{86}==\n$/);
    const ok = await runCli([
      'validate-hashes',
      '--models-dir',
      modelsDir,
      '--public-key',
      path.join(root, 'ed25519.pub.pem'),
    ]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /signature verified/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
