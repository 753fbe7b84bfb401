/**
 * Inline SVG charts for the HTML drift report, no scripts or external assets:
 * an overlaid histogram over shared bins for numeric columns and grouped bars
 * for categorical ones, each with axes, ticks and a legend.
 */
import { formatNumber } from '../../report/format-number.js';
import { escapeHtml } from '../../report/html-escape.js';
import { niceTicks } from '../../report/nice-ticks.js';

const WIDTH = 560;
const HEIGHT = 250;
const MARGIN = { top: 28, right: 16, bottom: 56, left: 52 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
export const REFERENCE_COLOR = '#4c78a8';
export const CURRENT_COLOR = '#f58518';

const fmt = (v: number): string => (Math.round(v * 100) / 100).toString();

function frame(title: string, body: string[], yMax: number): string {
  const y = (v: number): number => MARGIN.top + PLOT_H - (v / yMax) * PLOT_H;
  const parts: string[] = [];
  for (const t of niceTicks(0, yMax, 4)) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${fmt(y(t) + 4)}" text-anchor="end" class="tick">${escapeHtml(`${formatNumber(t * 100, 3)}%`)}</text>`,
    );
  }
  parts.push(...body);
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}" class="axis"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${MARGIN.top + PLOT_H}" y2="${MARGIN.top + PLOT_H}" class="axis"/>`,
    `<text x="14" y="${MARGIN.top + PLOT_H / 2}" transform="rotate(-90 14 ${MARGIN.top + PLOT_H / 2})" text-anchor="middle" class="label">share of rows</text>`,
  );
  // Legend, top right.
  const lx = MARGIN.left + PLOT_W - 170;
  parts.push(
    `<rect x="${lx}" y="8" width="12" height="12" fill="${REFERENCE_COLOR}" fill-opacity="0.6"/>`,
    `<text x="${lx + 17}" y="18" class="legend">reference</text>`,
    `<rect x="${lx + 88}" y="8" width="12" height="12" fill="${CURRENT_COLOR}" fill-opacity="0.6"/>`,
    `<text x="${lx + 105}" y="18" class="legend">current</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${parts.join('')}</svg>`;
}

/** Overlaid histograms of the two windows over the same bin edges. */
export function histogramSvg(
  title: string,
  edges: readonly number[],
  reference: readonly number[],
  current: readonly number[],
): string {
  const lo = edges[0]!;
  const hi = edges[edges.length - 1]!;
  const x = (v: number): number => MARGIN.left + ((v - lo) / (hi - lo)) * PLOT_W;
  const yMax = Math.max(...reference, ...current, 1e-9) * 1.1;
  const y = (v: number): number => MARGIN.top + PLOT_H - (v / yMax) * PLOT_H;
  const body: string[] = [];
  for (const [shares, color] of [
    [reference, REFERENCE_COLOR],
    [current, CURRENT_COLOR],
  ] as const) {
    shares.forEach((share, k) => {
      if (share <= 0) return;
      const x0 = x(edges[k]!);
      const x1 = x(edges[k + 1]!);
      body.push(
        `<rect x="${fmt(x0)}" y="${fmt(y(share))}" width="${fmt(Math.max(x1 - x0 - 0.5, 0.5))}" height="${fmt(MARGIN.top + PLOT_H - y(share))}" fill="${color}" fill-opacity="0.55"/>`,
      );
    });
  }
  for (const t of niceTicks(lo, hi, 6)) {
    body.push(
      `<line x1="${fmt(x(t))}" x2="${fmt(x(t))}" y1="${MARGIN.top + PLOT_H}" y2="${MARGIN.top + PLOT_H + 5}" class="axis"/>`,
      `<text x="${fmt(x(t))}" y="${MARGIN.top + PLOT_H + 18}" text-anchor="middle" class="tick">${escapeHtml(formatNumber(t, 4))}</text>`,
    );
  }
  body.push(
    `<text x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 8}" text-anchor="middle" class="label">value (shared bins)</text>`,
  );
  return frame(title, body, yMax);
}

const MAX_CATEGORIES = 20;

/** Grouped bars of category shares; beyond 20 categories the rarest are pooled as "(other)". */
export function categoryBarsSvg(
  title: string,
  categories: readonly string[],
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
): string {
  const refTotal = referenceCounts.reduce((s, v) => s + v, 0) || 1;
  const curTotal = currentCounts.reduce((s, v) => s + v, 0) || 1;
  let rows = categories.map((name, i) => ({
    name,
    ref: referenceCounts[i]! / refTotal,
    cur: currentCounts[i]! / curTotal,
  }));
  if (rows.length > MAX_CATEGORIES) {
    rows.sort((a, b) => b.ref + b.cur - (a.ref + a.cur));
    const rest = rows.slice(MAX_CATEGORIES - 1);
    rows = [
      ...rows.slice(0, MAX_CATEGORIES - 1),
      {
        name: `(other ${rest.length})`,
        ref: rest.reduce((s, r) => s + r.ref, 0),
        cur: rest.reduce((s, r) => s + r.cur, 0),
      },
    ];
  }
  const yMax = Math.max(...rows.map((r) => Math.max(r.ref, r.cur)), 1e-9) * 1.1;
  const y = (v: number): number => MARGIN.top + PLOT_H - (v / yMax) * PLOT_H;
  const slot = PLOT_W / rows.length;
  const bar = Math.min(28, slot * 0.38);
  const rotate = rows.length > 8;
  const body: string[] = [];
  rows.forEach((r, i) => {
    const center = MARGIN.left + slot * (i + 0.5);
    for (const [share, color, dx] of [
      [r.ref, REFERENCE_COLOR, -bar],
      [r.cur, CURRENT_COLOR, 0],
    ] as const) {
      body.push(
        `<rect x="${fmt(center + dx)}" y="${fmt(y(share))}" width="${fmt(bar)}" height="${fmt(MARGIN.top + PLOT_H - y(share))}" fill="${color}" fill-opacity="0.75"/>`,
      );
    }
    const label = r.name.length > 14 ? `${r.name.slice(0, 13)}…` : r.name;
    const ly = MARGIN.top + PLOT_H + 16;
    body.push(
      rotate
        ? `<text x="${fmt(center)}" y="${ly}" transform="rotate(-35 ${fmt(center)} ${ly})" text-anchor="end" class="tick">${escapeHtml(label)}</text>`
        : `<text x="${fmt(center)}" y="${ly}" text-anchor="middle" class="tick">${escapeHtml(label)}</text>`,
    );
  });
  return frame(title, body, yMax);
}
