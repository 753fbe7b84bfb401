/**
 * A `smx retrain --watch` in a process of its own, for the kill -9 test
 * (orphaned-runs.test.ts): it watches drift events on the Postgres bus with a
 * short lease, and its trainer never finishes training, so the test can kill
 * it in the middle of a run. It prints "training <model>" when a run starts.
 *   node dist/test/retrain/watcher-process.js <database-url>
 */
import { createDb, createPool } from '../../src/db/postgres-db.js';
import { createPostgresEventBus } from '../../src/events/postgres-event-bus.js';
import { defaultRetrainSettings } from '../../src/retrain/run-retrain.js';
import { watchDrift } from '../../src/retrain/watch-drift.js';
import type { DataWindow } from '../../src/retrain/types.js';
import { MemoryTrainer } from './memory-trainer.js';

class HangingTrainer extends MemoryTrainer {
  override async train(model: string, _window: DataWindow, _signal: AbortSignal): Promise<{ version: string }> {
    process.stdout.write(`training ${model}\n`);
    return new Promise(() => undefined); // never: the test kills this process here
  }
}

const db = createDb(createPool(process.argv[2]!, { max: 4 }));
const bus = createPostgresEventBus(db);
const trainer = new HangingTrainer([{ model: 'pump-health', sensors: ['pump-1'] }]);
await watchDrift({ db, trainer, bus }, defaultRetrainSettings, {
  signal: new AbortController().signal,
  consumer: 'doomed-watcher',
  pollMs: 100,
  visibilityMs: 1500,
});
