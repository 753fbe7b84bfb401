import { confusionLayout } from '../ml/pipelines/confusion-layout.js';
import type { Metrics } from '../ml/metrics/types.js';
import { describeSeeds, formatMeanSd } from '../ml/metrics/seed-summary.js';

/** MODEL_CARD.md: what the model is, how it was evaluated, the figures beside their references, and its limits. */
export interface ModelCardInput {
  name: string;
  version: number;
  description: string;
  modelKind: string;
  domain: string;
  featureNames: string[];
  params: Record<string, unknown>;
  metrics: Metrics;
  dataHashes: Record<string, string>;
  claims: Record<string, string>;
  createdAt: string;
}

const fmt = (v: number | undefined) =>
  v === undefined ? '—' : Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4)) : 'n/a';

export function renderModelCard(c: ModelCardInput): string {
  const m = c.metrics;
  const refMetrics = m.reference?.metrics ?? {};
  const names = [...new Set([...Object.keys(m.metrics), ...Object.keys(refMetrics)])];
  const confusion = confusionLayout(m);
  const s = m.seeds;
  const own = s?.perSeed.find((r) => r.seed === s.registered);
  const refHead = m.reference ? ' reference |' : '';
  const refRule = m.reference ? ' --- |' : '';
  const ref = (n: string) => (m.reference ? ` ${fmt(refMetrics[n])} |` : '');
  const metricRows = s
    ? [
        `| metric | mean ± sd (${s.seeds.length} seeds) | seed ${s.registered} (registered) |${refHead}`,
        `| --- | --- | --- |${refRule}`,
        ...names.map(
          (n) => `| ${n} | ${s.metrics[n] ? formatMeanSd(s.metrics[n]) : '—'} | ${fmt(own?.metrics[n])} |${ref(n)}`,
        ),
      ]
    : [
        `| metric | measured |${refHead}`,
        `| --- | --- |${refRule}`,
        ...names.map((n) => `| ${n} | ${fmt(m.metrics[n])} |${ref(n)}`),
      ];
  const lines = [
    `# ${c.name} v${c.version}`,
    '',
    c.description.trim(),
    '',
    `- Model: ${c.modelKind}; domain: ${c.domain}; registered ${c.createdAt}`,
    `- Evaluation: ${m.split}; ${m.nFit} fit rows, ${m.nTest} test rows`,
    s
      ? `- Primary metric: ${m.primary.name} = ${formatMeanSd(s.primary)} (mean ± sd over ${describeSeeds(s.seeds)}, ${m.primary.higherIsBetter ? 'higher' : 'lower'} is better); this version is seed ${s.registered} (${fmt(own?.primary)}), ${s.rule}`
      : `- Primary metric: ${m.primary.name} = ${fmt(m.primary.value)} (${m.primary.higherIsBetter ? 'higher' : 'lower'} is better; one run, not a mean over seeds)`,
    '',
    '## Metrics',
    '',
    ...metricRows,
    '',
    ...(m.reference ? [`Reference: ${m.reference.source}.`, ''] : []),
    ...(s
      ? [`${m.primary.name} per seed: ${s.perSeed.map((r) => `${r.seed}: ${fmt(r.primary)}`).join(', ')}.`, '']
      : []),
    ...(confusion
      ? [
          `Confusion matrix on the test rows${s ? ` of seed ${s.registered}` : ''} (rows: actual class, columns: predicted):`,
          '',
          `| ${confusion.head.join(' | ')} |`,
          `|${' --- |'.repeat(confusion.head.length)}`,
          ...confusion.rows.map((r) => `| ${r.join(' | ')} |`),
          '',
        ]
      : []),
    ...(Object.keys(c.claims).length
      ? ['## Claims elsewhere', '', ...Object.entries(c.claims).map(([k, v]) => `- ${k}: ${v}`), '']
      : []),
    '## Inputs',
    '',
    `${c.featureNames.length} features, in order (feature_names.txt): ${c.featureNames.join(', ')}.`,
    '',
    '## Data',
    '',
    ...Object.entries(c.dataHashes).map(([file, sha]) => `- \`${file}\` sha256 ${sha}`),
    '',
    '## Parameters',
    '',
    '```json',
    JSON.stringify(c.params, null, 2),
    '```',
    '',
  ];
  return lines.join('\n');
}
