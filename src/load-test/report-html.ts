/**
 * A load-test report as one self-contained HTML page (inline CSS and SVG, no
 * scripts, no network): the verdict and totals, thresholds, latency
 * percentiles and throughput over time, the HDR percentile curve, and the
 * outcomes by status and socket error. All text is escaped.
 */
import { formatBytes } from './format-report.js';
import { escapeHtml, lineChartSvg } from './svg-line-chart.js';
import type { LoadTestReport } from './summarize-load.js';

export interface LoadTestHtmlOptions {
  title?: string;
  /** Shown in the header; passed in so rendering stays pure. */
  generatedAt?: string;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f5f7fa}
main{max-width:1120px;margin:0 auto;padding:24px}
header,.card{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:18px 22px;margin-bottom:18px}
h1{margin:0 0 6px;font-size:22px}h2{margin:0 0 10px;font-size:16px}
.badge{display:inline-block;padding:3px 10px;border-radius:999px;font-weight:600;font-size:13px;vertical-align:middle}
.fail{background:#fde8e8;color:#9b1c1c}.pass{background:#def7ec;color:#03543f}
.facts{display:flex;flex-wrap:wrap;gap:8px 26px;margin-top:10px;color:#52606d}.facts b{color:#1f2933}
table{border-collapse:collapse}th,td{text-align:left;padding:4px 12px 4px 0;border-bottom:1px solid #e4e7eb;font-variant-numeric:tabular-nums}
th{color:#52606d;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.cols{display:flex;flex-wrap:wrap;gap:32px}.failures{color:#9b1c1c;margin:8px 0 0;padding-left:18px}
svg{max-width:100%;height:auto}svg .grid{stroke:#e4e7eb}svg .axis{stroke:#7b8794}svg text{font:11px system-ui,sans-serif;fill:#52606d}
svg .legend{font-size:12px;fill:#1f2933}svg .label{font-size:11px;fill:#7b8794}.note{color:#7b8794;font-size:12px}
`;

const COLORS = {
  ok: '#2f6fb0',
  errors: '#c0392b',
  target: '#7b8794',
  p50: '#2f6fb0',
  p90: '#35a372',
  p99: '#e08a1e',
  max: '#c0392b',
};
const count = (n: number) => n.toLocaleString('en');
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));
const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(2)} %`;

function header(report: LoadTestReport, options: LoadTestHtmlOptions): string {
  const verdict = report.passed ? '<span class="badge pass">passed</span>' : '<span class="badge fail">failed</span>';
  const model =
    report.model === 'closed'
      ? `closed model, ${report.connections} connections`
      : report.stages
        ? `open model, stages ${report.stages.map((s) => `${s.durationMs / 1000}s:${s.target}`).join(', ')}`
        : `open model, ${count(report.targetRate ?? 0)} req/s target`;
  const facts: Array<[string, string]> = [
    ['scenario', report.scenario],
    ['target', report.url],
    ['model', model + (report.threads > 1 ? `, ${report.threads} threads` : '')],
    ['duration', `${report.durationSeconds} s`],
    ['requests', count(report.requests)],
    ['ok (2xx)', `${count(report.ok)} (${count(report.rps)} req/s)`],
    ['errors', `${count(report.errors)} (${pct(report.errors, report.requests)})`],
    ['p99', report.answered ? `${ms(report.latency.p99Ms)} ms` : '—'],
    ['received', `${formatBytes(report.bytes.receivedPerSecond)}/s`],
    ['sent', `${formatBytes(report.bytes.sentPerSecond)}/s`],
  ];
  const failures = report.failures.length
    ? `<ul class="failures">${report.failures.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`
    : '';
  return `<header><h1>${escapeHtml(options.title ?? 'Load test')} ${verdict}</h1>
<div class="facts">${facts.map(([k, v]) => `<span>${escapeHtml(k)}: <b>${escapeHtml(v)}</b></span>`).join('')}</div>
${failures}${options.generatedAt ? `<div class="note">generated ${escapeHtml(options.generatedAt)}</div>` : ''}</header>`;
}

function tables(report: LoadTestReport): string {
  const l = report.latency;
  const latencyRows = (
    [
      ['p50', l.p50Ms],
      ['p90', l.p90Ms],
      ['p95', l.p95Ms],
      ['p99', l.p99Ms],
      ['p99.9', l.p999Ms],
      ['max', l.maxMs],
      ['mean', l.meanMs],
    ] as const
  )
    .map(([k, v]) => `<tr><td>${k}</td><td>${ms(v)} ms</td></tr>`)
    .join('');
  const outcomes = [
    ...Object.entries(report.statuses).map(([k, v]) => [`HTTP ${k}`, v] as const),
    ...Object.entries(report.socketErrors),
  ]
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${count(v)}</td><td>${pct(v, report.requests)}</td></tr>`)
    .join('');
  const thresholds = report.thresholds
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.expression)}</td><td>${t.actual === null ? '—' : escapeHtml(`${count(t.actual)} ${t.unit}`)}</td><td><span class="badge ${t.passed ? 'pass">ok' : 'fail">breached'}</span></td></tr>`,
    )
    .join('');
  const v = report.ingest?.verification;
  const ingest = report.ingest
    ? `<div><h2>Ingest check</h2><table><tbody>
<tr><td>sensor ids</td><td>${escapeHtml(report.ingest.sensorPrefix)}*</td></tr>
<tr><td>acknowledged</td><td>${count(report.ingest.acknowledged)}</td></tr>
${v ? `<tr><td>in the database</td><td>${count(v.found)} (${count(v.missing)} missing)</td></tr>` : `<tr><td>check</td><td>skipped: ${escapeHtml(report.ingest.verificationSkipped ?? '')}</td></tr>`}
</tbody></table></div>`
    : '';
  return `<section class="card cols">
<div><h2>Latency (answered requests)</h2><table><tbody>${latencyRows}</tbody></table></div>
<div><h2>Outcomes</h2><table><thead><tr><th>outcome</th><th>count</th><th>share</th></tr></thead><tbody>${outcomes}</tbody></table></div>
${thresholds ? `<div><h2>Thresholds</h2><table><tbody>${thresholds}</tbody></table></div>` : ''}
${ingest}</section>`;
}

function overTime(report: LoadTestReport): string {
  const at = (p: { startSecond: number; seconds: number }) => p.startSecond + p.seconds / 2;
  const points = report.intervals;
  const throughput = lineChartSvg({
    title: 'Throughput over time',
    yLabel: 'requests / s',
    xLabel: 'seconds from start',
    series: [
      { name: 'ok (2xx) / s', color: COLORS.ok, points: points.map((p) => [at(p), p.okPerSecond]) },
      { name: 'errors / s', color: COLORS.errors, points: points.map((p) => [at(p), p.errorsPerSecond]) },
      ...(report.model === 'open'
        ? [
            {
              name: 'target',
              color: COLORS.target,
              dashed: true,
              points: points.map((p) => [at(p), p.targetRate] as const),
            },
          ]
        : []),
    ],
  });
  const latency = lineChartSvg({
    title: 'Latency over time',
    yLabel: 'latency (ms, log scale)',
    xLabel: 'seconds from start',
    yScale: 'log',
    series: (['p50', 'p90', 'p99', 'max'] as const).map((k) => ({
      name: k,
      color: COLORS[k],
      dashed: k === 'max',
      points: points.map((p) => [at(p), p[`${k}Ms`]] as const),
    })),
  });
  return `<section class="card"><h2>Throughput over time (per ${report.intervalSeconds} s)</h2>${throughput}</section>
<section class="card"><h2>Latency percentiles over time</h2>${latency}</section>`;
}

/** x = number of nines, log10(1 / (1 − p)): 0 → 0 %, 1 → 90 %, 2 → 99 %, … as HdrHistogram plots it. */
function percentileCurve(report: LoadTestReport): string {
  const lastNines = Math.log10(Math.max(10, report.latency.count));
  const nines = (p: number) => (p >= 100 ? lastNines : Math.min(lastNines, -Math.log10(1 - p / 100)));
  const ticks = Array.from({ length: Math.floor(lastNines) + 1 }, (_, k) => ({
    value: k,
    label: k === 0 ? '0%' : `${(100 - 100 / 10 ** k).toFixed(Math.max(0, k - 2))}%`,
  }));
  const svg = lineChartSvg({
    title: 'Latency by percentile',
    yLabel: 'latency (ms, log scale)',
    xLabel: 'percentile',
    yScale: 'log',
    xTicks: ticks,
    series: [
      { name: 'latency', color: COLORS.ok, points: report.latencyDistribution.map((d) => [nines(d.percentile), d.ms]) },
    ],
  });
  return `<section class="card"><h2>HDR percentile curve</h2>${svg}
<div class="note">From the merged HDR histogram (3 significant digits). ${report.model === 'open' ? 'Open model: latency counts from when each request was due (coordinated omission corrected).' : 'Closed model: latency counts from when each request was sent.'}</div></section>`;
}

export function renderLoadTestHtml(report: LoadTestReport, options: LoadTestHtmlOptions = {}): string {
  const title = options.title ?? `Load test: ${report.scenario} → ${report.url}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>${header(report, { ...options, title })}${tables(report)}${overTime(report)}${percentileCurve(report)}</main></body></html>
`;
}
