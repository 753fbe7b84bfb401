/** The webhook text of a retrain outcome: one Slack-friendly line, plus structured fields. Pure. */
import type { WebhookMessage } from './webhook-notifier.js';
import type { RetrainOutcome, RetrainTrigger } from './types.js';

const icon: Record<RetrainOutcome['status'], string> = {
  promoted: ':white_check_mark:',
  rejected: ':large_blue_circle:',
  failed: ':x:',
  skipped: ':fast_forward:',
};

export function retrainMessage(outcome: RetrainOutcome, trigger: RetrainTrigger): WebhookMessage {
  const versions = outcome.challengerVersion
    ? ` (challenger v${outcome.challengerVersion}${outcome.championVersion ? `, champion v${outcome.championVersion}` : ''})`
    : '';
  const cause =
    trigger.kind === 'event'
      ? `drift in ${(trigger.sensorIds ?? []).join(', ') || 'its sensors'}`
      : `${trigger.kind} run`;
  return {
    text: `${icon[outcome.status]} smx retrain *${outcome.model}*: ${outcome.status}${versions} after ${cause}. ${outcome.reason}`,
    smx: {
      model: outcome.model,
      status: outcome.status,
      reason: outcome.reason,
      retrainRunId: outcome.runId,
      championVersion: outcome.championVersion ?? null,
      challengerVersion: outcome.challengerVersion ?? null,
      championMetric: outcome.championMetrics?.primary ?? null,
      challengerMetric: outcome.challengerMetrics?.primary ?? null,
      trigger: trigger.kind,
      eventId: trigger.eventId ?? null,
      window: outcome.window ?? null,
    },
  };
}
