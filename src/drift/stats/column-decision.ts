/**
 * Turn one column's statistics into a verdict: pick the decisive number for
 * the chosen test, its threshold (column override > test override > default)
 * and compare — p-values drift when below the threshold, distances when at
 * or above it. A p-value test then needs its effect size to reach a floor as
 * well (effectGate): significance alone flags differences of no consequence
 * once samples are large.
 */
import type { TestChoice } from './method-selection.js';
import {
  CATEGORICAL_TESTS,
  type CategoricalStatistics,
  type ColumnDriftResult,
  type CompareOptions,
  DEFAULT_EFFECT_FLOORS,
  DEFAULT_THRESHOLDS,
  type EffectFloors,
  type InvalidCells,
  type NumericStatistics,
  PVALUE_TESTS,
} from '../types.js';

export interface DecisionInput {
  column: string;
  kind: 'numeric' | 'categorical';
  referenceCount: number;
  currentCount: number;
  referenceMissing: number;
  currentMissing: number;
  choice: TestChoice;
  options: CompareOptions;
  numeric?: NumericStatistics;
  categorical?: CategoricalStatistics;
  /** Set (to the minimum) when a side has too few values to test. */
  insufficient?: number;
  referenceInvalid?: InvalidCells;
  currentInvalid?: InvalidCells;
}

interface Score {
  statistic: number | null;
  pValue: number | null;
  score: number | null;
  note?: string;
  /** Decides drift when the score alone cannot (constant reference). */
  override?: boolean;
}

function scoreFor(input: DecisionInput): Score {
  const { numeric: n, categorical: c } = input;
  switch (input.choice.test) {
    case 'ks':
      return { statistic: n!.ks.statistic, pValue: n!.ks.pvalue, score: n!.ks.pvalue };
    case 'mannwhitney':
      return { statistic: n!.mannWhitney!.statistic, pValue: n!.mannWhitney!.pvalue, score: n!.mannWhitney!.pvalue };
    case 'anderson':
      return { statistic: n!.andersonDarling!, pValue: null, score: n!.andersonDarling! };
    case 'wasserstein':
      // Evidently's W / max(σ_ref, 0.001): a constant reference still gives a finite score.
      return {
        statistic: n!.wasserstein,
        pValue: null,
        score: n!.wassersteinScore,
        ...(n!.wassersteinNormed === null ? { note: 'reference is constant; normalised by the 0.001 floor' } : {}),
      };
    case 'psi': {
      const psi = n ? n.psi : c!.psi;
      return { statistic: psi, pValue: null, score: psi };
    }
    case 'chisquare':
      return {
        statistic: c!.chiSquareGoodnessOfFit.statistic,
        pValue: c!.chiSquareGoodnessOfFit.pvalue,
        score: c!.chiSquareGoodnessOfFit.pvalue,
      };
    case 'chisquare-contingency':
      return { statistic: c!.chiSquare.statistic, pValue: c!.chiSquare.pvalue, score: c!.chiSquare.pvalue };
    case 'z':
      return { statistic: c!.z.statistic, pValue: c!.z.pvalue, score: c!.z.pvalue };
    case 'jensenshannon':
      return { statistic: c!.jensenShannon, pValue: null, score: c!.jensenShannon };
  }
}

/** The floors in force for a column: defaults, then per measure, then per column; undefined when gating is off. */
export function effectFloors(options: CompareOptions, column?: string): EffectFloors | undefined {
  const own = column === undefined ? undefined : options.columnEffectFloors?.[column];
  if (options.effectFloors === false && !own) return undefined;
  return { ...DEFAULT_EFFECT_FLOORS, ...(options.effectFloors === false ? undefined : options.effectFloors), ...own };
}

/** The effect size of a column whose p-value test fired, against its floor(s). */
function effectGate(input: DecisionInput, floors: EffectFloors): NonNullable<ColumnDriftResult['effect']> | undefined {
  const n = input.numeric;
  // A numeric column compared as categories (few values) is judged on its categories.
  if (input.categorical && CATEGORICAL_TESTS.includes(input.choice.test)) {
    const value = input.categorical!.jensenShannon;
    return { measure: 'jensenshannon', value, floor: floors.jensenshannon, passed: value >= floors.jensenshannon };
  }
  if (!n) return undefined;
  const value = n.wassersteinScore;
  const spread =
    floors.spread === undefined ? undefined : { value: Math.abs(Math.log(n.spreadRatio)), floor: floors.spread };
  const passed = value >= floors.wasserstein || (spread !== undefined && spread.value >= spread.floor);
  return { measure: 'wasserstein', value, floor: floors.wasserstein, ...(spread ? { spread } : {}), passed };
}

function gateNote(effect: NonNullable<ColumnDriftResult['effect']>, pValue: number): string {
  const name = effect.measure === 'wasserstein' ? 'W/σ' : 'Jensen–Shannon';
  const spread = effect.spread
    ? ` and |ln σ ratio| ${effect.spread.value.toPrecision(3)} < ${effect.spread.floor}`
    : '';
  return `significant (p ${pValue.toPrecision(3)}) but the effect is small: ${name} ${effect.value.toPrecision(3)} < ${effect.floor.toPrecision(3)}${spread}`;
}

export function decideColumn(input: DecisionInput): ColumnDriftResult {
  const { test, chosenBy } = input.choice;
  const isPValue = PVALUE_TESTS.includes(test);
  const threshold =
    input.options.columnThresholds?.[input.column] ?? input.options.thresholds?.[test] ?? DEFAULT_THRESHOLDS[test];
  const common = {
    column: input.column,
    kind: input.kind,
    test,
    chosenBy,
    threshold,
    scoreKind: isPValue ? ('p-value' as const) : ('distance' as const),
    adjustedPValue: null,
    referenceCount: input.referenceCount,
    currentCount: input.currentCount,
    referenceMissing: input.referenceMissing,
    currentMissing: input.currentMissing,
    ...(input.referenceInvalid ? { referenceInvalid: input.referenceInvalid } : {}),
    ...(input.currentInvalid ? { currentInvalid: input.currentInvalid } : {}),
  };
  if (input.insufficient !== undefined) {
    return {
      ...common,
      status: 'insufficient-data',
      note: `needs at least ${input.insufficient} valid values per side (reference ${input.referenceCount}, current ${input.currentCount})`,
      statistic: null,
      pValue: null,
      score: null,
      drifted: false,
    };
  }
  const s = scoreFor(input);
  let drifted: boolean;
  if (s.override !== undefined) drifted = s.override;
  else if (s.score === null || Number.isNaN(s.score)) drifted = false;
  else drifted = isPValue ? s.score < threshold : s.score >= threshold;
  const result: ColumnDriftResult = {
    ...common,
    status: 'tested',
    statistic: s.statistic,
    pValue: s.pValue,
    score: s.score,
    drifted,
  };
  if (s.note !== undefined) result.note = s.note;
  const floors = isPValue ? effectFloors(input.options, input.column) : undefined;
  if (floors) {
    const effect = effectGate(input, floors);
    if (effect) {
      result.effect = effect;
      if (drifted && !effect.passed) {
        result.drifted = false;
        result.note = gateNote(effect, s.pValue ?? Number.NaN);
      }
    }
  }
  const undecided = input.options.undecidedColumns?.[input.column];
  if (undecided !== undefined) {
    result.status = 'insufficient-data';
    result.drifted = false;
    result.note = undecided;
  }
  if (input.numeric) result.numeric = input.numeric;
  if (input.categorical) result.categorical = input.categorical;
  return result;
}
