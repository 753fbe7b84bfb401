import Table from 'cli-table3';
import type { LoadTestReport } from './summarize-load.js';

const count = (n: number) => n.toLocaleString('en');
const share = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(2)} %`;

/** Bytes per second as wrk prints Transfer/sec: binary units. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function modelLine(report: LoadTestReport): string {
  const threads = report.threads > 1 ? `, ${report.threads} threads` : '';
  const model =
    report.model === 'closed'
      ? `closed model, ${report.connections} connections`
      : report.stages
        ? `open model, stages ${report.stages.map((s) => `${s.durationMs / 1000}s:${s.target}`).join(',')}, up to ${report.connections} connections`
        : `open model, ${report.targetRate} req/s target, up to ${report.connections} connections`;
  return `${report.scenario} → ${report.url} (${model}${threads}, ${report.durationSeconds} s)`;
}

/** The human summary: totals, latency percentiles, outcomes, thresholds, the ingest check, the verdict. */
export function formatLoadTestReport(report: LoadTestReport): string {
  const l = report.latency;
  const latency = new Table({
    head: ['p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'],
    style: { head: [], border: [] },
  });
  latency.push([l.p50Ms, l.p90Ms, l.p95Ms, l.p99Ms, l.p999Ms, l.maxMs, l.meanMs].map((v) => `${v.toFixed(2)} ms`));
  const outcomes = new Table({ head: ['outcome', 'count', 'share'], style: { head: [], border: [] } });
  for (const [status, n] of Object.entries(report.statuses))
    outcomes.push([`HTTP ${status}`, count(n), share(n, report.requests)]);
  for (const [kind, n] of Object.entries(report.socketErrors))
    outcomes.push([kind, count(n), share(n, report.requests)]);
  const lines = [
    modelLine(report),
    `${count(report.requests)} requests: ${count(report.ok)} ok (2xx) = ${count(report.rps)} req/s, ` +
      `${count(report.errors)} errors (${share(report.errors, report.requests)})` +
      (report.delayedSends
        ? `, ${count(report.delayedSends)} sent late (all connections busy; latency counts from the due time)`
        : ''),
    `received ${formatBytes(report.bytes.receivedPerSecond)}/s, sent ${formatBytes(report.bytes.sentPerSecond)}/s`,
    report.answered ? latency.toString() : 'latency: no request was answered',
    outcomes.toString(),
  ];
  if (report.thresholds.length) {
    const thresholds = new Table({ head: ['threshold', 'measured', ''], style: { head: [], border: [] } });
    for (const t of report.thresholds)
      thresholds.push([
        t.expression,
        t.actual === null ? 'nothing measured' : `${count(t.actual)}${t.unit === '%' ? ' %' : ` ${t.unit}`}`.trim(),
        t.passed ? 'ok' : 'BREACHED',
      ]);
    lines.push(thresholds.toString());
  }
  const ingest = report.ingest;
  if (ingest) {
    const v = ingest.verification;
    lines.push(
      v
        ? `ingest check: ${count(v.found)} of ${count(v.acknowledged)} acknowledged readings (${v.sensorPrefix}*) are in ${v.database}` +
            (v.storedUnacknowledged ? `, and ${count(v.storedUnacknowledged)} stored whose answer did not arrive` : '')
        : `ingest check skipped (${ingest.verificationSkipped ?? 'no database'}); readings are under ${ingest.sensorPrefix}*`,
    );
    if (ingest.cleanup)
      lines.push(
        `cleanup: deleted ${count(ingest.cleanup.readings)} readings, ${count(ingest.cleanup.hourlyRows)} hourly rows and ${count(ingest.cleanup.sensors)} sensors under ${ingest.cleanup.sensorPrefix}*`,
      );
  }
  // Breached thresholds are in the table above; the verdict line counts them.
  const breached = report.thresholds.filter((t) => !t.passed).length;
  const reasons = report.failures.filter((f) => !f.startsWith('threshold '));
  if (breached) reasons.push(`${breached} of ${report.thresholds.length} thresholds breached`);
  lines.push(report.passed ? 'PASSED' : `FAILED: ${reasons.join('; ')}`);
  return lines.join('\n');
}
