/**
 * The shell of a self-contained report page: inline CSS, no scripts, no
 * network. Cards hold a heading, charts and tables; everything passed as text
 * is escaped here, everything passed as `html` must already be.
 */
import { escapeHtml } from './html-escape.js';

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f5f7fa}
main{max-width:1180px;margin:0 auto;padding:24px}
header{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:20px 24px;margin-bottom:20px}
h1{margin:0 0 6px;font-size:22px}h2{margin:0 0 10px;font-size:17px}h3{margin:0 0 8px;font-size:14px;color:#52606d}
.headline{font-size:18px;margin:8px 0}.headline b{font-size:22px}
.facts{display:flex;flex-wrap:wrap;gap:6px 24px;margin-top:10px;color:#52606d}.facts b{color:#1f2933}
table{border-collapse:collapse}th,td{text-align:left;padding:4px 10px;border-bottom:1px solid #e4e7eb;font-variant-numeric:tabular-nums}
th{color:#52606d;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.num{text-align:right}tr.primary td{font-weight:600}
.card{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:16px 20px;margin-bottom:16px}
.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}.charts svg{flex:0 0 auto;max-width:100%;height:auto}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px}.pair>div{min-width:0}
.note{color:#7b8794;font-size:12px;margin:8px 0 0}.warn{color:#9b1c1c}
pre{background:#f5f7fa;padding:10px;border-radius:6px;overflow:auto;font-size:12px}
svg .grid{stroke:#e4e7eb}svg .axis{stroke:#7b8794}svg text{font:11px system-ui,sans-serif;fill:#52606d}
svg .legend{font-size:12px;fill:#1f2933}svg .label{font-size:11px;fill:#7b8794}svg .cell{font-size:13px;font-weight:600;fill:#1f2933}
`;

export { escapeHtml };

export function htmlPage(title: string, body: readonly string[]): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
${body.join('\n')}
</main></body></html>
`;
}

/** A card: a heading, then already-escaped HTML (charts in a wrapping row when `charts` is set). */
export function card(
  heading: string,
  html: readonly string[],
  options: { charts?: boolean; id?: string } = {},
): string {
  const inner = options.charts ? `<div class="charts">${html.join('')}</div>` : html.join('');
  return `<section class="card"${options.id ? ` id="${escapeHtml(options.id)}"` : ''}><h2>${escapeHtml(heading)}</h2>${inner}</section>`;
}

/** A table from text cells (escaped here); `numeric` columns are right-aligned; `strong` rows are bold. */
export function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: { numeric?: readonly number[]; strong?: readonly number[] } = {},
): string {
  const cls = (j: number) => (options.numeric?.includes(j) ? ' class="num"' : '');
  const body = rows
    .map(
      (r, i) =>
        `<tr${options.strong?.includes(i) ? ' class="primary"' : ''}>${r.map((c, j) => `<td${cls(j)}>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

export const note = (text: string, warn = false) => `<p class="note${warn ? ' warn' : ''}">${escapeHtml(text)}</p>`;
