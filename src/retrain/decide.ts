/**
 * Champion or challenger: the challenger replaces the champion only when it
 * is better on the primary metric by at least `margin`, both measured on the
 * same held-out data. Pure. Without a champion the challenger wins (there is
 * nothing to keep). A NaN metric never wins, and neither does a metric
 * marked `notComparable` (an unsupervised detector on unlabelled data).
 */
import type { EvaluationMetrics } from './types.js';

export interface PromotionPolicy {
  /** Required improvement; 'absolute' in the metric's units, or 'relative' as a share of the champion's value. */
  margin: number;
  marginKind: 'absolute' | 'relative';
}

export const defaultPromotionPolicy: Readonly<PromotionPolicy> = Object.freeze({
  margin: 0.01,
  marginKind: 'absolute',
});

export interface PromotionDecision {
  promote: boolean;
  reason: string;
  /** Improvement in the metric's better direction (positive = challenger better). */
  improvement: number | null;
}

const fmt = (n: number) => (Number.isFinite(n) ? Number(n.toPrecision(4)).toString() : String(n));

export function decidePromotion(
  champion: EvaluationMetrics | undefined,
  challenger: EvaluationMetrics,
  policy: PromotionPolicy,
): PromotionDecision {
  const name = challenger.primary.name;
  const c = challenger.primary.value;
  if (!Number.isFinite(c))
    return { promote: false, improvement: null, reason: `challenger's ${name} is ${c}; keeping the champion` };
  if (!champion) return { promote: true, improvement: null, reason: `no champion yet; challenger ${name} ${fmt(c)}` };
  if (champion.primary.name !== name || champion.primary.higherIsBetter !== challenger.primary.higherIsBetter) {
    return {
      promote: false,
      improvement: null,
      reason: `champion is measured by ${champion.primary.name}, challenger by ${name}: not comparable; keeping the champion`,
    };
  }
  const unranked = challenger.notComparable ?? champion.notComparable;
  if (unranked) {
    const k0 = champion.primary.value;
    return {
      promote: false,
      improvement: null,
      reason: `${name}: challenger ${fmt(c)} vs champion ${fmt(k0)}, but ${unranked}; keeping the champion (promote by hand with smx models promote if the figures convince you)`,
    };
  }
  const k = champion.primary.value;
  if (!Number.isFinite(k))
    return { promote: true, improvement: null, reason: `champion's ${name} is ${k}; challenger ${fmt(c)}` };
  const improvement = challenger.primary.higherIsBetter ? c - k : k - c;
  const required = policy.marginKind === 'relative' ? policy.margin * Math.abs(k) : policy.margin;
  const margin = policy.marginKind === 'relative' ? `${fmt(policy.margin * 100)}% (${fmt(required)})` : fmt(required);
  const summary = `${name}: challenger ${fmt(c)} vs champion ${fmt(k)} (${challenger.primary.higherIsBetter ? 'higher' : 'lower'} is better)`;
  if (improvement >= required && improvement > 0)
    return { promote: true, improvement, reason: `${summary}; better by ${fmt(improvement)} >= margin ${margin}` };
  return {
    promote: false,
    improvement,
    reason: `${summary}; improvement ${fmt(improvement)} is below the margin ${margin}; keeping the champion`,
  };
}
