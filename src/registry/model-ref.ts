import { usageError } from '../errors.js';

/**
 * A model reference on the command line: `NAME` (the champion), `NAME@3`
 * (version 3), `NAME@champion` (or any other alias), `NAME@latest`.
 */
export interface ModelRef {
  name: string;
  selector: { version: number } | { alias: string };
}

const namePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function parseModelRef(text: string): ModelRef {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const rest = at < 0 ? 'champion' : text.slice(at + 1);
  if (!namePattern.test(name))
    throw usageError(`${JSON.stringify(text)} is not a model reference.`, {
      hint: 'Use NAME, NAME@VERSION or NAME@champion, e.g. ai4i-failure@1.',
    });
  if (/^\d+$/.test(rest)) return { name, selector: { version: Number(rest) } };
  if (/^[a-z][a-z0-9-]*$/.test(rest)) return { name, selector: { alias: rest } };
  throw usageError(`${JSON.stringify(text)}: after @ comes a version number or an alias such as champion.`);
}

export function formatRef(name: string, version: number): string {
  return `${name}@${version}`;
}
