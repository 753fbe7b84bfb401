/**
 * A DriftReport as one self-contained HTML page: inline CSS, inline SVG, no
 * scripts and no network. Header with the verdict, share drifted, sample
 * sizes and sampling; a chart of every column's score against its threshold;
 * a summary table; then per column — the most drifted first — the two
 * distributions overlaid (the share folded into the end bins stated), the
 * values over time of both windows when given, the statistics and the
 * verdict; then the quality signals and the multivariate checks. With 50
 * columns or more each column folds into a <details> block, open when it
 * drifted. All text is escaped.
 */
import { formatNumber, formatPercent } from '../../report/format-number.js';
import { escapeHtml } from '../../report/html-escape.js';
import { type ChartLayer, xyChart } from '../../report/svg-chart.js';
import { barChart } from '../../report/svg-grid-charts.js';
import { categoryBarsSvg, CURRENT_COLOR, histogramSvg, REFERENCE_COLOR } from './svg-charts.js';
import type { ColumnDriftResult, DriftReport } from '../types.js';

/** A column's values in time (or row) order, thinned for drawing: x in epoch ms (or row numbers). */
export interface ColumnSeries {
  reference: { x: number[]; y: number[] };
  current: { x: number[]; y: number[] };
  /** 'time' when x is epoch ms. */
  axis: 'time' | 'row';
}

export interface HtmlReportOptions {
  title?: string;
  /** Shown in the header, e.g. an ISO timestamp; passed in so rendering stays pure. */
  generatedAt?: string;
  referenceLabel?: string;
  currentLabel?: string;
  /** Values over time (or rows) per column, for the values-over-time chart. */
  series?: ReadonlyMap<string, ColumnSeries>;
  /** Fold columns into <details> from this many on (default 50). */
  collapseFrom?: number;
}

/**
 * How far a column is past its threshold, on one scale for both kinds of
 * test (1 = at the threshold): log p / log threshold for p-values, score /
 * threshold for distances. Columns sort by it, drifted first.
 */
export function severity(c: ColumnDriftResult): number {
  if (c.score === null || c.status === 'insufficient-data') return -1;
  if (c.scoreKind === 'p-value')
    return Math.log(Math.max(c.score, 1e-300)) / Math.log(Math.min(Math.max(c.threshold, 1e-300), 0.999999));
  return c.threshold > 0 ? c.score / c.threshold : c.score > 0 ? Number.MAX_VALUE : 0;
}

export function sortedColumns(report: DriftReport): ColumnDriftResult[] {
  return [...report.columns].sort(
    (a, b) =>
      Number(b.drifted) - Number(a.drifted) ||
      Number(b.status === 'kind-mismatch') - Number(a.status === 'kind-mismatch') ||
      severity(b) - severity(a) ||
      a.column.localeCompare(b.column),
  );
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f5f7fa}
main{max-width:1160px;margin:0 auto;padding:24px}
header{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:20px 24px;margin-bottom:20px}
h1{margin:0 0 8px;font-size:22px}h2{margin:0;font-size:17px;word-break:break-all}
.badge{display:inline-block;padding:3px 10px;border-radius:999px;font-weight:600;font-size:13px;vertical-align:middle}
.drift{background:#fde8e8;color:#9b1c1c}.ok{background:#def7ec;color:#03543f}.na{background:#e5e7eb;color:#374151}
.facts{display:flex;flex-wrap:wrap;gap:10px 28px;margin-top:12px;color:#52606d}.facts b{color:#1f2933}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e4e7eb;font-variant-numeric:tabular-nums}
th{color:#52606d;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.summary{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:12px 16px;margin-bottom:20px}
.card{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:16px 20px;margin-bottom:16px}
.card-head{display:flex;justify-content:space-between;align-items:center;gap:12px;margin-bottom:10px}
.card-body{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}.card-body svg{flex:0 0 auto;max-width:100%;height:auto}
.stats{flex:1 1 300px}.stats td:first-child{color:#52606d}.note{color:#7b8794;font-size:12px;margin-top:8px}
svg .grid{stroke:#e4e7eb}svg .axis{stroke:#7b8794}svg text{font:11px system-ui,sans-serif;fill:#52606d}svg .legend{font-size:12px;fill:#1f2933}
svg .label{font-size:11px;fill:#7b8794}a{color:#1a56db;text-decoration:none}summary{cursor:pointer;list-style:none}summary .card-head{margin-bottom:0}details[open] summary .card-head{margin-bottom:10px}
`;

function badge(c: ColumnDriftResult): string {
  if (c.status === 'insufficient-data') return '<span class="badge na">insufficient data</span>';
  if (c.status === 'kind-mismatch') return '<span class="badge drift">drift: kind changed</span>';
  return c.drifted ? '<span class="badge drift">drift</span>' : '<span class="badge ok">no drift</span>';
}

function decisionLine(c: ColumnDriftResult): string {
  const op = c.scoreKind === 'p-value' ? '&lt;' : '&ge;';
  const label = c.scoreKind === 'p-value' ? (c.adjustedPValue !== null ? 'BH-adjusted p' : 'p') : 'score';
  return `${escapeHtml(c.test)}: ${label} ${escapeHtml(formatNumber(c.score))} (drift when ${op} ${escapeHtml(formatNumber(c.threshold))})`;
}

function statsRows(c: ColumnDriftResult): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['decision', decisionLine(c)],
    ['chosen by', escapeHtml(c.chosenBy)],
    ['values (ref / cur)', `${c.referenceCount} / ${c.currentCount}`],
    ['missing (ref / cur)', `${c.referenceMissing} / ${c.currentMissing}`],
  ];
  const n = c.numeric;
  if (n) {
    rows.push(
      ['KS statistic / p', `${formatNumber(n.ks.statistic)} / ${formatNumber(n.ks.pvalue)} (${n.ks.method})`],
      ['PSI', `${formatNumber(n.psi)} (${n.psiLevel})`],
      ['Wasserstein / normed', `${formatNumber(n.wasserstein)} / ${formatNumber(n.wassersteinNormed)}`],
      ['mean (ref / cur)', `${formatNumber(n.reference.mean)} / ${formatNumber(n.current.mean)}`],
      ['std (ref / cur)', `${formatNumber(n.reference.std)} / ${formatNumber(n.current.std)}`],
      ['range ref', `${formatNumber(n.reference.min)} … ${formatNumber(n.reference.max)}`],
      ['range cur', `${formatNumber(n.current.min)} … ${formatNumber(n.current.max)}`],
    );
    if (n.mannWhitney) rows.push(['Mann–Whitney p', `${formatNumber(n.mannWhitney.pvalue)} (${n.mannWhitney.method})`]);
    if (n.andersonDarling !== undefined) rows.push(['Anderson–Darling', formatNumber(n.andersonDarling)]);
  }
  const k = c.categorical;
  if (k) {
    rows.push(
      [
        'chi-square / p / dof',
        `${formatNumber(k.chiSquare.statistic)} / ${formatNumber(k.chiSquare.pvalue)} / ${k.chiSquare.dof}`,
      ],
      ['Jensen–Shannon', formatNumber(k.jensenShannon)],
      ['PSI', formatNumber(k.psi)],
      ['categories', String(k.categories.length)],
    );
  }
  return rows;
}

function chart(c: ColumnDriftResult): string {
  if (c.numeric) {
    const h = c.numeric.histogram;
    return histogramSvg(`Distribution of ${c.column}`, h.edges, h.reference, h.current, h.clipped);
  }
  if (c.categorical) {
    const k = c.categorical;
    return categoryBarsSvg(`Categories of ${c.column}`, k.categories, k.referenceCounts, k.currentCounts);
  }
  return '';
}

const timeTick = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');

/** Both windows' values in order: time for sensor windows (reference ranges and the current one), row for files. */
function seriesChart(column: string, s: ColumnSeries): string {
  const layers: ChartLayer[] = [
    { kind: 'points', name: 'reference', x: s.reference.x, y: s.reference.y, color: REFERENCE_COLOR, radius: 1.4 },
    { kind: 'points', name: 'current', x: s.current.x, y: s.current.y, color: CURRENT_COLOR, radius: 1.4 },
  ];
  const x =
    s.axis === 'time'
      ? { label: 'time (UTC)', format: timeTick }
      : { label: 'row (reference, then current)', format: (v: number) => formatNumber(v, 6) };
  return xyChart(`Values of ${column} over ${s.axis === 'time' ? 'time' : 'rows'}`, layers, {
    x,
    y: { label: 'value' },
    width: 560,
    height: 250,
  });
}

function effectRow(c: ColumnDriftResult): Array<[string, string]> {
  const e = c.effect;
  if (!e) return [];
  const name = e.measure === 'wasserstein' ? 'W / max(σ, 0.001)' : 'Jensen–Shannon';
  const spread = e.spread
    ? `; |ln σ ratio| ${formatNumber(e.spread.value)} (floor ${formatNumber(e.spread.floor)})`
    : '';
  return [
    [
      'effect size',
      `${escapeHtml(name)} ${formatNumber(e.value)} (floor ${formatNumber(e.floor)})${escapeHtml(spread)} — ${e.passed ? 'passes' : 'below the floor'}`,
    ],
  ];
}

function invalidRows(c: ColumnDriftResult): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [side, cells] of [
    ['reference', c.referenceInvalid],
    ['current', c.currentInvalid],
  ] as const)
    if (cells)
      rows.push([
        `not numbers (${side})`,
        escapeHtml(`${cells.count}, first on line ${cells.first.line}: ${JSON.stringify(cells.first.text)}`),
      ]);
  return rows;
}

function card(c: ColumnDriftResult, index: number, options: HtmlReportOptions, collapse: boolean): string {
  const rows = [...statsRows(c), ...effectRow(c), ...invalidRows(c)]
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${v}</td></tr>`)
    .join('');
  const note = c.note ? `<p class="note">${escapeHtml(c.note)}</p>` : '';
  const series = options.series?.get(c.column);
  const head = `<div class="card-head"><h2>${escapeHtml(c.column)} <small>(${c.kind})</small></h2>${badge(c)}</div>`;
  const body = `<div class="card-body">${chart(c)}${series ? seriesChart(c.column, series) : ''}<div class="stats"><table><tbody>${rows}</tbody></table>${note}</div></div>`;
  return collapse
    ? `<section class="card" id="col-${index}"><details${c.drifted ? ' open' : ''}><summary>${head}</summary>${body}</details></section>`
    : `<section class="card" id="col-${index}">${head}${body}</section>`;
}

function scoresChart(columns: readonly ColumnDriftResult[]): string {
  const tested = columns.filter((c) => c.status !== 'insufficient-data');
  if (tested.length === 0) return '';
  return barChart(
    'Every column against its threshold',
    tested.map((c) => `${c.drifted ? '● ' : ''}${c.column}`),
    tested.map((c) => Math.min(severity(c), 50)),
    { valueLabel: 'score ÷ threshold (p-values: log p ÷ log α); ≥ 1 is past it', limit: 30 },
  );
}

function qualityRows(signals: DriftReport['quality'] & object): string {
  return signals
    .map(
      (q) =>
        `<tr><td>${escapeHtml(q.column)}</td><td>${escapeHtml(q.signal)}</td><td>${escapeHtml(formatNumber(q.value))}</td><td>${escapeHtml(formatNumber(q.reference))}</td><td>${escapeHtml(formatNumber(q.threshold))}</td><td>${q.alarm ? '<span class="badge drift">alarm</span>' : '<span class="badge ok">ok</span>'}</td><td>${escapeHtml(q.note)}</td></tr>`,
    )
    .join('');
}

/** The alarms in a table; every signal in a folded one below. */
function qualitySection(report: DriftReport): string {
  const signals = report.quality;
  if (!signals?.length) return '';
  const alarms = signals.filter((q) => q.alarm);
  const head =
    '<thead><tr><th>column</th><th>signal</th><th>current</th><th>reference</th><th>threshold</th><th>verdict</th><th>in words</th></tr></thead>';
  const badge = alarms.length
    ? `<span class="badge drift">${alarms.length} alarm${alarms.length === 1 ? '' : 's'}</span>`
    : '<span class="badge ok">no alarm</span>';
  const alarmTable = alarms.length ? `<table>${head}<tbody>${qualityRows(alarms)}</tbody></table>` : '';
  return `<section class="card"><div class="card-head"><h2>Data quality</h2>${badge}</div>${alarmTable}<details><summary class="note">all ${signals.length} signals (missing rate, flat line, out-of-range, gaps)</summary><table>${head}<tbody>${qualityRows(signals.slice(0, 400))}</tbody></table></details></section>`;
}

function multivariateSection(report: DriftReport): string {
  const results = report.multivariate;
  if (!results?.length) return '';
  const rows = results
    .map((m) => {
      const bound =
        m.status !== 'tested'
          ? '—'
          : m.lower !== null
            ? `${formatNumber(m.lower)} … ${formatNumber(m.upper)}`
            : `≤ ${formatNumber(m.upper)}`;
      const drivers = m.features
        .slice(0, 4)
        .map((f) => `${f.column} ${formatPercent(f.weight)}`)
        .join(', ');
      const verdict =
        m.status !== 'tested'
          ? '<span class="badge na">not decided</span>'
          : m.drifted
            ? '<span class="badge drift">drift</span>'
            : '<span class="badge ok">no drift</span>';
      return `<tr><td>${escapeHtml(m.method)}</td><td>${escapeHtml(formatNumber(m.value))}</td><td>${escapeHtml(bound)}</td><td>${escapeHtml(m.calibration.map((v) => formatNumber(v, 3)).join(', '))}</td><td>${escapeHtml(drivers)}</td><td>${verdict}</td></tr>`;
    })
    .join('');
  const notes = results
    .filter((m) => m.note)
    .map((m) => `<p class="note">${escapeHtml(`${m.method}: ${m.note}`)}</p>`)
    .join('');
  return `<section class="card"><div class="card-head"><h2>Multivariate</h2></div><table><thead><tr><th>method</th><th>value</th><th>normal range</th><th>reference splits</th><th>driven by</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>${notes}<p class="note">Domain classifier: cross-validated AUROC of a random forest telling reference rows from current rows. PCA: mean distance of a row from its reconstruction on the reference's components (65 % of its variance). Thresholds: mean ± 3 sd over reference-vs-reference splits of the current window's size.</p></section>`;
}

export function renderDriftHtml(report: DriftReport, options: HtmlReportOptions = {}): string {
  const title = options.title ?? 'Drift report';
  const verdict =
    report.status === 'insufficient-data'
      ? '<span class="badge na">insufficient data</span>'
      : report.datasetDrift
        ? '<span class="badge drift">dataset drift</span>'
        : '<span class="badge ok">no dataset drift</span>';
  const side = (label: string, s: DriftReport['reference']): string =>
    `<span>${escapeHtml(label)}: <b>${s.rows.toLocaleString('en-US')}</b> rows${s.sampled ? ` (sampled from ${s.totalRows.toLocaleString('en-US')})` : ' (not sampled)'}</span>`;
  const facts = [
    `<span>drifted: <b>${report.driftedColumns} of ${report.testedColumns}</b> columns (${formatPercent(report.shareDrifted)}, threshold ${formatPercent(report.driftShareThreshold)})</span>`,
    side(options.referenceLabel ?? 'reference', report.reference),
    side(options.currentLabel ?? 'current', report.current),
    `<span>p-value correction: <b>${escapeHtml(report.pValueCorrection)}</b></span>`,
  ];
  if (options.generatedAt) facts.push(`<span>generated: ${escapeHtml(options.generatedAt)}</span>`);
  const missing = [
    ...report.onlyInReference.map((c) => `${c} (reference only)`),
    ...report.onlyInCurrent.map((c) => `${c} (current only)`),
  ];
  const columns = sortedColumns(report);
  const collapse = columns.length >= (options.collapseFrom ?? 50);
  const summaryRows = columns
    .map(
      (c, i) =>
        `<tr><td><a href="#col-${i}">${escapeHtml(c.column)}</a></td><td>${escapeHtml(c.test)}</td><td>${escapeHtml(formatNumber(c.statistic))}</td><td>${escapeHtml(formatNumber(c.score))}</td><td>${c.scoreKind === 'p-value' ? '&lt;' : '&ge;'} ${escapeHtml(formatNumber(c.threshold))}</td><td>${badge(c)}</td></tr>`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${escapeHtml(title)} ${verdict}</h1><div class="facts">${facts.join('')}</div>${missing.length > 0 ? `<p class="note">Not compared: ${escapeHtml(missing.join(', '))}</p>` : ''}</header>
<div class="summary">${scoresChart(columns)}</div>
<div class="summary"><table><thead><tr><th>column</th><th>test</th><th>statistic</th><th>p-value / distance</th><th>threshold</th><th>verdict</th></tr></thead><tbody>${summaryRows}</tbody></table></div>
${multivariateSection(report)}
${qualitySection(report)}
${columns.map((c, i) => card(c, i, options, collapse)).join('\n')}
</main></body></html>
`;
}
