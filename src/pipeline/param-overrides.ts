import { parse as parseYamlValue } from 'yaml';
import { usageError } from '../errors.js';

/**
 * `--param key=value` overrides: the key is a dotted path into the pipeline
 * document (`model.params.nEstimators`, `split.seed`, `features.0.window`), the
 * value is read as a YAML scalar (so `50` is a number, `true` a boolean and
 * `[1,2]` a list). They are applied to the document before validation, so the
 * frozen pipeline.yaml records exactly what ran.
 */
export interface ParamOverride {
  key: string;
  path: (string | number)[];
  value: unknown;
}

export function parseParamOverride(text: string): ParamOverride {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw usageError(`--param ${JSON.stringify(text)} is not key=value.`, {
      hint: 'e.g. --param model.params.nEstimators=50',
    });
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(key)) {
    throw usageError(`--param key ${JSON.stringify(key)} must be a dotted path such as model.params.nEstimators.`);
  }
  let value: unknown;
  try {
    value = raw.trim() === '' ? '' : parseYamlValue(raw);
  } catch (error) {
    throw usageError(`--param ${key}: ${JSON.stringify(raw)} is not a valid YAML value.`, { cause: error });
  }
  const path = key.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return { key, path, value };
}
