import path from 'node:path';
import { updateManifest } from '../integrity/update-manifest.js';
import { notFoundError, usageError } from '../errors.js';
import { loadModel, resolveVersion, type LoadedModel } from './load-model.js';
import { readRegistry, withRegistryLock, writeRegistry, type VersionEntry } from './registry-index.js';

/** One row of `smx models list`. */
export interface ModelSummary {
  name: string;
  version: number;
  aliases: string[];
  domain: string;
  modelKind: string;
  primary: VersionEntry['primary'];
  createdAt: string;
}

export async function listModels(modelsDir: string, options: { domain?: string } = {}): Promise<ModelSummary[]> {
  const index = await readRegistry(modelsDir);
  const out: ModelSummary[] = [];
  for (const [name, entry] of Object.entries(index.models)) {
    for (const v of entry.versions) {
      if (options.domain && v.tags.domain !== options.domain) continue;
      out.push({
        name,
        version: v.version,
        aliases: Object.entries(entry.aliases)
          .filter(([, n]) => n === v.version)
          .map(([a]) => a),
        domain: v.tags.domain ?? '',
        modelKind: v.modelKind,
        primary: v.primary,
        createdAt: v.createdAt,
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
}

/** Points the champion alias of `name` at `version`; returns the previous champion. */
export async function promote(
  modelsDir: string,
  name: string,
  version: number,
  alias = 'champion',
): Promise<{ name: string; version: number; previous: number | null }> {
  const result = await withRegistryLock(modelsDir, async () => {
    const index = await readRegistry(modelsDir);
    const { entry } = resolveVersion(index, { name, selector: { version } });
    const previous = entry.aliases[alias] ?? null;
    entry.aliases[alias] = version;
    await writeRegistry(modelsDir, index);
    return { name, version, previous };
  });
  await updateManifest(modelsDir);
  return result;
}

export interface Comparison {
  name: string;
  a: LoadedModel;
  b: LoadedModel;
  rows: { metric: string; a: number | null; b: number | null; delta: number | null }[];
  /** Which version is better on the primary metric (null when they tie or it differs in kind). */
  better: number | null;
}

export async function compareVersions(modelsDir: string, name: string, v1: number, v2: number): Promise<Comparison> {
  const a = await loadModel(modelsDir, { name, selector: { version: v1 } });
  const b = await loadModel(modelsDir, { name, selector: { version: v2 } });
  const names = [...new Set([...Object.keys(a.metrics.metrics), ...Object.keys(b.metrics.metrics)])];
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const rows = names.map((metric) => {
    const x = num(a.metrics.metrics[metric]);
    const y = num(b.metrics.metrics[metric]);
    return { metric, a: x, b: y, delta: x !== null && y !== null ? y - x : null };
  });
  const pa = a.metrics.primary;
  const pb = b.metrics.primary;
  let better: number | null = null;
  if (pa.name === pb.name && pa.value !== pb.value && num(pa.value) !== null && num(pb.value) !== null) {
    better = pb.value > pa.value === pa.higherIsBetter ? v2 : v1;
  }
  return { name, a, b, rows, better };
}

/**
 * The best champion for a sensor domain: among models tagged domain=D, each
 * name's champion. When they share a primary metric they are ranked by it;
 * when they do not (a classifier's macro-F1 beside a detector's ROC-AUC),
 * they are ranked by a metric every one of them reports, ROC-AUC first, so
 * unlike figures are never compared. `rankedBy` says which metric decided.
 */
export async function recommend(
  modelsDir: string,
  domain: string,
): Promise<{ best: ModelSummary; alternatives: ModelSummary[]; rankedBy: { name: string; higherIsBetter: boolean } }> {
  const index = await readRegistry(modelsDir);
  const champions: { summary: ModelSummary; metrics: Record<string, number> }[] = [];
  for (const [name, entry] of Object.entries(index.models)) {
    const number = entry.aliases.champion;
    const v = entry.versions.find((x) => x.version === number);
    if (!v || v.tags.domain !== domain) continue;
    const loaded = await loadModel(modelsDir, { name, selector: { version: v.version } });
    champions.push({
      summary: {
        name,
        version: v.version,
        aliases: ['champion'],
        domain,
        modelKind: v.modelKind,
        primary: v.primary,
        createdAt: v.createdAt,
      },
      metrics: loaded.metrics.metrics,
    });
  }
  if (champions.length === 0) {
    const domains = [
      ...new Set(Object.values(index.models).flatMap((e) => e.versions.map((v) => v.tags.domain))),
    ].filter(Boolean);
    throw notFoundError(`No champion model is tagged domain=${domain}.`, {
      hint: `Domains in the registry: ${domains.join(', ') || 'none'}.`,
    });
  }
  const primaries = new Set(champions.map((c) => c.summary.primary.name));
  const shared = (name: string) =>
    champions.every((c) => typeof c.metrics[name] === 'number' && Number.isFinite(c.metrics[name]));
  let rankedBy: { name: string; higherIsBetter: boolean };
  if (primaries.size === 1)
    rankedBy = {
      name: champions[0]!.summary.primary.name,
      higherIsBetter: champions[0]!.summary.primary.higherIsBetter,
    };
  else if (shared('roc_auc')) rankedBy = { name: 'roc_auc', higherIsBetter: true };
  else if (shared('macro_f1')) rankedBy = { name: 'macro_f1', higherIsBetter: true };
  else
    rankedBy = {
      name: champions[0]!.summary.primary.name,
      higherIsBetter: champions[0]!.summary.primary.higherIsBetter,
    };
  const score = (c: (typeof champions)[number]) => {
    const v = rankedBy.name === c.summary.primary.name ? c.summary.primary.value : c.metrics[rankedBy.name];
    return typeof v === 'number' && Number.isFinite(v) ? (rankedBy.higherIsBetter ? v : -v) : -Infinity;
  };
  champions.sort((x, y) => score(y) - score(x) || x.summary.name.localeCompare(y.summary.name));
  return { best: champions[0]!.summary, alternatives: champions.slice(1).map((c) => c.summary), rankedBy };
}

export function parseVersionArg(value: string, what = 'VERSION'): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw usageError(`${what} must be a version number (1, 2, …); got ${JSON.stringify(value)}.`);
  return Number(value);
}

export const versionDir = (modelsDir: string, name: string, version: number) =>
  path.join(modelsDir, name, String(version));
