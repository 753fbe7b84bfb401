import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiKeyPrefix,
  generateApiKey,
  hashApiKey,
  matchesHash,
  secretMatcher,
} from '../../src/api-keys/api-key-format.js';
import { createApiKey, listApiKeys, lookupApiKey, revokeApiKey } from '../../src/api-keys/api-key-store.js';
import { createTestDatabase, withDatabase, type TestDatabase } from '../helpers/database.js';
import { runCli } from '../helpers/cli.js';

describe('API key format', () => {
  it('keys are random, prefixed, and only their well-formed prefix is looked up', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    assert.notEqual(a.key, b.key);
    assert.match(a.key, /^smx_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    assert.equal(apiKeyPrefix(a.key), a.prefix);
    assert.equal(apiKeyPrefix('smx_12345678'), undefined);
    assert.equal(apiKeyPrefix("smx_'; drop table api_keys; --"), undefined);
    assert.equal(matchesHash(a.key, hashApiKey(a.key)), true);
    assert.equal(matchesHash(b.key, hashApiKey(a.key)), false);
    assert.equal(matchesHash(a.key, Buffer.alloc(3)), false);
    // One matcher for every check: its buffer is reused, so each check must start from zero.
    const matchesSecret = secretMatcher('env-key-0123456789abcdef');
    assert.equal(matchesSecret('env-key-0123456789abcdef'), true);
    assert.equal(matchesSecret('env-key-0123456789abcdeX'), false);
    assert.equal(matchesSecret('env-key-0123456789abcde'), false, 'a prefix of the key');
    assert.equal(matchesSecret('env-key-0123456789abcdef0'), false, 'the key and more');
    assert.equal(matchesSecret('env-key-0123456789abcdef\u0000'), false, 'a NUL is not padding');
    assert.equal(matchesSecret(''), false);
    assert.equal(matchesSecret('é'.repeat(12)), false);
    assert.equal(matchesSecret('env-key-0123456789abcdef'), true, 'after longer and shorter keys');
  });
});

describe('api_keys store', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => t?.drop());

  it('stores only a SHA-256 of the key; lookup says valid, unknown or revoked', async () => {
    const created = await createApiKey(t.db, ' gateway ');
    assert.equal(created.name, 'gateway');
    const { rows } = await t.db.query<{ key_hash: Buffer; key_prefix: string }>(
      'select key_hash, key_prefix from api_keys where id = $1',
      [created.id],
    );
    assert.equal(rows[0]!.key_prefix, created.prefix);
    assert.deepEqual(rows[0]!.key_hash, hashApiKey(created.key));
    assert.doesNotMatch(JSON.stringify(await listApiKeys(t.db)), new RegExp(created.key.slice(13)));
    assert.equal((await lookupApiKey(t.db, created.key)).status, 'valid');
    assert.equal(
      (await lookupApiKey(t.db, created.key.slice(0, -1) + (created.key.endsWith('x') ? 'y' : 'x'))).status,
      'unknown',
    );
    const revoked = await revokeApiKey(t.db, String(created.id));
    assert.ok(revoked.revokedAt);
    assert.equal((await revokeApiKey(t.db, created.prefix)).revokedAt?.getTime(), revoked.revokedAt.getTime());
    assert.equal((await lookupApiKey(t.db, created.key)).status, 'revoked');
    assert.equal((await listApiKeys(t.db, { includeRevoked: false })).length, 0);
    await assert.rejects(revokeApiKey(t.db, 'smx_00000000'), { code: 'NOT_FOUND' });
    await assert.rejects(createApiKey(t.db, '  '), { code: 'BAD_INPUT' });
  });

  it('smx keys create | list | revoke: the key is shown once, listings never show it', async () => {
    const env = { SMX_DATABASE_URL: withDatabase(t.url, t.name) };
    const created = await runCli(['keys', 'create', '--name', 'cli-key', '--json'], { env });
    assert.equal(created.code, 0, created.stderr);
    const { key, prefix } = JSON.parse(created.stdout) as { key: string; prefix: string };
    assert.equal(apiKeyPrefix(key), prefix);
    const listed = await runCli(['keys', 'list'], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(prefix));
    assert.doesNotMatch(listed.stdout, new RegExp(key.slice(13)));
    const revoked = await runCli(['keys', 'revoke', prefix], { env });
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /Revoked/);
    const missing = await runCli(['keys', 'revoke', 'smx_ffffffff'], { env });
    assert.equal(missing.code, 2);
  });
});
