import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Whether the drivers can parse the URL at all (pg and ioredis both use WHATWG URL;
 * pg also accepts `user@/db?host=/socket` and unencoded spaces). Checked here so a
 * bad port or an unencoded `@`/`#` in a password is a config error naming the key,
 * not an "Invalid URL" crash deep in a driver.
 */
function parsesAsUrl(value: string): boolean {
  const encoded = /[ %]/.test(value) ? encodeURI(value).replace(/%25([0-9a-f]{2})/gi, '%$1') : value;
  return URL.canParse(encoded) || URL.canParse(encoded.replace('@/', '@localhost/'));
}
const unparsable = 'is not a valid URL (check the host and port; percent-encode @, #, / and % in the password)';

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
  .refine(parsesAsUrl, unparsable);
const redisUrl = z
  .string()
  .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
  .refine(parsesAsUrl, unparsable);
const httpUrl = z
  .string()
  .regex(/^https?:\/\//, 'must start with http:// or https://')
  .refine(parsesAsUrl, unparsable);

/**
 * Every setting smx reads. Defaults live here and only here. Keys are the
 * smx.config.json names; environment variables and flags map onto them in load.ts.
 */
export const configSchema = z
  .object({
    /** Postgres URL. Absent: smx runs its embedded PostgreSQL in `stateDir/postgres`. */
    databaseUrl: postgresUrl.optional(),
    /** Redis URL. Absent: Postgres-backed idempotency, events and locks; in-process rate limits. */
    redisUrl: redisUrl.optional(),
    /** Single API key accepted by `smx serve` besides the hashed keys in api_keys. Secret. */
    apiKey: z.string().min(16, 'must be at least 16 characters').max(256, 'must be at most 256 characters').optional(),
    logLevel: z.enum(logLevels).default('info'),
    /** Where the model registry lives. */
    modelsDir: z.string().min(1).default('models'),
    /** Local state: the embedded database, caches of pipeline stages, export temp files. */
    stateDir: z.string().min(1).default('.smx'),
    /** Slack-compatible webhook for retrain announcements. Secret (tokens live in the path). */
    webhookUrl: httpUrl.optional(),
    /** Key prefix for every Redis key smx writes, so several deployments can share one Redis. */
    redisPrefix: z.string().default('smx:'),
    /** `smx serve`: where it listens, request limits, per-key rate limits and group commit. */
    serve: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8000),
        /** Largest request body accepted (413 above it). */
        bodyLimitBytes: z.number().int().min(1024).default(1_048_576),
        /** Token bucket per API key: ingest requests per minute (the burst is one minute's worth). */
        ingestPerMinute: z.number().int().min(1).default(1_200_000),
        /** The drift route, 10 per minute per key as the seed. */
        driftPerMinute: z.number().int().min(1).default(10),
        /** Group commit: wait at most this many ms to gather rows (0: flush as soon as a connection is free), or flush at batchMaxRows rows. */
        batchMaxDelayMs: z.number().min(0).max(1000).default(0),
        batchMaxRows: z.number().int().min(1).default(5000),
        /** Group-commit flushes running at once, each on its own pool connection (at most poolSize - 1). */
        flushConcurrency: z.number().int().min(1).max(99).default(2),
        /** PostgreSQL connections held by the server (ingest flushes, drift queries, keys). */
        poolSize: z.number().int().min(2).max(100).default(4),
      })
      .strict()
      .prefault({}),
    embedded: z
      .object({
        /** A fixed port for the embedded PostgreSQL; absent: a free one is chosen. */
        port: z.number().int().min(1).max(65535).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type SmxConfig = z.infer<typeof configSchema>;
export type ConfigKey = keyof SmxConfig;

/** Keys whose values never appear in logs or --json output. */
export const secretKeys: ReadonlySet<string> = new Set(['apiKey', 'webhookUrl']);
