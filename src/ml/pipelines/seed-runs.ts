import { createHash } from 'node:crypto';
import type { PipelineSpec } from '../../pipeline/schema.js';
import type { StageNode } from '../../pipeline/stage.js';
import { canonicalJson } from '../../pipeline/stage-cache.js';
import { withSeed } from '../../pipeline/seeds.js';
import { summariseSeeds } from '../metrics/seed-summary.js';
import { buildStages } from './build-stages.js';
import type { Metrics } from './evaluate-stage.js';

/**
 * A pipeline evaluated over several seeds (`seeds:` in the YAML, `--seeds N`;
 * which params vary: src/pipeline/seeds.ts). The stages that take no seed (the
 * source, most feature stages) have the same params in every run and appear
 * once in the combined graph: they run (or load from the cache) once.
 */

export interface SeedGraph {
  nodes: StageNode[];
  /** Per seed (in order), the ids of its split, model and evaluation nodes in `nodes`. */
  runs: { seed: number; ids: Map<string, string> }[];
}

/**
 * One stage graph for all seeds. A node whose params and inputs are the same
 * in every seed's graph keeps its plain id (`source`, `features.0`); the
 * others are copied per seed with ids like `model@seed3`. Node keys do not
 * depend on ids, so the stage cache is shared with single-seed runs.
 */
export function buildSeedGraph(spec: PipelineSpec, seeds: readonly number[]): SeedGraph {
  const graphs = seeds.map((seed) => buildStages(withSeed(spec, seed)));
  const shared = new Set<string>();
  const base = graphs[0]!;
  for (const node of base) {
    const same = graphs.every((g) => {
      const other = g.find((n) => n.id === node.id)!;
      return canonicalJson(other.params) === canonicalJson(node.params) && other.version === node.version;
    });
    if (same && node.inputs.every((id) => shared.has(id))) shared.add(node.id);
  }
  const nodes: StageNode[] = base.filter((n) => shared.has(n.id));
  const runs = graphs.map((graph, i) => {
    const seed = seeds[i]!;
    const rename = (id: string) => (shared.has(id) ? id : `${id}@seed${seed}`);
    const ids = new Map<string, string>();
    for (const node of graph) {
      ids.set(node.id, rename(node.id));
      if (!shared.has(node.id)) nodes.push({ ...node, id: rename(node.id), inputs: node.inputs.map(rename) });
    }
    return { seed, ids };
  });
  return { nodes, runs };
}

/**
 * The identity of a run over seeds: the seeds and each seed's evaluation key.
 * (A single-seed pipeline's identity stays its evaluation key, so committed
 * versions trained before seeds existed are still recognised.)
 */
export function seedRunKey(runs: readonly { seed: number; evaluationKey: string }[]): string {
  return createHash('sha256')
    .update(canonicalJson({ kind: 'seeds', version: '1', runs: runs.map((r) => [r.seed, r.evaluationKey]) }))
    .digest('hex');
}

/**
 * The metrics.json of a run over seeds: the headline (`primary.value`,
 * `metrics`) is the mean over seeds, `seeds` holds the sd and each seed's
 * figures, and the rest (split, detail, row counts) is the registered seed's
 * own evaluation: the seed whose primary metric is nearest the mean.
 */
export function seedMetrics(runs: readonly { seed: number; metrics: Metrics }[]): Metrics {
  const summary = summariseSeeds(
    runs.map((r) => ({ seed: r.seed, primary: r.metrics.primary.value, metrics: r.metrics.metrics })),
  );
  const chosen = runs.find((r) => r.seed === summary.registered)!.metrics;
  return {
    ...chosen,
    primary: { ...chosen.primary, value: summary.primary.mean },
    metrics: Object.fromEntries(Object.entries(summary.metrics).map(([name, m]) => [name, m.mean])),
    seeds: summary,
  };
}
