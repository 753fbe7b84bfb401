import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { configSchema, type SmxConfig } from './schema.js';
import { configError } from '../errors.js';

export type ConfigSource = 'flag' | 'environment' | 'config file' | 'default';

/** Environment variables, in order of preference for each key. */
const envNames: Record<string, readonly string[]> = {
  databaseUrl: ['SMX_DATABASE_URL', 'DATABASE_URL'],
  redisUrl: ['SMX_REDIS_URL', 'REDIS_URL'],
  apiKey: ['SMX_API_KEY'],
  logLevel: ['SMX_LOG_LEVEL'],
  modelsDir: ['SMX_MODELS_DIR'],
  stateDir: ['SMX_STATE_DIR'],
  webhookUrl: ['SMX_WEBHOOK_URL'],
  redisPrefix: ['SMX_REDIS_PREFIX'],
};

export interface LoadConfigInput {
  /** Values from command-line flags, already named as config keys; undefined = not given. */
  flags?: Partial<Record<string, unknown>>;
  env?: NodeJS.ProcessEnv;
  /** Explicit config file (--config or SMX_CONFIG); else ./smx.config.json when present. */
  configPath?: string;
  cwd?: string;
  /** Leave the config file alone (`smx init` writes it, so it may be absent or broken). */
  ignoreFile?: boolean;
}

export interface LoadedConfig {
  config: Readonly<SmxConfig>;
  /** Where each top-level key's value came from, for error messages and `smx config`. */
  sources: Readonly<Record<string, ConfigSource>>;
  configPath: string | undefined;
}

/**
 * The one config loader: flags > environment > smx.config.json > defaults.
 * A bad value fails loudly, naming the key, where it came from and what is allowed.
 */
export function loadConfig(input: LoadConfigInput = {}): LoadedConfig {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const explicitPath = input.configPath ?? env.SMX_CONFIG;
  const configPath = explicitPath ? path.resolve(cwd, explicitPath) : path.join(cwd, 'smx.config.json');
  const merged: Record<string, unknown> = {};
  const sources: Record<string, ConfigSource> = {};

  let usedPath: string | undefined;
  if (input.ignoreFile) {
    // nothing read: flags and environment only
  } else if (existsSync(configPath)) {
    usedPath = configPath;
    for (const [key, value] of Object.entries(readConfigFile(configPath))) {
      merged[key] = value;
      sources[key] = 'config file';
    }
  } else if (explicitPath) {
    throw configError(`Config file ${configPath} does not exist.`, {
      hint: 'Create it with `smx init`, or fix --config / SMX_CONFIG.',
    });
  }

  for (const [key, names] of Object.entries(envNames)) {
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value !== '') {
        merged[key] = value;
        sources[key] = 'environment';
        break;
      }
    }
  }

  for (const [key, value] of Object.entries(input.flags ?? {})) {
    if (value === undefined) continue;
    merged[key] = value;
    sources[key] = 'flag';
  }

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.map(String).join('.') || '(root)';
    const top = String(issue.path[0] ?? '');
    const source = sources[top] ?? 'default';
    const where = describeSource(source, top, usedPath);
    throw configError(`Invalid configuration: ${key} from ${where}: ${issue.message}.`, {
      hint: allowedHint(issue),
      details: { key, source },
    });
  }
  for (const key of Object.keys(parsed.data)) sources[key] ??= 'default';
  return { config: Object.freeze(parsed.data), sources: Object.freeze(sources), configPath: usedPath };
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw configError(`Cannot read config file ${file}: ${(error as Error).message}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw configError(`Config file ${file} is not valid JSON: ${(error as Error).message}.`, {
      hint: 'Fix the file or recreate it with `smx init --yes --force`.',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(`Config file ${file} must hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function describeSource(source: ConfigSource, key: string, file: string | undefined): string {
  if (source === 'environment') {
    const names = envNames[key] ?? [];
    const name = names.find((n) => process.env[n] !== undefined) ?? names[0] ?? key;
    return `environment variable ${name}`;
  }
  if (source === 'config file') return `config file ${file ?? 'smx.config.json'}`;
  if (source === 'flag') return `flag --${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;
  return 'defaults';
}

function allowedHint(issue: { code: string; message: string; values?: unknown; keys?: unknown }): string | undefined {
  if (Array.isArray(issue.values)) return `Allowed values: ${issue.values.join(', ')}.`;
  if (issue.code === 'unrecognized_keys' && Array.isArray(issue.keys)) {
    return `Unknown key(s) ${issue.keys.join(', ')}; known keys: ${Object.keys(configSchema.shape).join(', ')}.`;
  }
  return undefined;
}
