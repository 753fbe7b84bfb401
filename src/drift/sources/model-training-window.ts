/**
 * The data window a registered model version was trained on, for
 * `--reference model:NAME[@VERSION]`: a retrained version records it as the
 * registry tag trainedOn = "FROM..TO" (retrain/pipeline-trainer.ts). A version
 * trained by `smx train` on whatever its query returned has no such window;
 * that is a usage error naming what to do instead.
 */
import { loadModel } from '../../registry/load-model.js';
import { usageError } from '../../errors.js';

export async function modelTrainingWindow(
  modelsDir: string,
  ref: string,
): Promise<{ from: Date; to: Date; label: string }> {
  const model = await loadModel(modelsDir, ref);
  const label = `${model.name}@${model.version}`;
  const window = /^(.+)\.\.(.+)$/.exec(model.entry.tags.trainedOn ?? '');
  const from = window ? new Date(window[1]!) : undefined;
  const to = window ? new Date(window[2]!) : undefined;
  if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || !(to > from)) {
    throw usageError(`${label} records no training window (tag trainedOn = FROM..TO).`, {
      hint: 'Versions made by `smx retrain` record it; for another version pin the window as a baseline: smx drift baseline set NAME --window FROM..TO.',
    });
  }
  return { from, to, label };
}
