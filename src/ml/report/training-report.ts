import { formatNumber } from '../../report/format-number.js';
import { card, escapeHtml, htmlPage, note, table } from '../../report/html-page.js';
import { xyChart, type ChartLayer } from '../../report/svg-chart.js';
import { barChart } from '../../report/svg-grid-charts.js';
import { describeSeeds, formatMeanSd } from '../metrics/seed-summary.js';
import type { Metrics } from '../pipelines/evaluate-stage.js';
import type { ReportData } from './report-section.js';
import { reportSections } from './report-sections.js';

/**
 * The training report: one self-contained HTML page for one registered version
 * (or two side by side). Everything it draws comes from metrics.json and
 * report-data.json, so it is pure and needs neither the data nor the model.
 */
export interface ReportView {
  /** "ai4i-failure@3". */
  label: string;
  description: string;
  modelKind: string;
  metrics: Metrics;
  /** report-data.json; null for versions registered before it existed (then only the tables and importances show). */
  data: ReportData | null;
  params?: Record<string, unknown>;
  registeredAt?: string;
}

export interface ReportOptions {
  /** Shown in the header; passed in so rendering stays pure. */
  generatedAt?: string;
}

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4);

function headline(m: Metrics): string {
  const s = m.seeds;
  const dir = m.primary.higherIsBetter ? 'higher is better' : 'lower is better';
  if (!s)
    return `<p class="headline">${escapeHtml(m.primary.name)} <b>${escapeHtml(fmt(m.primary.value))}</b> <span class="note">(${dir}; one run, not a mean over seeds)</span></p>`;
  const own = s.perSeed.find((r) => r.seed === s.registered)?.primary;
  return `<p class="headline">${escapeHtml(m.primary.name)} <b>${escapeHtml(formatMeanSd(s.primary))}</b> <span class="note">(mean ± sd over ${escapeHtml(describeSeeds(s.seeds))}, ${dir}; the model is seed ${s.registered}, ${escapeHtml(fmt(own))}, nearest the mean)</span></p>`;
}

function figuresTable(m: Metrics): string {
  const ref = m.reference?.metrics ?? {};
  const names = [...new Set([...Object.keys(m.metrics), ...Object.keys(ref)])];
  const s = m.seeds;
  const own = s?.perSeed.find((r) => r.seed === s.registered);
  const head = s
    ? ['metric', `mean ± sd (${s.seeds.length} seeds)`, `seed ${s.registered} (registered)`]
    : ['metric', 'measured'];
  const rows = names.map((n) => {
    const cells = s
      ? [n, s.metrics[n] ? formatMeanSd(s.metrics[n]) : '—', fmt(own?.metrics[n])]
      : [n, fmt(m.metrics[n])];
    return m.reference ? [...cells, fmt(ref[n])] : cells;
  });
  const numeric = head.map((_, j) => j).filter((j) => j > 0);
  return (
    table(m.reference ? [...head, 'reference'] : head, rows, {
      numeric: m.reference ? [...numeric, head.length] : numeric,
      strong: [names.indexOf(m.primary.name)],
    }) + (m.reference ? note(`Reference: ${m.reference.source}.`) : '')
  );
}

/** The primary metric per seed, the mean and ± sd band, and the reference figure when there is one. */
function seedsChart(m: Metrics, label: string): string {
  const s = m.seeds!;
  const xs = s.perSeed.map((r) => r.seed);
  const lo = Math.min(...xs) - 0.5;
  const hi = Math.max(...xs) + 0.5;
  const refValue = m.reference?.metrics[m.primary.name];
  const layers: ChartLayer[] = [
    {
      kind: 'bands',
      name: '± sd',
      ranges: [[lo, hi]],
      y: [s.primary.mean - s.primary.sd, s.primary.mean + s.primary.sd],
      color: '#4c78a8',
      opacity: 0.15,
    },
    { kind: 'hline', name: `mean ${fmt(s.primary.mean)}`, value: s.primary.mean, color: '#4c78a8', dash: false },
    ...(refValue !== undefined
      ? [{ kind: 'hline' as const, name: `reference ${fmt(refValue)}`, value: refValue, color: '#f58518' }]
      : []),
    {
      kind: 'points',
      name: 'seed',
      x: xs,
      y: s.perSeed.map((r) => r.primary),
      radius: 4,
      color: '#1f2933',
      opacity: 0.9,
    },
    {
      kind: 'points',
      name: `registered (seed ${s.registered})`,
      x: [s.registered],
      y: [s.perSeed.find((r) => r.seed === s.registered)!.primary],
      radius: 6,
      color: '#e45756',
      opacity: 1,
    },
  ];
  return xyChart(`${m.primary.name} per seed, ${label}`, layers, {
    width: 560,
    height: 300,
    x: { label: 'seed', min: lo, max: hi, format: (v) => (Number.isInteger(v) ? String(v) : '') },
    y: { label: m.primary.name },
  });
}

function header(v: ReportView, options: ReportOptions): string {
  const m = v.metrics;
  const facts = [
    `<span>model: <b>${escapeHtml(v.modelKind)}</b></span>`,
    `<span>evaluation: <b>${escapeHtml(m.kind)}</b>, ${escapeHtml(m.split)}</span>`,
    `<span>rows: <b>${m.nFit}</b> fit / <b>${m.nTest}</b> test</span>`,
    ...(v.registeredAt ? [`<span>registered: ${escapeHtml(v.registeredAt)}</span>`] : []),
    ...(options.generatedAt ? [`<span>generated: ${escapeHtml(options.generatedAt)}</span>`] : []),
  ];
  return `<header><h1>${escapeHtml(v.label)}</h1><div>${escapeHtml(v.description)}</div>${headline(m)}<div class="facts">${facts.join('')}</div></header>`;
}

/** The evaluation kind's cards, the importances and (optionally) the parameters of one version. */
function body(v: ReportView, withParams: boolean): string[] {
  const m = v.metrics;
  const cards: string[] = [];
  const section = reportSections[v.data?.evaluation ?? m.kind];
  if (v.data && section && v.data.section !== null)
    cards.push(...section.render(v.data.section as never, { metrics: m, label: v.label }));
  else
    cards.push(
      card('Charts', [
        note(
          section
            ? 'This version was registered before the training report existed (it has no report-data.json): retrain it to draw its charts.'
            : `No charts for ${m.kind} evaluations yet: the figures above are all there is.`,
        ),
      ]),
    );
  const imp = v.data?.importances;
  if (imp)
    cards.push(
      card(
        'Feature importances',
        [
          barChart(`Feature importances, ${v.label}`, imp.names, imp.values, {
            valueLabel: 'importance (share of the total)',
          }),
          note(
            'Forests: mean decrease in impurity over the trees; boosting: total split gain. Both favour features with many distinct values.',
          ),
        ],
        { charts: true },
      ),
    );
  if (withParams && v.params)
    cards.push(card('Parameters', [`<pre>${escapeHtml(JSON.stringify(v.params, null, 2))}</pre>`]));
  return cards;
}

export function renderTrainingReport(v: ReportView, options: ReportOptions = {}): string {
  const m = v.metrics;
  const summary = [figuresTable(m)];
  const seeds = m.seeds
    ? [
        card(
          'Across seeds',
          [seedsChart(m, v.label), note(`${m.seeds.rule}. sd is the sample standard deviation (n − 1).`)],
          { charts: true },
        ),
      ]
    : [];
  return htmlPage(`Training report — ${v.label}`, [
    header(v, options),
    card('Figures', summary),
    ...seeds,
    ...body(v, true),
  ]);
}

/** Two versions of one model side by side: the figures with their change, then each version's charts in two columns. */
export function renderComparisonReport(a: ReportView, b: ReportView, options: ReportOptions = {}): string {
  const names = [...new Set([...Object.keys(a.metrics.metrics), ...Object.keys(b.metrics.metrics)])];
  const cell = (m: Metrics, n: string) => (m.seeds?.metrics[n] ? formatMeanSd(m.seeds.metrics[n]) : fmt(m.metrics[n]));
  const rows = names.map((n) => {
    const x = a.metrics.metrics[n];
    const y = b.metrics.metrics[n];
    const delta = x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) ? y - x : null;
    return [
      n,
      cell(a.metrics, n),
      cell(b.metrics, n),
      delta === null ? '' : `${delta >= 0 ? '+' : ''}${formatNumber(delta, 3)}`,
    ];
  });
  const pa = a.metrics.primary;
  const pb = b.metrics.primary;
  const better =
    pa.name !== pb.name || pa.value === pb.value ? null : pb.value > pa.value === pa.higherIsBetter ? b.label : a.label;
  const side = (v: ReportView) =>
    `<div>${header(v, {})}${v.metrics.seeds ? card('Across seeds', [seedsChart(v.metrics, v.label)], { charts: true }) : ''}${body(v, false).join('')}</div>`;
  return htmlPage(`Comparison — ${a.label} and ${b.label}`, [
    `<header><h1>${escapeHtml(a.label)} and ${escapeHtml(b.label)}</h1><p class="headline">${
      better
        ? `Better on ${escapeHtml(pa.name)}: <b>${escapeHtml(better)}</b>`
        : `No difference on ${escapeHtml(pa.name)}`
    }</p><div class="facts">${options.generatedAt ? `<span>generated: ${escapeHtml(options.generatedAt)}</span>` : ''}</div></header>`,
    card('Figures', [
      table(['metric', a.label, b.label, 'change'], rows, { numeric: [1, 2, 3], strong: [names.indexOf(pa.name)] }),
      note('Over seeds: mean ± sd; the change is between the means.'),
    ]),
    `<div class="pair">${side(a)}${side(b)}</div>`,
  ]);
}
