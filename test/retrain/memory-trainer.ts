import type { DataWindow, EvaluationMetrics, RetrainTarget, Trainer } from '../../src/retrain/types.js';

/**
 * A deterministic Trainer for the retrain loop's tests: versions count up,
 * each version's held-out score is set by the test, and `gate` can hold
 * training open to overlap two runs. Every call is logged.
 */
export class MemoryTrainer implements Trainer {
  readonly calls: string[] = [];
  readonly windows: DataWindow[] = [];
  private readonly versions = new Map<string, number>();
  private readonly champions = new Map<string, string>();
  /** Score per "model@version"; the next challenger's score when absent. */
  readonly scores = new Map<string, number>();
  nextScore = 0.9;
  gate: Promise<void> | undefined;
  failTraining: Error | undefined;

  constructor(private readonly watched: RetrainTarget[]) {
    for (const t of watched) {
      this.versions.set(t.model, 1);
      this.champions.set(t.model, '1');
      this.scores.set(`${t.model}@1`, 0.8);
    }
  }

  async targets(): Promise<RetrainTarget[]> {
    return this.watched;
  }

  async champion(model: string): Promise<string | undefined> {
    return this.champions.get(model);
  }

  async train(model: string, window: DataWindow, signal: AbortSignal): Promise<{ version: string }> {
    this.calls.push(`train ${model}`);
    this.windows.push(window);
    if (this.gate) {
      await Promise.race([
        this.gate,
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
        ),
      ]);
    }
    if (this.failTraining) throw this.failTraining;
    const version = (this.versions.get(model) ?? 0) + 1;
    this.versions.set(model, version);
    if (!this.scores.has(`${model}@${version}`)) this.scores.set(`${model}@${version}`, this.nextScore);
    return { version: String(version) };
  }

  async evaluate(model: string, version: string, window: DataWindow): Promise<EvaluationMetrics> {
    this.calls.push(`evaluate ${model}@${version} on ${window.heldOutFrom}..${window.to}`);
    const value = this.scores.get(`${model}@${version}`) ?? Number.NaN;
    return { primary: { name: 'f1', value, higherIsBetter: true }, values: { f1: value } };
  }

  async promote(model: string, version: string): Promise<void> {
    this.calls.push(`promote ${model}@${version}`);
    this.champions.set(model, version);
  }
}
