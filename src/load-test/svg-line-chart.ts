/**
 * Inline SVG line charts for the load-test report: no scripts, no external
 * assets. Linear or logarithmic y axis, x ticks given by the caller (seconds,
 * or the percentile "nines"), a legend, and gaps where a series has no value.
 */
export interface LineSeries {
  name: string;
  color: string;
  /** [x, y]; a null y breaks the line (an interval with no answers). */
  points: ReadonlyArray<readonly [number, number | null]>;
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  yLabel: string;
  xLabel: string;
  series: readonly LineSeries[];
  yScale?: 'linear' | 'log';
  /** Tick positions and labels on x; default: round values over the data's range. */
  xTicks?: ReadonlyArray<{ value: number; label: string }>;
  formatY?: (value: number) => string;
  width?: number;
  height?: number;
}

const MARGIN = { top: 30, right: 18, bottom: 46, left: 62 };

export const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const fmt = (v: number) => (Math.round(v * 10) / 10).toString();

/** About `count` round tick values covering [lo, hi]. */
export function roundTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.round(t / step) * step);
  return ticks;
}

/** 1-2-5 ticks per decade over [lo, hi] (both > 0). */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of hi / lo > 10_000 ? [1] : [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(t);
    }
  return ticks;
}

export function lineChartSvg(options: LineChartOptions): string {
  const width = options.width ?? 1040;
  const height = options.height ?? 300;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xs = options.series.flatMap((s) => s.points.map(([x]) => x));
  const ys = options.series.flatMap((s) => s.points.flatMap(([, y]) => (y === null ? [] : [y])));
  const log = options.yScale === 'log';
  const xLo = Math.min(...xs, 0);
  const xHi = Math.max(...xs, xLo + 1);
  let yLo = log ? Math.max(Math.min(...ys.filter((y) => y > 0), Infinity), 1e-3) : 0;
  let yHi = Math.max(...ys, 0);
  if (log) {
    // Bounds on the 1-2-5 steps just outside the data, so no decade is drawn empty.
    if (!Number.isFinite(yLo)) yLo = 0.1;
    const steps = (v: number) => [1, 2, 5].map((m) => m * 10 ** Math.floor(Math.log10(v)));
    yLo = steps(yLo).findLast((t) => t <= yLo) ?? yLo;
    const top = Math.max(yHi * 1.05, yLo * 2);
    yHi = [...steps(top), 10 ** Math.ceil(Math.log10(top))].find((t) => t >= top) ?? top;
  } else yHi = yHi > 0 ? yHi * 1.1 : 1;
  const x = (v: number) => MARGIN.left + ((v - xLo) / (xHi - xLo)) * plotW;
  const y = (v: number) =>
    MARGIN.top +
    plotH -
    (log ? (Math.log10(Math.max(v, yLo)) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo)) : v / yHi) * plotH;
  const formatY = options.formatY ?? ((v: number) => v.toLocaleString('en'));
  const parts: string[] = [];
  for (const t of log ? logTicks(yLo, yHi) : roundTicks(0, yHi, 4)) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${fmt(y(t) + 4)}" text-anchor="end" class="tick">${escapeHtml(formatY(t))}</text>`,
    );
  }
  const xTicks = options.xTicks ?? roundTicks(xLo, xHi, 8).map((value) => ({ value, label: String(value) }));
  for (const t of xTicks) {
    if (t.value < xLo || t.value > xHi) continue;
    parts.push(
      `<line x1="${fmt(x(t.value))}" x2="${fmt(x(t.value))}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" class="axis"/>`,
      `<text x="${fmt(x(t.value))}" y="${MARGIN.top + plotH + 17}" text-anchor="middle" class="tick">${escapeHtml(t.label)}</text>`,
    );
  }
  for (const s of options.series) {
    // One path per unbroken run of values.
    const runs: string[][] = [[]];
    for (const [px, py] of s.points) {
      if (py === null) runs.push([]);
      else runs[runs.length - 1]!.push(`${fmt(x(px))},${fmt(y(py))}`);
    }
    for (const run of runs.filter((r) => r.length > 0)) {
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      parts.push(
        run.length === 1
          ? `<circle cx="${run[0]!.split(',')[0]}" cy="${run[0]!.split(',')[1]}" r="2.5" fill="${s.color}"/>`
          : `<polyline points="${run.join(' ')}" fill="none" stroke="${s.color}" stroke-width="1.8"${dash}/>`,
      );
    }
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" class="axis"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" class="axis"/>`,
    `<text x="14" y="${MARGIN.top + plotH / 2}" transform="rotate(-90 14 ${MARGIN.top + plotH / 2})" text-anchor="middle" class="label">${escapeHtml(options.yLabel)}</text>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle" class="label">${escapeHtml(options.xLabel)}</text>`,
  );
  let lx = MARGIN.left + 4;
  for (const s of options.series) {
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="14" y2="14" stroke="${s.color}" stroke-width="2.5"${dash}/>`,
      `<text x="${lx + 23}" y="18" class="legend">${escapeHtml(s.name)}</text>`,
    );
    lx += 36 + s.name.length * 7;
  }
  const title = escapeHtml(options.title);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${title}"><title>${title}</title>${parts.join('')}</svg>`;
}
