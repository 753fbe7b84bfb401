/**
 * NAB's application profiles (numenta/NAB config/profiles.json): the weight
 * of a detected window (tp), of each false positive (fp) and of a missed
 * window (fn). True negatives carry no weight in NAB's scoring.
 */
export interface NabProfile {
  name: string;
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export const nabProfiles = {
  standard: { name: 'standard', tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { name: 'reward_low_FP_rate', tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { name: 'reward_low_FN_rate', tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
} as const satisfies Record<string, NabProfile>;

export type NabProfileName = keyof typeof nabProfiles;
export const nabProfileNames = Object.keys(nabProfiles) as NabProfileName[];

/**
 * Rows at the start of a file that NAB never scores (the detector's learning
 * time): floor(15 % of the rows), at most 750 (NAB sweeper `_getProbationaryLength`:
 * min(floor(0.15 n), 0.15 × 5000)).
 */
export function probationRows(rows: number, share = 0.15): number {
  return Math.min(Math.floor(share * rows), share * 5000);
}
