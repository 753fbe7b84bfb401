/**
 * A DriftReport as one self-contained HTML page: inline CSS, inline SVG, no
 * scripts and no network. Header with the verdict, share drifted, sample
 * sizes and sampling; a summary table; then per column the two distributions
 * overlaid, the statistics and the verdict. All text is escaped.
 */
import { formatNumber, formatPercent } from '../../report/format-number.js';
import { escapeHtml } from '../../report/html-escape.js';
import { categoryBarsSvg, histogramSvg } from './svg-charts.js';
import type { ColumnDriftResult, DriftReport } from '../types.js';

export interface HtmlReportOptions {
  title?: string;
  /** Shown in the header, e.g. an ISO timestamp; passed in so rendering stays pure. */
  generatedAt?: string;
  referenceLabel?: string;
  currentLabel?: string;
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
svg .label{font-size:11px;fill:#7b8794}a{color:#1a56db;text-decoration:none}
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
    return histogramSvg(`Distribution of ${c.column}`, h.edges, h.reference, h.current);
  }
  if (c.categorical) {
    const k = c.categorical;
    return categoryBarsSvg(`Categories of ${c.column}`, k.categories, k.referenceCounts, k.currentCounts);
  }
  return '';
}

function card(c: ColumnDriftResult, index: number): string {
  const rows = statsRows(c)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${v}</td></tr>`)
    .join('');
  const note = c.note ? `<p class="note">${escapeHtml(c.note)}</p>` : '';
  return `<section class="card" id="col-${index}"><div class="card-head"><h2>${escapeHtml(c.column)} <small>(${c.kind})</small></h2>${badge(c)}</div><div class="card-body">${chart(c)}<div class="stats"><table><tbody>${rows}</tbody></table>${note}</div></div></section>`;
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
  const summaryRows = report.columns
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
<div class="summary"><table><thead><tr><th>column</th><th>test</th><th>statistic</th><th>p-value / distance</th><th>threshold</th><th>verdict</th></tr></thead><tbody>${summaryRows}</tbody></table></div>
${report.columns.map(card).join('\n')}
</main></body></html>
`;
}
