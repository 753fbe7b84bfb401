/**
 * Inline SVG charts over categories: a heat map (a confusion matrix: rows are
 * the actual class, columns the predicted one, each cell shaded by its share
 * of the row and labelled with its count) and horizontal bars (feature
 * importances, a figure per model) with optional ± error whiskers.
 */
import { formatNumber } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import { PALETTE, svg } from './svg-chart.js';

const px = (v: number): string => (Math.round(v * 10) / 10).toString();
const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export interface HeatmapOptions {
  rowTitle: string;
  colTitle: string;
  /** Shade by the share of each row (recall per class) rather than by the count. */
  byRow?: boolean;
}

export function heatmap(
  title: string,
  rowLabels: readonly string[],
  colLabels: readonly string[],
  values: readonly (readonly number[])[],
  options: HeatmapOptions,
): string {
  const cell = Math.max(44, Math.min(90, 320 / Math.max(rowLabels.length, colLabels.length)));
  const left = 96;
  const top = 52;
  const width = left + cell * colLabels.length + 20;
  const height = top + cell * rowLabels.length + 20;
  const max = Math.max(1e-12, ...values.flat());
  const parts: string[] = [
    `<text x="${px(left + (cell * colLabels.length) / 2)}" y="16" text-anchor="middle" class="label">${escapeHtml(options.colTitle)}</text>`,
    `<text x="14" y="${px(top + (cell * rowLabels.length) / 2)}" transform="rotate(-90 14 ${px(top + (cell * rowLabels.length) / 2)})" text-anchor="middle" class="label">${escapeHtml(options.rowTitle)}</text>`,
  ];
  colLabels.forEach((c, j) =>
    parts.push(
      `<text x="${px(left + cell * (j + 0.5))}" y="${top - 8}" text-anchor="middle" class="tick">${escapeHtml(clip(c, 12))}</text>`,
    ),
  );
  rowLabels.forEach((r, i) => {
    const rowTotal = (values[i] ?? []).reduce((a, b) => a + b, 0) || 1;
    parts.push(
      `<text x="${left - 8}" y="${px(top + cell * (i + 0.5) + 4)}" text-anchor="end" class="tick">${escapeHtml(clip(r, 14))}</text>`,
    );
    colLabels.forEach((_, j) => {
      const v = values[i]?.[j] ?? 0;
      const share = options.byRow ? v / rowTotal : v / max;
      const dark = share > 0.55;
      parts.push(
        `<rect x="${px(left + cell * j)}" y="${px(top + cell * i)}" width="${px(cell - 2)}" height="${px(cell - 2)}" fill="${PALETTE[0]}" fill-opacity="${px(0.06 + 0.9 * share)}"><title>${escapeHtml(`${r} → ${colLabels[j]}: ${v}`)}</title></rect>`,
        `<text x="${px(left + cell * (j + 0.5) - 1)}" y="${px(top + cell * (i + 0.5) + 1)}" text-anchor="middle" class="cell"${dark ? ' style="fill:#fff"' : ''}>${escapeHtml(formatNumber(v, 4))}</text>`,
      );
      if (options.byRow)
        parts.push(
          `<text x="${px(left + cell * (j + 0.5) - 1)}" y="${px(top + cell * (i + 0.5) + 14)}" text-anchor="middle" class="tick"${dark ? ' style="fill:#fff"' : ''}>${(share * 100).toFixed(1)}%</text>`,
        );
    });
  });
  return svg(title, width, height, parts);
}

export interface BarChartOptions {
  valueLabel: string;
  /** ± half-widths drawn as whiskers (a standard deviation). */
  errors?: readonly number[];
  color?: string;
  /** At most this many bars, the largest first (the rest are summed into one bar). */
  limit?: number;
}

/** Horizontal bars, largest first. */
export function barChart(
  title: string,
  labels: readonly string[],
  values: readonly number[],
  options: BarChartOptions,
): string {
  let rows = labels.map((label, i) => ({ label, value: values[i] ?? 0, error: options.errors?.[i] ?? 0 }));
  rows.sort((a, b) => b.value - a.value);
  const limit = options.limit ?? 20;
  if (rows.length > limit) {
    const rest = rows.slice(limit - 1);
    rows = [
      ...rows.slice(0, limit - 1),
      { label: `(${rest.length} others)`, value: rest.reduce((a, r) => a + r.value, 0), error: 0 },
    ];
  }
  const left = 190;
  const barH = 20;
  const top = 14;
  const width = 520;
  const plotW = width - left - 60;
  const height = top + rows.length * (barH + 6) + 34;
  const max = Math.max(1e-12, ...rows.map((r) => r.value + r.error));
  const sx = (v: number) => left + (Math.max(v, 0) / max) * plotW;
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y = top + i * (barH + 6);
    parts.push(
      `<text x="${left - 8}" y="${px(y + barH / 2 + 4)}" text-anchor="end" class="tick">${escapeHtml(clip(r.label, 30))}</text>`,
      `<rect x="${left}" y="${y}" width="${px(Math.max(sx(r.value) - left, 0.5))}" height="${barH}" fill="${options.color ?? PALETTE[0]}" fill-opacity="0.8"><title>${escapeHtml(`${r.label}: ${formatNumber(r.value, 4)}`)}</title></rect>`,
      `<text x="${px(sx(r.value + r.error) + 5)}" y="${px(y + barH / 2 + 4)}" class="tick">${escapeHtml(formatNumber(r.value, 3))}</text>`,
    );
    if (r.error > 0)
      parts.push(
        `<line x1="${px(sx(r.value - r.error))}" x2="${px(sx(r.value + r.error))}" y1="${px(y + barH / 2)}" y2="${px(y + barH / 2)}" stroke="#1f2933"/>`,
      );
  });
  const axisY = top + rows.length * (barH + 6);
  parts.push(
    `<line x1="${left}" x2="${left + plotW}" y1="${axisY}" y2="${axisY}" class="axis"/>`,
    `<text x="${px(left + plotW / 2)}" y="${axisY + 22}" text-anchor="middle" class="label">${escapeHtml(options.valueLabel)}</text>`,
  );
  return svg(title, width, height, parts);
}
