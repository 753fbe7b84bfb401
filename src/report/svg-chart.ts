/**
 * One x–y chart as inline SVG (no script, no external asset), for the model
 * reports: lines (curves, series over time), points (predicted vs actual),
 * shaded x-ranges (labelled anomalies), horizontal or vertical rules (a
 * threshold, a mean) and the diagonal (ROC chance line, perfect calibration).
 * Layers are drawn in the order given, with a legend of the named ones.
 * The tick, number and escape helpers are this folder's, shared with the drift report.
 */
import { formatNumber } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import { niceTicks } from './nice-ticks.js';

/** Colours in the order series usually come: the model, the best baseline, then others. */
export const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#9d755d', '#bab0ac'];
export const MUTED = '#9aa5b1';

export interface AxisSpec {
  label: string;
  /** Fixed bounds (e.g. 0 and 1 for rates); otherwise from the data, padded. */
  min?: number;
  max?: number;
  format?: (v: number) => string;
}

interface Styled {
  name: string;
  color?: string;
  /** Leave out of the legend. */
  hideInLegend?: boolean;
}
export interface LineLayer extends Styled {
  kind: 'line';
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dash?: boolean;
  /** Draw as steps (a precision–recall curve, a step forecast). */
  step?: boolean;
  width?: number;
}
export interface PointLayer extends Styled {
  kind: 'points';
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  radius?: number;
  opacity?: number;
}
export interface BandLayer extends Styled {
  kind: 'bands';
  /** [from, to] along x, shaded over the whole height (or, with `y`, between y[0] and y[1]). */
  ranges: readonly (readonly [number, number])[];
  y?: readonly [number, number];
  opacity?: number;
}
export interface RuleLayer extends Styled {
  kind: 'hline' | 'vline';
  value: number;
  dash?: boolean;
}
export interface DiagonalLayer extends Styled {
  kind: 'diagonal';
}
export type ChartLayer = LineLayer | PointLayer | BandLayer | RuleLayer | DiagonalLayer;

export interface XyChartOptions {
  x: AxisSpec;
  y: AxisSpec;
  width?: number;
  height?: number;
}

const MARGIN = { top: 34, right: 16, bottom: 46, left: 58 };
const px = (v: number): string => (Math.round(v * 10) / 10).toString();

function extent(layers: readonly ChartLayer[], axis: 'x' | 'y', spec: AxisSpec): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (v: number) => {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  };
  for (const l of layers) {
    if (l.kind === 'line' || l.kind === 'points') for (let i = 0; i < l[axis].length; i++) take(l[axis][i] as number);
    else if (l.kind === 'bands') {
      for (const [a, b] of axis === 'x' ? l.ranges : l.y ? [l.y] : []) {
        take(a);
        take(b);
      }
    } else if ((l.kind === 'hline' && axis === 'y') || (l.kind === 'vline' && axis === 'x')) take(l.value);
  }
  if (lo === Infinity) [lo, hi] = [0, 1];
  if (hi === lo) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.04;
  return [spec.min ?? lo - pad, spec.max ?? hi + pad];
}

/** An x–y chart; `title` is its heading and accessible name. */
export function xyChart(title: string, layers: readonly ChartLayer[], options: XyChartOptions): string {
  const width = options.width ?? 520;
  const height = options.height ?? 320;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const [x0, x1] = extent(layers, 'x', options.x);
  const [y0, y1] = extent(layers, 'y', options.y);
  const sx = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0)) * plotW;
  const sy = (v: number) => MARGIN.top + plotH - ((v - y0) / (y1 - y0)) * plotH;
  const clampY = (v: number) => Math.min(Math.max(sy(v), MARGIN.top), MARGIN.top + plotH);
  const fx = options.x.format ?? ((v: number) => formatNumber(v, 4));
  const fy = options.y.format ?? ((v: number) => formatNumber(v, 4));
  const parts: string[] = [];
  for (const t of niceTicks(y0, y1, 5)) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${px(sy(t))}" y2="${px(sy(t))}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${px(sy(t) + 4)}" text-anchor="end" class="tick">${escapeHtml(fy(t))}</text>`,
    );
  }
  for (const t of niceTicks(x0, x1, 6)) {
    parts.push(
      `<line x1="${px(sx(t))}" x2="${px(sx(t))}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 5}" class="axis"/>`,
      `<text x="${px(sx(t))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" class="tick">${escapeHtml(fx(t))}</text>`,
    );
  }
  const legend: { name: string; color: string; dash: boolean; shape: 'line' | 'dot' | 'box' }[] = [];
  // Series without a colour take the palette in order (the model first); rules and bands default to red.
  let series = 0;
  layers.forEach((l) => {
    const color =
      l.color ?? (l.kind === 'line' || l.kind === 'points' ? PALETTE[series++ % PALETTE.length]! : PALETTE[3]!);
    const name = escapeHtml(l.name);
    switch (l.kind) {
      case 'bands':
        for (const [a, b] of l.ranges) {
          const top = l.y ? clampY(l.y[1]) : MARGIN.top;
          const bottom = l.y ? clampY(l.y[0]) : MARGIN.top + plotH;
          parts.push(
            `<rect x="${px(sx(a))}" y="${px(top)}" width="${px(Math.max(sx(b) - sx(a), 1))}" height="${px(bottom - top)}" fill="${color}" fill-opacity="${l.opacity ?? 0.18}"><title>${name}</title></rect>`,
          );
        }
        if (!l.hideInLegend) legend.push({ name: l.name, color, dash: false, shape: 'box' });
        break;
      case 'diagonal':
        parts.push(
          `<line x1="${px(sx(Math.max(x0, y0)))}" y1="${px(sy(Math.max(x0, y0)))}" x2="${px(sx(Math.min(x1, y1)))}" y2="${px(sy(Math.min(x1, y1)))}" stroke="${l.color ?? MUTED}" stroke-dasharray="4 4"/>`,
        );
        if (!l.hideInLegend) legend.push({ name: l.name, color: l.color ?? MUTED, dash: true, shape: 'line' });
        break;
      case 'hline':
      case 'vline': {
        const line =
          l.kind === 'hline'
            ? `x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${px(sy(l.value))}" y2="${px(sy(l.value))}"`
            : `x1="${px(sx(l.value))}" x2="${px(sx(l.value))}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}"`;
        parts.push(
          `<line ${line} stroke="${color}" stroke-width="1.5"${l.dash === false ? '' : ' stroke-dasharray="6 3"'}><title>${name}: ${escapeHtml(formatNumber(l.value, 4))}</title></line>`,
        );
        if (!l.hideInLegend) legend.push({ name: l.name, color, dash: l.dash !== false, shape: 'line' });
        break;
      }
      case 'line': {
        const points: string[] = [];
        for (let k = 0; k < l.x.length; k++) {
          const xv = l.x[k] as number;
          const yv = l.y[k] as number;
          if (!Number.isFinite(xv) || !Number.isFinite(yv)) continue;
          if (l.step && points.length > 0) points.push(`${px(sx(xv))},${points[points.length - 1]!.split(',')[1]}`);
          points.push(`${px(sx(xv))},${px(clampY(yv))}`);
        }
        parts.push(
          `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="${l.width ?? 1.6}"${l.dash ? ' stroke-dasharray="5 3"' : ''} stroke-linejoin="round"/>`,
        );
        if (!l.hideInLegend) legend.push({ name: l.name, color, dash: l.dash ?? false, shape: 'line' });
        break;
      }
      case 'points': {
        const r = l.radius ?? 2;
        const dots: string[] = [];
        for (let k = 0; k < l.x.length; k++) {
          const xv = l.x[k] as number;
          const yv = l.y[k] as number;
          if (Number.isFinite(xv) && Number.isFinite(yv))
            dots.push(`<circle cx="${px(sx(xv))}" cy="${px(clampY(yv))}" r="${r}"/>`);
        }
        // One group carries the colour, so each point costs one short element.
        parts.push(`<g fill="${color}" fill-opacity="${l.opacity ?? 0.55}">${dots.join('')}</g>`);
        if (!l.hideInLegend) legend.push({ name: l.name, color, dash: false, shape: 'dot' });
        break;
      }
    }
  });
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" class="axis"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" class="axis"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle" class="label">${escapeHtml(options.x.label)}</text>`,
    `<text x="14" y="${MARGIN.top + plotH / 2}" transform="rotate(-90 14 ${MARGIN.top + plotH / 2})" text-anchor="middle" class="label">${escapeHtml(options.y.label)}</text>`,
    ...legendItems(legend, MARGIN.left, width - MARGIN.right),
  );
  return svg(title, width, height, parts);
}

function legendItems(
  items: readonly { name: string; color: string; dash: boolean; shape: 'line' | 'dot' | 'box' }[],
  left: number,
  right: number,
): string[] {
  const out: string[] = [];
  let x = left;
  let y = 14;
  for (const item of items) {
    const w = 30 + item.name.length * 6.6;
    if (x + w > right && x > left) {
      x = left;
      y += 14;
    }
    const mark =
      item.shape === 'line'
        ? `<line x1="${px(x)}" x2="${px(x + 16)}" y1="${y - 4}" y2="${y - 4}" stroke="${item.color}" stroke-width="2"${item.dash ? ' stroke-dasharray="4 2"' : ''}/>`
        : item.shape === 'dot'
          ? `<circle cx="${px(x + 8)}" cy="${y - 4}" r="3.5" fill="${item.color}"/>`
          : `<rect x="${px(x)}" y="${y - 9}" width="16" height="10" fill="${item.color}" fill-opacity="0.3"/>`;
    out.push(mark, `<text x="${px(x + 20)}" y="${y}" class="legend">${escapeHtml(item.name)}</text>`);
    x += w;
  }
  return out;
}

/** The outer <svg> element with its title (also used by the grid charts). */
export function svg(title: string, width: number, height: number, parts: readonly string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${parts.join('')}</svg>`;
}
