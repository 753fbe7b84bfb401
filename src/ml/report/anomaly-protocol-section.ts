import { formatNumber } from '../../report/format-number.js';
import { card, note, table } from '../../report/html-page.js';
import { xyChart, type ChartLayer } from '../../report/svg-chart.js';
import { heatmap } from '../../report/svg-grid-charts.js';
import { minMaxIndices, pick } from '../../report/thin-series.js';
import { rowPositions } from '../pipelines/features/dataset-ops.js';
import type { RenderContext, SectionInput } from './report-section.js';

/**
 * What the anomaly section adds for detector protocols (per-group fits,
 * calibrated thresholds): the score over each group's whole run with its own
 * threshold, the fitted and calibration rows marked and the labelled anomalies
 * shaded; the trivial baselines beside the model on the same rows; and for PCA
 * the sensors that drive the highest-scoring rows.
 */
export interface ProtocolFigures {
  panels: {
    name: string;
    role: string;
    x: number[];
    score: number[];
    threshold: number | null;
    anomalies: [number, number][];
    fitEnd: number | null;
    calibrationEnd: number | null;
  }[];
  comparison: {
    name: string;
    f1: number | null;
    far: number | null;
    mar: number | null;
    rocAuc: number;
    prAuc: number;
  }[];
  verdicts: string[];
  contributions: { features: string[]; rows: { label: string; values: number[] }[] } | null;
}

const MAX_PANELS = 6;
const PANEL_POINTS = 600;

export function buildProtocolFigures({ trained, dataset, metrics }: SectionInput): ProtocolFigures | null {
  const a = trained.anomaly;
  if (!a) return null;
  const positions = rowPositions(dataset);
  const thresholds = (metrics.detail.thresholds ?? {}) as Record<string, number>;
  const byGroup = (metrics.detail.byGroup ?? {}) as Record<string, { role?: string }>;
  const parts = [
    { rows: a.fit.rows, scores: a.fit.scores, part: 'fit' },
    ...(a.calibration ? [{ rows: a.calibration.rows, scores: a.calibration.scores, part: 'calibration' }] : []),
    { rows: trained.test.rows, scores: trained.test.scores, part: 'test' },
  ];
  const names = Object.keys(byGroup);
  const chosen = [
    ...names.filter((n) => byGroup[n]?.role === 'test'),
    ...names.filter((n) => byGroup[n]?.role === 'validation'),
  ].slice(0, MAX_PANELS);
  const panels = chosen.map((name) => {
    const g = dataset.groups.names.indexOf(name);
    const points: { p: number; s: number; y: number; part: string }[] = [];
    for (const part of parts)
      part.rows.forEach((r, i) => {
        if (dataset.groups.index[r] === g)
          points.push({ p: positions[r]!, s: part.scores[i]!, y: dataset.target?.[r] ?? 0, part: part.part });
      });
    points.sort((u, v) => u.p - v.p);
    const anomalies: [number, number][] = [];
    for (const q of points)
      if (q.y === 1) {
        const last = anomalies[anomalies.length - 1];
        if (last && last[1] === q.p) last[1] = q.p + 1;
        else anomalies.push([q.p, q.p + 1]);
      }
    const finite = points.filter((q) => Number.isFinite(q.s));
    const at = minMaxIndices(
      finite.map((q) => q.s),
      PANEL_POINTS,
    );
    const lastOf = (part: string) => points.findLast((q) => q.part === part)?.p ?? null;
    const fitEnd = lastOf('fit');
    const calibrationEnd = lastOf('calibration');
    return {
      name,
      role: byGroup[name]?.role ?? 'test',
      x: pick(
        finite.map((q) => q.p),
        at,
      ),
      score: pick(
        finite.map((q) => q.s),
        at,
      ),
      threshold: thresholds[name] ?? null,
      anomalies,
      fitEnd: fitEnd === null ? null : fitEnd + 1,
      calibrationEnd: calibrationEnd === null ? null : calibrationEnd + 1,
    };
  });
  const comparison = Object.entries(
    (metrics.detail.comparison ?? {}) as Record<string, Omit<ProtocolFigures['comparison'][number], 'name'>>,
  ).map(([name, f]) => ({ name, ...f }));
  const top = [...(a.contributions ?? [])].sort((u, v) => v.score - u.score).slice(0, 8);
  const contributions = top.length
    ? {
        features: trained.featureNames,
        rows: top.map((c) => ({
          label: `${dataset.groups.names[dataset.groups.index[c.row]!] ?? ''} row ${positions[c.row]} (${c.statistic === 'q' ? 'Q' : 'T²'})`,
          values: c.values.map((v) => Math.max(v, 0)),
        })),
      }
    : null;
  return { panels, comparison, verdicts: (metrics.detail.verdicts as string[] | undefined) ?? [], contributions };
}

/** Percent of the row's total, rounded: the heat map's cells. */
const shares = (values: number[]) => {
  const total = values.reduce((a, b) => a + b, 0) || 1;
  return values.map((v) => Math.round((100 * v) / total));
};

/** "Accelerometer1RMS_mean30" → "Acc1RMS": the heat map clips labels at 12 characters. */
export function shortSensor(name: string): string {
  const base = name.replace(/_mean\d+$/, '');
  if (base.length <= 10) return base;
  const tokens = base.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [base];
  if (tokens.length < 2) return base.slice(0, 10);
  return tokens.map((t) => (/^[A-Z]+$|^\d+$/.test(t) ? t : t.slice(0, 3))).join('');
}

/** "valve1/4.csv row 612 (Q)" → "valve1/4 @612 Q". */
const shortAlarm = (label: string) => label.replace(/\.csv row /, ' @').replace(/ \((.+)\)$/, ' $1');

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : formatNumber(v, 3);

export function renderProtocolFigures(f: ProtocolFigures, { label }: RenderContext): string[] {
  const cards: string[] = [];
  if (f.comparison.length)
    cards.push(
      card('The model beside the trivial baselines (same rows)', [
        table(
          ['detector', 'F1', 'FAR', 'MAR', 'ROC-AUC', 'PR-AUC'],
          f.comparison.map((c) => [c.name, fmt(c.f1), fmt(c.far), fmt(c.mar), fmt(c.rocAuc), fmt(c.prAuc)]),
          { numeric: [1, 2, 3, 4, 5], strong: [0] },
        ),
        ...(f.verdicts.length
          ? f.verdicts.map((v) => note(v, true))
          : [note('The model beats every trivial baseline on ROC-AUC and F1.')]),
        note(
          'always-anomaly flags every row; position scores a row by its place in its group (rows since the group started); random draws alarms at the model’s alarm rate; position-rf is a random forest on position alone, fitted on other groups’ labels.',
        ),
      ]),
    );
  if (f.panels.length) {
    const charts = f.panels.map((p) => {
      const layers: ChartLayer[] = [];
      if (p.anomalies.length)
        layers.push({ kind: 'bands', name: 'labelled anomaly', ranges: p.anomalies, color: '#e45756' });
      if (p.fitEnd !== null)
        layers.push({ kind: 'vline', name: 'end of fitted rows', value: p.fitEnd, color: '#52606d', dash: true });
      if (p.calibrationEnd !== null && p.calibrationEnd !== p.fitEnd)
        layers.push({
          kind: 'vline',
          name: 'end of calibration rows',
          value: p.calibrationEnd,
          color: '#54a24b',
          dash: true,
        });
      layers.push({ kind: 'line', name: 'score', x: p.x, y: p.score, color: '#4c78a8', width: 1 });
      if (p.threshold !== null)
        layers.push({
          kind: 'hline',
          name: `threshold ${formatNumber(p.threshold, 4)}`,
          value: p.threshold,
          color: '#e45756',
        });
      return xyChart(`${p.name} (${p.role}), ${label}`, layers, {
        width: 520,
        height: 250,
        x: { label: 'row in the file' },
        y: { label: 'score' },
      });
    });
    cards.push(
      card('Score over each group’s run, with its own threshold', [
        `<div class="charts">${charts.join('')}</div>`,
        note(
          'Rows left of the dashed grey line fitted the group’s model; rows up to the green one calibrated its threshold; the rest are scored.',
        ),
      ]),
    );
  }
  if (f.contributions)
    cards.push(
      card('Which sensors drive the top alarms (PCA contributions)', [
        heatmap(
          `Contributions to T² or Q, ${label}`,
          f.contributions.rows.map((r) => shortAlarm(r.label)),
          f.contributions.features.map(shortSensor),
          f.contributions.rows.map((r) => shares(r.values)),
          { rowTitle: 'alarm (group @ row, statistic)', colTitle: 'sensor (% of the statistic)' },
        ),
        note(`Sensors: ${f.contributions.features.map((n) => `${shortSensor(n)} = ${n}`).join(', ')}.`),
        note(
          'Each row: the statistic further over its limit, split by sensor (Q: squared residual per sensor; T²: Σ_a t_a/λ_a·p_ja·z_j, negative parts not shown), as a share of the row.',
        ),
      ]),
    );
  return cards;
}
