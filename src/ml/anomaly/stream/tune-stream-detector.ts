import { nabProfiles, type NabProfileName } from '../nab/nab-profiles.js';
import type { NabWindow } from '../nab/nab-windows.js';
import { noveltyScore, type NoveltySettings } from './novelty-score.js';
import { tuneAlarmThreshold, type TunedThreshold } from './tune-alarm-threshold.js';

export interface StreamFile {
  series: Float64Array;
  windows: readonly NabWindow[];
  probation: number;
}

export interface StreamDetectorGrid {
  lengths: number[][];
  calibrationRows: number[];
  holdRows: number[];
}

export interface StreamDetectorSettings extends NoveltySettings {
  holdRows: number;
}

export interface TunedStreamDetector {
  settings: StreamDetectorSettings;
  /** Alarm threshold per NAB profile, tuned on the tuning files with `settings`. */
  thresholds: Record<NabProfileName, TunedThreshold>;
  /** Every setting tried, with its tuned standard-profile score on the tuning files (the choice is the first best). */
  tried: { settings: StreamDetectorSettings; score: number }[];
}

/**
 * Chooses the novelty score's settings and alarm thresholds on labelled
 * tuning files (the validation files: never the test): every combination of
 * the grid, in the grid's order, is scored by NAB's standard profile at its
 * own best threshold, and the first best wins, so listing the simplest
 * settings first breaks ties towards them. Then a threshold per profile.
 */
export function tuneStreamDetector(files: readonly StreamFile[], grid: StreamDetectorGrid): TunedStreamDetector {
  const tried: TunedStreamDetector['tried'] = [];
  let best: { settings: StreamDetectorSettings; score: number } | undefined;
  for (const lengths of grid.lengths)
    for (const calibrationRows of grid.calibrationRows) {
      const scored = files.map((f) => ({
        scores: noveltyScore(f.series, { lengths, calibrationRows }),
        windows: f.windows,
        probation: f.probation,
      }));
      for (const holdRows of grid.holdRows) {
        const settings = { lengths, calibrationRows, holdRows };
        const { score } = tuneAlarmThreshold(scored, nabProfiles.standard, holdRows);
        tried.push({ settings, score });
        if (!best || score > best.score) best = { settings, score };
      }
    }
  const settings = best!.settings;
  const scored = files.map((f) => ({
    scores: noveltyScore(f.series, settings),
    windows: f.windows,
    probation: f.probation,
  }));
  const thresholds = Object.fromEntries(
    (Object.keys(nabProfiles) as NabProfileName[]).map((p) => [
      p,
      tuneAlarmThreshold(scored, nabProfiles[p], settings.holdRows),
    ]),
  ) as Record<NabProfileName, TunedThreshold>;
  return { settings, thresholds, tried };
}
