/**
 * Figures over several seeds. A single seed's figure is one draw of the split
 * and the model's randomness (AI4I's seed-42 holdout was +1.8 sd above the
 * mean of ten), so the headline of an evaluation run over seeds is the mean ±
 * the sample standard deviation (n − 1), and the version registered is the run
 * whose primary metric is nearest that mean, never the best one.
 *
 * Generic over evaluation kinds: it reads only `primary` and the flat
 * `metrics` record, so any evaluation (classification, regression, anomaly,
 * forecast, remaining useful life…) aggregates the same way.
 */
export interface MeanSd {
  mean: number;
  sd: number;
  /** Seeds whose value was finite (a metric undefined on a test set, e.g. ROC-AUC with one class, is left out). */
  n: number;
}

/** What one seed's run contributes: its flat metrics and the primary metric's value. */
export interface SeedRun {
  seed: number;
  primary: number;
  metrics: Record<string, number>;
}

export interface SeedSummary {
  /** The seeds, in run order. */
  seeds: number[];
  /** The seed whose model is registered: its primary metric is nearest the mean (ties: the earlier seed). */
  registered: number;
  rule: string;
  primary: MeanSd;
  /** Mean, sd and n of every flat metric, in the order the first seed reported them. */
  metrics: Record<string, MeanSd>;
  perSeed: SeedRun[];
}

/** Mean and sample standard deviation (n − 1; 0 for a single value) of the finite values. */
export function meanSd(values: readonly number[]): MeanSd {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN, n: 0 };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, sd: 0, n };
  const ss = finite.reduce((a, v) => a + (v - mean) * (v - mean), 0);
  return { mean, sd: Math.sqrt(ss / (n - 1)), n };
}

/** Index of the run whose primary value is nearest the mean of all runs' (the first on a tie). */
export function nearestToMean(values: readonly number[]): number {
  const { mean } = meanSd(values);
  let best = 0;
  let bestDistance = Infinity;
  values.forEach((v, i) => {
    const d = Number.isFinite(v) ? Math.abs(v - mean) : Infinity;
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}

export function summariseSeeds(runs: readonly SeedRun[]): SeedSummary {
  if (runs.length === 0) throw new RangeError('summariseSeeds needs at least one run');
  const names: string[] = [];
  for (const r of runs) for (const name of Object.keys(r.metrics)) if (!names.includes(name)) names.push(name);
  const metrics: Record<string, MeanSd> = {};
  for (const name of names) metrics[name] = meanSd(runs.map((r) => r.metrics[name] ?? Number.NaN));
  const chosen = nearestToMean(runs.map((r) => r.primary));
  return {
    seeds: runs.map((r) => r.seed),
    registered: runs[chosen]!.seed,
    rule: 'the seed whose primary metric is nearest the mean over seeds (not the best seed)',
    primary: meanSd(runs.map((r) => r.primary)),
    metrics,
    perSeed: runs.map((r) => ({ seed: r.seed, primary: r.primary, metrics: { ...r.metrics } })),
  };
}

/** "0.851 ± 0.019" (4 decimals below 100, as the metric tables print). */
export function formatMeanSd(m: MeanSd, digits = 4): string {
  if (!Number.isFinite(m.mean)) return 'n/a';
  const f = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(digits));
  return `${f(m.mean)} ± ${f(m.sd)}`;
}

/** "seeds 0–9" for a run of consecutive seeds, else "seeds 1, 4, 9". */
export function describeSeeds(seeds: readonly number[]): string {
  const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1]! + 1);
  if (seeds.length === 1) return `seed ${seeds[0]}`;
  return consecutive && seeds.length > 2 ? `seeds ${seeds[0]}–${seeds[seeds.length - 1]}` : `seeds ${seeds.join(', ')}`;
}
