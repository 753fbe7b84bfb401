import Table from 'cli-table3';
import type { LoadTestReport } from './run-load-test.js';

/** The human summary: one table of latency percentiles and one of outcomes. */
export function formatLoadTestReport(report: LoadTestReport): string {
  const model =
    report.model === 'open'
      ? `open model, ${report.targetRate} req/s target, up to ${report.connections} connections`
      : `closed model, ${report.connections} connections`;
  const threads = report.threads > 1 ? `, ${report.threads} threads` : '';
  const l = report.latency;
  const latency = new Table({
    head: ['p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'],
    style: { head: [], border: [] },
  });
  latency.push([l.p50Ms, l.p90Ms, l.p95Ms, l.p99Ms, l.p999Ms, l.maxMs, l.meanMs].map((v) => `${v.toFixed(2)} ms`));
  const outcomes = new Table({ head: ['outcome', 'count', 'share'], style: { head: [], border: [] } });
  for (const [outcome, count] of Object.entries(report.outcomes)) {
    outcomes.push([outcome, String(count), `${((100 * count) / Math.max(1, report.requests)).toFixed(2)} %`]);
  }
  const lines = [
    `${report.scenario} → ${report.url} (${model}${threads}, ${report.durationSeconds} s)`,
    `${report.requests} requests, ${report.throughput} req/s completed, ${report.ok} ok, ${report.errors} errors` +
      (report.delayedSends
        ? `, ${report.delayedSends} sent late (all connections busy; latency counts from the due time)`
        : ''),
    latency.toString(),
    outcomes.toString(),
  ];
  return lines.join('\n');
}
