import { call, withKey } from './server-harness.js';

/**
 * A small, bounded load for shutdown and restart tests: `workers` loops, each
 * sending one new reading at a time until stopped, recording which readings
 * were acknowledged (202) and every status seen.
 */
export interface LoadRecord {
  acknowledged: Array<{ sensorId: string; ts: number }>;
  statuses: Map<string, number>;
  stop(): Promise<void>;
}

export function startLoad(
  url: string,
  options: { workers: number; sensorPrefix: string; pauseMs?: number },
): LoadRecord {
  const acknowledged: LoadRecord['acknowledged'] = [];
  const statuses = new Map<string, number>();
  let running = true;
  let seq = 0;
  const base = Date.UTC(2026, 3, 1);
  const note = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  const worker = async (w: number) => {
    while (running) {
      const n = seq++;
      const reading = { sensor_id: `${options.sensorPrefix}${w}`, value: n, timestamp: base + n };
      try {
        const answer = await call(url, '/api/v1/data/ingest', { headers: withKey(), body: JSON.stringify(reading) });
        note(String(answer.status));
        if (answer.status === 202 && answer.body.accepted === 1)
          acknowledged.push({ sensorId: reading.sensor_id, ts: reading.timestamp });
      } catch {
        note('no answer');
        await new Promise((r) => setTimeout(r, 20));
      }
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const loops = Array.from({ length: options.workers }, (_, w) => worker(w));
  return {
    acknowledged,
    statuses,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
