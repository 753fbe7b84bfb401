import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SmxError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import type { SourceFingerprint, StageContext, StageNode } from './stage.js';
import { stageKey, type StageCache } from './stage-cache.js';

/**
 * Runs a stage graph the way `dvc repro` does: every node's key is computed up
 * front from its params, its code version and its inputs' keys (a source's key
 * from the hashes of its data), then the wanted nodes are resolved backwards. A
 * node whose key is in the cache is loaded instead of run, and then its inputs
 * are not needed at all, so an unchanged pipeline goes straight to the result.
 * `force` ignores the cache (outputs are still written back).
 */
export type StageStatus = 'cached' | 'ran' | 'not needed';

export interface StageReport {
  id: string;
  kind: string;
  key: string;
  status: StageStatus;
  seconds: number;
}

export interface StageRun {
  outputs: Map<string, unknown>;
  keys: Map<string, string>;
  /** Every node in graph order with what happened to it so far (including later resolve() calls). */
  readonly reports: StageReport[];
  fingerprints: Map<string, SourceFingerprint>;
  /** Resolves one more node after the wanted ones (e.g. the model of the seed chosen from the evaluations). */
  resolve(id: string): Promise<unknown>;
}

let cachedVersion: string | undefined;
/** smx's package version: part of every key, so an upgrade never reuses outputs of older code. */
export function codeVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  return cachedVersion;
}

/**
 * A cache entry that cannot be decoded (a truncated or damaged file) is a miss:
 * the stage runs again and its output replaces the entry, as `dvc repro` does.
 */
function readEntry(cache: StageCache, key: string): { value: unknown } | undefined {
  try {
    return { value: cache.get(key) };
  } catch {
    return undefined;
  }
}

export async function runStages(
  nodes: readonly StageNode[],
  options: { cache: StageCache; context: StageContext; want: readonly string[]; force?: boolean },
): Promise<StageRun> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const keys = new Map<string, string>();
  const fingerprints = new Map<string, SourceFingerprint>();
  for (const node of nodes) {
    let inputKeys = node.inputs.map((id) => {
      const key = keys.get(id);
      if (!key) throw new SmxError('INTERNAL', `stage ${node.id} reads ${id}, which is not an earlier stage`);
      return key;
    });
    if (node.fingerprint) {
      const fp = await node.fingerprint(options.context);
      fingerprints.set(node.id, fp);
      inputKeys = [...inputKeys, `data:${fp.hash}`];
    }
    keys.set(
      node.id,
      stageKey({
        kind: node.kind,
        version: node.version,
        codeVersion: codeVersion(),
        params: node.params,
        inputs: inputKeys,
      }),
    );
  }

  const outputs = new Map<string, unknown>();
  const reports = new Map<string, StageReport>();
  const resolve = async (id: string): Promise<unknown> => {
    if (outputs.has(id)) return outputs.get(id);
    const node = byId.get(id)!;
    const key = keys.get(id)!;
    options.context.signal?.throwIfAborted();
    const started = performance.now();
    let value: unknown;
    let status: StageStatus;
    const hit = !options.force && options.cache.has(key) ? readEntry(options.cache, key) : undefined;
    if (hit) {
      value = hit.value;
      status = 'cached';
    } else {
      const inputs: unknown[] = [];
      for (const input of node.inputs) inputs.push(await resolve(input));
      const fp = fingerprints.get(id);
      const runStarted = performance.now();
      value = fp && node.runWith ? await node.runWith(fp, options.context) : await node.run(inputs, options.context);
      options.cache.put(key, value);
      status = 'ran';
      reports.set(id, { id, kind: node.kind, key, status, seconds: (performance.now() - runStarted) / 1000 });
    }
    if (status === 'cached')
      reports.set(id, { id, kind: node.kind, key, status, seconds: (performance.now() - started) / 1000 });
    outputs.set(id, value);
    return value;
  };
  for (const id of options.want) await resolve(id);
  return {
    outputs,
    keys,
    get reports() {
      return nodes.map(
        (n) =>
          reports.get(n.id) ?? {
            id: n.id,
            kind: n.kind,
            key: keys.get(n.id)!,
            status: 'not needed' as const,
            seconds: 0,
          },
      );
    },
    fingerprints,
    resolve: (id: string) => {
      if (!byId.has(id)) throw new SmxError('INTERNAL', `no stage ${id} in this graph`);
      return resolve(id);
    },
  };
}
