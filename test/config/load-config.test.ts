import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { redactConfig, redactUrl } from '../../src/config/redact.js';
import { SmxError } from '../../src/errors.js';
import { tempDir } from '../helpers/database.js';

function withFile(content: unknown): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'smx.config.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

describe('loadConfig precedence: flags > environment > file > defaults', () => {
  it('uses defaults when nothing is given', () => {
    const { config, sources } = loadConfig({ env: {}, cwd: tempDir() });
    assert.equal(config.logLevel, 'info');
    assert.equal(config.modelsDir, 'models');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(sources.logLevel, 'default');
  });

  it('file beats defaults, environment beats file, flags beat environment', () => {
    const cwd = withFile({ logLevel: 'warn', modelsDir: 'from-file', databaseUrl: 'postgres://file/db' });
    const env = {
      SMX_LOG_LEVEL: 'error',
      DATABASE_URL: 'postgres://env-generic/db',
      SMX_DATABASE_URL: 'postgres://env-smx/db',
    };
    const { config, sources } = loadConfig({ env, cwd, flags: { logLevel: 'debug' } });
    assert.equal(config.logLevel, 'debug');
    assert.equal(sources.logLevel, 'flag');
    assert.equal(config.databaseUrl, 'postgres://env-smx/db', 'SMX_DATABASE_URL wins over DATABASE_URL');
    assert.equal(sources.databaseUrl, 'environment');
    assert.equal(config.modelsDir, 'from-file');
    assert.equal(sources.modelsDir, 'config file');
  });

  it('returns a frozen object', () => {
    const { config } = loadConfig({ env: {}, cwd: tempDir() });
    assert.ok(Object.isFrozen(config));
  });
});

describe('loadConfig errors name the key, the source and what is allowed', () => {
  const expectConfigError = (fn: () => unknown, pattern: RegExp) => {
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof SmxError);
      assert.equal(error.exitCode, 2);
      assert.match(`${error.message} ${error.hint ?? ''}`, pattern);
      return true;
    });
  };

  it('a bad environment value', () => {
    expectConfigError(
      () => loadConfig({ env: { SMX_LOG_LEVEL: 'loud' }, cwd: tempDir() }),
      /logLevel.*SMX_LOG_LEVEL.*Allowed values: fatal, error, warn, info, debug, trace, silent/s,
    );
  });

  it('a bad URL in the config file', () => {
    const cwd = withFile({ redisUrl: 'http://nope' });
    expectConfigError(() => loadConfig({ env: {}, cwd }), /redisUrl from config file .*smx\.config\.json.*redis:\/\//);
  });

  it('an unknown key in the config file', () => {
    expectConfigError(() => loadConfig({ env: {}, cwd: withFile({ databse: 'x' }) }), /Unknown key\(s\) databse/);
  });

  it('a config file that is not JSON', () => {
    expectConfigError(() => loadConfig({ env: {}, cwd: withFile('{ nope') }), /not valid JSON/);
  });

  it('an explicit config path that does not exist', () => {
    expectConfigError(() => loadConfig({ env: {}, cwd: tempDir(), configPath: 'missing.json' }), /does not exist/);
  });

  it('a URL the drivers cannot parse (bad port, unclosed IPv6 bracket) names the key, never the value', () => {
    for (const url of [
      'postgres://u:pw@host:notaport/db',
      'postgres://u:pw@[::1/db',
      'postgres://u:pw@host:70000/db',
    ]) {
      assert.throws(
        () => loadConfig({ env: { SMX_DATABASE_URL: url }, cwd: tempDir() }),
        (error: unknown) => {
          assert.ok(error instanceof SmxError);
          assert.equal(error.exitCode, 2);
          assert.match(error.message, /databaseUrl from environment variable SMX_DATABASE_URL: is not a valid URL/);
          assert.doesNotMatch(error.message + (error.hint ?? ''), /pw/);
          return true;
        },
      );
    }
    expectConfigError(
      () => loadConfig({ env: { SMX_REDIS_URL: 'redis://:pw@host:99999' }, cwd: tempDir() }),
      /redisUrl from environment variable SMX_REDIS_URL: is not a valid URL/,
    );
    // Forms the drivers do accept stay accepted.
    for (const url of [
      'postgres://u@/db?host=/var/run/postgresql',
      'postgresql://u:p%40ss@127.0.0.1:5432/db?sslmode=disable',
      'postgres://u:p w@h/db',
    ]) {
      assert.equal(loadConfig({ env: { SMX_DATABASE_URL: url }, cwd: tempDir() }).config.databaseUrl, url);
    }
    assert.equal(loadConfig({ env: { SMX_REDIS_URL: 'redis://' }, cwd: tempDir() }).config.redisUrl, 'redis://');
  });

  it('a flag value', () => {
    expectConfigError(
      () => loadConfig({ env: {}, cwd: tempDir(), flags: { databaseUrl: 'mysql://x' } }),
      /databaseUrl from flag --database-url/,
    );
  });
});

describe('secrets never appear in printed config', () => {
  it('masks the API key, webhook and URL passwords', () => {
    const { config } = loadConfig({
      env: {
        SMX_API_KEY: 'k'.repeat(32),
        SMX_WEBHOOK_URL: 'https://hooks.example/T000/secret',
        SMX_DATABASE_URL: 'postgres://u:hunter2@h/db',
      },
      cwd: tempDir(),
    });
    const shown = JSON.stringify(redactConfig(config));
    assert.doesNotMatch(shown, /kkkk|hunter2|secret/);
    assert.match(shown, /"apiKey":"\*\*\*"/);
    assert.equal(redactUrl('redis://:pw@host:6379'), 'redis://:***@host:6379');
  });
});
