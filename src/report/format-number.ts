/** Compact number formatting shared by the table and HTML reports. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e6) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
