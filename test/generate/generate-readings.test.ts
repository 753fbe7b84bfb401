import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { generateReadings, labelsCsv, type GenerateOptions } from '../../src/generate/generate-readings.js';

async function generate(options: Partial<GenerateOptions> = {}) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const result = await generateReadings(out, {
    sensors: 6,
    days: 2,
    seed: 7,
    intervalMs: 60_000,
    startMs: Date.UTC(2024, 0, 1),
    anomalies: true,
    ...options,
  });
  out.end();
  return { text: Buffer.concat(chunks).toString(), result };
}

describe('generateReadings', () => {
  it('is deterministic by seed and differs across seeds', async () => {
    const a = await generate();
    const b = await generate();
    const c = await generate({ seed: 8 });
    assert.equal(a.text, b.text);
    assert.notEqual(a.text, c.text);
    assert.equal(labelsCsv(a.result.labels), labelsCsv(b.result.labels));
  });

  it('writes the long format ingest reads, one row per sensor and interval', async () => {
    const { text, result } = await generate();
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'sensor_id,timestamp,value,sensor_type,unit,quality');
    assert.equal(lines.length - 1, 6 * 2 * 1440);
    assert.equal(result.rows, 6 * 2 * 1440);
    assert.match(lines[1]!, /^temperature-001,2024-01-01T00:00:00Z,-?\d+(\.\d+)?,temperature,C,1$/);
  });

  it('injected spikes stand out from their sensor, and drift shifts the level after its instant', async () => {
    const driftAtMs = Date.UTC(2024, 0, 2);
    const { text, result } = await generate({ driftAtMs });
    const values = new Map<string, Array<[number, number]>>();
    for (const line of text.trim().split('\n').slice(1)) {
      const [id, ts, v] = line.split(',');
      if (!values.has(id!)) values.set(id!, []);
      values.get(id!)!.push([Date.parse(ts!), Number(v)]);
    }
    for (const label of result.labels.filter((l) => l.kind === 'spike')) {
      const series = values.get(label.sensorId)!;
      const before = series.filter(([t]) => t < label.startMs && t > label.startMs - 3_600_000).map(([, v]) => v);
      const mean = before.reduce((s, v) => s + v, 0) / before.length;
      const spike = series.find(([t]) => t === label.startMs)![1];
      assert.ok(spike - mean > 0.2 * Math.abs(mean), `${label.sensorId} spike ${spike} vs ${mean}`);
    }
    assert.equal(result.labels.filter((l) => l.kind === 'drift').length, 6);
    const temp = values.get('temperature-001')!;
    const avg = (from: number, to: number) => {
      const xs = temp.filter(([t]) => t >= from && t < to).map(([, v]) => v);
      return xs.reduce((s, v) => s + v, 0) / xs.length;
    };
    assert.ok(avg(driftAtMs, driftAtMs + 86_400_000) > avg(driftAtMs - 86_400_000, driftAtMs) + 1);
  });
});
