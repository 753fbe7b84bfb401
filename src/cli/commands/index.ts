import type { Command } from 'commander';
import { registerGenerate } from './generate.js';
import { registerIngest } from './ingest.js';
import { registerExport } from './export.js';
import { registerValidateHashes } from './validate-hashes.js';
import { registerData } from './data.js';
import { registerMigrate } from './migrate.js';
import { registerDb } from './db.js';
import { registerInit } from './init.js';
import { registerConfig } from './config.js';
import { registerKeys } from './keys.js';
import { registerLoadtest } from './loadtest.js';
import { registerServe } from './serve.js';
import { registerDrift } from './drift.js';
import { registerTrain } from './train.js';
import { registerModels } from './models.js';
import { registerPredict } from './predict.js';
import { registerRetrain } from './retrain.js';
import { registerEvents } from './events.js';

/**
 * The command table. Each register function only declares flags; the work is
 * imported lazily inside its action, so `smx --help` stays fast.
 */
export function registerCommands(program: Command): void {
  registerIngest(program);
  registerExport(program);
  registerGenerate(program);
  registerTrain(program);
  registerModels(program);
  registerPredict(program);
  registerDrift(program);
  registerRetrain(program);
  registerEvents(program);
  registerValidateHashes(program);
  registerData(program);
  registerKeys(program);
  registerLoadtest(program);
  registerServe(program);
  registerMigrate(program);
  registerDb(program);
  registerInit(program);
  registerConfig(program);
}
