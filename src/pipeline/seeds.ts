import type { PipelineSpec } from './schema.js';

/**
 * Which params a seed run varies. Run i of a pipeline with `seeds:` sets every
 * `seed` key of the split, the feature stages, the model and the evaluation to
 * seed i, so any seeded part (a split's draw, a forest's bootstrap, a
 * detector's subsampling, an autoencoder's initial weights) varies, whatever
 * its kind: a new stage with a `seed` param takes part without registering.
 */
/** The seeds of a pipeline: `seeds: N` is 0…N−1, a list is taken as written; absent → null (one run as written). */
export function seedsOf(spec: Pick<PipelineSpec, 'seeds'>): number[] | null {
  if (spec.seeds === undefined) return null;
  return typeof spec.seeds === 'number' ? Array.from({ length: spec.seeds }, (_, i) => i) : [...spec.seeds];
}

const seededSections = ['split', 'features', 'model', 'evaluation'] as const;

/** Paths of every `seed` key in the seeded sections (what a seed run replaces), e.g. ['split','seed']. */
export function seedPaths(spec: PipelineSpec): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i]));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        if (k === 'seed' && typeof v === 'number') out.push([...at, k]);
        else walk(v, [...at, k]);
      }
  };
  for (const section of seededSections) walk(spec[section], [section]);
  return out;
}

/** The spec with every `seed` param set to `seed` (a deep copy; the input is not changed). */
export function withSeed(spec: PipelineSpec, seed: number): PipelineSpec {
  const copy = structuredClone(spec);
  for (const p of seedPaths(spec)) {
    let target = copy as unknown as Record<string | number, unknown>;
    for (const part of p.slice(0, -1)) target = target[part] as Record<string | number, unknown>;
    target[p[p.length - 1]!] = seed;
  }
  return copy;
}
