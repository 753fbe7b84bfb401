import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../integrity/atomic-write.js';
import { Redis } from 'ioredis';
import { configSchema } from './schema.js';
import { configError } from '../errors.js';

/** What `smx init` writes. Only non-default choices are stored, so defaults can improve later. */
export interface InitChoices {
  databaseUrl?: string;
  redisUrl?: string;
  modelsDir?: string;
}

export async function writeConfigFile(
  file: string,
  choices: InitChoices,
  { overwrite = false } = {},
): Promise<Record<string, unknown>> {
  if (existsSync(file) && !overwrite) {
    throw configError(`${file} already exists.`, { hint: 'Pass --force to overwrite it, or edit it by hand.' });
  }
  const content: Record<string, unknown> = {};
  if (choices.databaseUrl) content.databaseUrl = choices.databaseUrl;
  if (choices.redisUrl) content.redisUrl = choices.redisUrl;
  content.modelsDir = choices.modelsDir ?? 'models';
  const parsed = configSchema.safeParse(content);
  if (!parsed.success) throw configError(`Refusing to write an invalid config: ${parsed.error.issues[0]?.message}`);
  await writeFileAtomic(file, JSON.stringify(content, null, 2) + '\n', 0o600);
  return content;
}

export async function probeRedis(url: string): Promise<string | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    // ioredis reports "Connection is closed"; the socket error says why (e.g. ECONNREFUSED).
    return (lastError ?? (error as Error)).message;
  } finally {
    redis.disconnect();
  }
}
