import { readdirSync, readFileSync } from 'node:fs';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import { counter, gauge, Histogram } from './prometheus.js';

/**
 * The process and runtime metrics prom-client's collectDefaultMetrics gives,
 * under the same names, so its dashboards work unchanged: CPU seconds,
 * resident and virtual memory, open and maximum file descriptors, start time,
 * V8 heap (total, used, by space), external memory, active resources by type,
 * GC pauses by kind, and the Node version. Everything but the GC pauses is
 * read when /metrics is scraped, nothing per request; the GC pauses are
 * observed per collection (PerformanceObserver), as prom-client does.
 */
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
const startTimeSeconds = Math.round(Date.now() / 1000 - process.uptime());

/** Fields of /proc/self/status in bytes (Linux); empty elsewhere. */
function procStatus(): Map<string, number> {
  const fields = new Map<string, number>();
  try {
    for (const line of readFileSync('/proc/self/status', 'utf8').split('\n')) {
      const match = /^(Vm\w+):\s+(\d+) kB/.exec(line);
      if (match) fields.set(match[1]!, Number(match[2]) * 1024);
    }
  } catch {
    // not Linux: the gauges that need it are left out
  }
  return fields;
}

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length - 1; // less the descriptor readdir itself held
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export class ProcessMetrics {
  readonly gcDuration = new Histogram(
    'nodejs_gc_duration_seconds',
    'Garbage collection pauses, by kind.',
    [0.001, 0.01, 0.1, 1, 2, 5],
  );
  private readonly gcObserver: PerformanceObserver;

  constructor() {
    const byKind = new Map(Object.entries(GC_KINDS).map(([k, kind]) => [Number(k), this.gcDuration.child({ kind })]));
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
        byKind.get(kind ?? -1)?.observe(entry.duration / 1000);
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
  }

  render(): string {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const status = procStatus();
    const fds = openFds();
    const limit = maxFds();
    const resources = new Map<string, number>();
    for (const type of process.getActiveResourcesInfo()) resources.set(type, (resources.get(type) ?? 0) + 1);
    const [major, minor, patch] = process.versions.node.split('.');
    const parts = [
      counter('process_cpu_user_seconds_total', 'User CPU time spent, in seconds.', cpu.user / 1e6),
      counter('process_cpu_system_seconds_total', 'System CPU time spent, in seconds.', cpu.system / 1e6),
      counter(
        'process_cpu_seconds_total',
        'User and system CPU time spent, in seconds.',
        (cpu.user + cpu.system) / 1e6,
      ),
      gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.', [
        [{}, startTimeSeconds],
      ]),
      gauge('process_resident_memory_bytes', 'Resident memory size, in bytes.', [[{}, memory.rss]]),
    ];
    if (status.has('VmSize'))
      parts.push(
        gauge('process_virtual_memory_bytes', 'Virtual memory size, in bytes.', [[{}, status.get('VmSize')!]]),
      );
    if (status.has('VmData'))
      parts.push(
        gauge('process_heap_bytes', 'Process heap (data segment) size, in bytes.', [[{}, status.get('VmData')!]]),
      );
    if (fds !== undefined) parts.push(gauge('process_open_fds', 'Open file descriptors.', [[{}, fds]]));
    if (limit !== undefined) parts.push(gauge('process_max_fds', 'Maximum open file descriptors.', [[{}, limit]]));
    const spaces = v8.getHeapSpaceStatistics();
    parts.push(
      gauge('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes.', [[{}, memory.heapTotal]]),
      gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', [[{}, memory.heapUsed]]),
      gauge('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript (buffers), in bytes.', [
        [{}, memory.external],
      ]),
      gauge(
        'nodejs_heap_space_size_total_bytes',
        'V8 heap space size, by space, in bytes.',
        spaces.map((s) => [{ space: s.space_name.replace(/_space$/, '') }, s.space_size]),
      ),
      gauge(
        'nodejs_heap_space_size_used_bytes',
        'V8 heap space in use, by space, in bytes.',
        spaces.map((s) => [{ space: s.space_name.replace(/_space$/, '') }, s.space_used_size]),
      ),
      gauge(
        'nodejs_heap_space_size_available_bytes',
        'V8 heap space available, by space, in bytes.',
        spaces.map((s) => [{ space: s.space_name.replace(/_space$/, '') }, s.space_available_size]),
      ),
      gauge(
        'nodejs_active_resources',
        'Resources keeping the event loop alive (handles and requests), by type.',
        [...resources].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, n]) => [{ type }, n]),
      ),
      this.gcDuration.render(),
      gauge('nodejs_version_info', 'Node.js version.', [
        [{ version: process.version, major: major!, minor: minor!, patch: patch! }, 1],
      ]),
    );
    return parts.join('\n');
  }

  close(): void {
    this.gcObserver.disconnect();
  }
}
