/**
 * A drift timeline as one self-contained HTML page (NannyML's chunked view):
 * the share of drifted columns per chunk against the dataset threshold, then
 * per column its effect size per chunk against the floor (drifted chunks
 * marked) and its values over time — the chunk means against the reference's
 * band (mean ± 2σ) — most drifted columns first. Inline SVG, no script; with
 * 50 columns or more each column folds into a <details> block, open when it
 * drifted.
 */
import { formatNumber, formatPercent } from '../../report/format-number.js';
import { escapeHtml } from '../../report/html-escape.js';
import { type ChartLayer, xyChart } from '../../report/svg-chart.js';
import type { TimelineChunk, TimelineResult } from '../timeline/timeline-types.js';

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f5f7fa}
main{max-width:1180px;margin:0 auto;padding:24px}
header,.card{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:16px 20px;margin-bottom:16px}
h1{margin:0 0 6px;font-size:22px}h2{margin:0;font-size:16px;display:inline}
.facts{display:flex;flex-wrap:wrap;gap:6px 24px;margin-top:10px;color:#52606d}.facts b{color:#1f2933}
.charts{display:flex;flex-wrap:wrap;gap:16px;margin-top:10px}.charts svg{flex:0 0 auto;max-width:100%;height:auto}
.badge{display:inline-block;padding:2px 9px;border-radius:999px;font-weight:600;font-size:12px;margin-left:8px}
.drift{background:#fde8e8;color:#9b1c1c}.ok{background:#def7ec;color:#03543f}
summary{cursor:pointer}.note{color:#7b8794;font-size:12px;margin:8px 0 0}
svg .grid{stroke:#e4e7eb}svg .axis{stroke:#7b8794}svg text{font:11px system-ui,sans-serif;fill:#52606d}
svg .legend{font-size:12px;fill:#1f2933}svg .label{font-size:11px;fill:#7b8794}
`;

export interface TimelineHtmlOptions {
  generatedAt?: string;
  /** Fold columns into <details> from this many columns on (default 50). */
  collapseFrom?: number;
}

const DRIFT = '#e45756';
const timeFormat = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');

function columnSeries(chunks: readonly TimelineChunk[], column: string) {
  const x: number[] = [];
  const effect: number[] = [];
  const mean: number[] = [];
  const low: number[] = [];
  const high: number[] = [];
  const refMean: number[] = [];
  const driftX: number[] = [];
  const driftY: number[] = [];
  const floors: number[] = [];
  let floor: number | null = null;
  let drifted = 0;
  let maxEffect = 0;
  for (const chunk of chunks) {
    const c = chunk.columns.find((col) => col.column === column);
    const mid = (chunk.from.getTime() + chunk.to.getTime()) / 2;
    x.push(mid);
    const e = c?.effect ?? (c?.scoreKind === 'distance' ? c.score : null);
    effect.push(e ?? Number.NaN);
    mean.push(c?.mean ?? Number.NaN);
    low.push(c?.referenceLow ?? Number.NaN);
    high.push(c?.referenceHigh ?? Number.NaN);
    refMean.push(c?.referenceMean ?? Number.NaN);
    const f = c?.status === 'tested' ? (c.effectFloor ?? (c.scoreKind === 'distance' ? c.threshold : null)) : null;
    floors.push(f ?? Number.NaN);
    floor ??= f;
    if (c?.drifted) {
      drifted++;
      driftX.push(mid);
      driftY.push(e ?? Number.NaN);
    }
    if (e !== null && Number.isFinite(e)) maxEffect = Math.max(maxEffect, e);
  }
  return { x, effect, mean, low, high, refMean, driftX, driftY, floor, floors, drifted, maxEffect };
}

function columnCharts(chunks: readonly TimelineChunk[], column: string, s: ReturnType<typeof columnSeries>) {
  const xAxis = { label: 'chunk (UTC)', format: timeFormat };
  const effectLayers: ChartLayer[] = [{ kind: 'line', name: 'effect size', x: s.x, y: s.effect }];
  // The floor per chunk: fixed, or calibrated (it moves with what the column's normal hours looked like).
  const varies = new Set(s.floors.filter(Number.isFinite)).size > 1;
  if (varies)
    effectLayers.push({
      kind: 'line',
      name: 'floor (calibrated)',
      x: s.x,
      y: s.floors,
      color: DRIFT,
      dash: true,
      width: 1.2,
    });
  else if (s.floor !== null)
    effectLayers.push({ kind: 'hline', name: `floor ${formatNumber(s.floor, 3)}`, value: s.floor });
  if (s.driftX.length > 0)
    effectLayers.push({ kind: 'points', name: 'drifted chunk', x: s.driftX, y: s.driftY, color: DRIFT, radius: 3 });
  const values: ChartLayer[] = [
    { kind: 'area', name: 'reference mean ± 2σ', x: s.x, low: s.low, high: s.high, color: '#4c78a8' },
    { kind: 'line', name: 'reference mean', x: s.x, y: s.refMean, color: '#4c78a8', dash: true, width: 1 },
    { kind: 'line', name: 'chunk mean', x: s.x, y: s.mean, color: '#f58518' },
  ];
  return [
    xyChart(`${column}: effect size per chunk`, effectLayers, {
      x: xAxis,
      y: { label: 'W / σ (or the test distance)', min: 0 },
      width: 530,
      height: 240,
    }),
    xyChart(`${column}: values over time`, values, { x: xAxis, y: { label: 'value' }, width: 530, height: 240 }),
  ];
}

export function renderTimelineHtml(result: TimelineResult, options: TimelineHtmlOptions = {}): string {
  const chunks = result.chunks;
  const drifted = chunks.filter((c) => c.datasetDrift);
  const tested = chunks.filter((c) => c.status === 'tested');
  const quality = chunks.reduce((s, c) => s + c.qualityAlarms.length, 0);
  const title = `Drift timeline: ${result.subject}`;
  const threshold = result.driftShare;
  const facts = [
    `<span>period: <b>${escapeHtml(result.from.toISOString())}</b> … <b>${escapeHtml(result.to.toISOString())}</b></span>`,
    `<span>chunks: <b>${chunks.length}</b> of ${escapeHtml(formatNumber(result.chunkMs / 60_000, 4))} min</span>`,
    `<span>reference: <b>${escapeHtml(result.referenceText)}</b></span>`,
    `<span>drifted chunks: <b>${drifted.length}</b> of ${tested.length} tested (${formatPercent(tested.length ? drifted.length / tested.length : 0)})</span>`,
    `<span>first drifted: <b>${escapeHtml(drifted[0]?.from.toISOString() ?? '—')}</b></span>`,
    `<span>quality alarms: <b>${quality}</b></span>`,
  ];
  if (options.generatedAt) facts.push(`<span>generated: ${escapeHtml(options.generatedAt)}</span>`);
  const x = chunks.map((c) => (c.from.getTime() + c.to.getTime()) / 2);
  const summary = xyChart(
    'Share of drifted columns per chunk',
    [
      { kind: 'line', name: 'share drifted', x, y: chunks.map((c) => (c.status === 'tested' ? c.shareDrifted : NaN)) },
      { kind: 'hline', name: 'dataset drift at', value: threshold },
      {
        kind: 'points',
        name: 'dataset drift',
        x: drifted.map((c) => (c.from.getTime() + c.to.getTime()) / 2),
        y: drifted.map((c) => c.shareDrifted),
        color: DRIFT,
        radius: 3,
      },
    ],
    {
      x: { label: 'chunk (UTC)', format: timeFormat },
      y: { label: 'share of columns', min: 0, max: 1 },
      width: 1120,
      height: 260,
    },
  );
  const names = result.sensorIds;
  const series = names.map((name) => ({ name, s: columnSeries(chunks, name) }));
  // Most drifted first, then the largest effect: the columns to look at come first.
  series.sort((a, b) => b.s.drifted - a.s.drifted || b.s.maxEffect - a.s.maxEffect);
  const collapse = names.length >= (options.collapseFrom ?? 50);
  const cards = series.map(({ name, s }) => {
    const badge = s.drifted
      ? `<span class="badge drift">drifted in ${s.drifted} chunk${s.drifted === 1 ? '' : 's'}</span>`
      : '<span class="badge ok">no drift</span>';
    const head = `<h2>${escapeHtml(name)}</h2>${badge}`;
    const body = `<div class="charts">${columnCharts(chunks, name, s).join('')}</div>`;
    return collapse
      ? `<section class="card"><details${s.drifted ? ' open' : ''}><summary>${head}</summary>${body}</details></section>`
      : `<section class="card">${head}${body}</section>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${escapeHtml(title)}</h1><div class="facts">${facts.join('')}</div>
<p class="note">Each chunk is compared with its reference as a one-off smx drift check would be. Effect size: W / max(σ_ref, 0.001) for numeric columns (Jensen–Shannon for categorical ones); the reference band is the reference's mean ± 2σ.</p></header>
<section class="card">${summary}</section>
${cards.join('\n')}
</main></body></html>
`;
}
