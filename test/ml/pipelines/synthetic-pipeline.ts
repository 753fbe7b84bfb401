import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A small labelled table written to disk with a pipeline over it, so CLI and
 * predict tests run without ../shared: failure is likely when torque is high
 * and speed is low, with noise, plus a categorical column and a leakage column.
 */
export function writeSyntheticPipeline(dir: string, rows = 600): { pipeline: string; data: string } {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['id,Type,torque,speed,failure,mode_flag'];
  for (let i = 0; i < rows; i++) {
    const torque = 20 + 40 * rand();
    const speed = 1200 + 1500 * rand();
    const type = ['L', 'M', 'H'][Math.floor(rand() * 3)]!;
    const risk = (torque - 40) / 10 - (speed - 1900) / 400 + (rand() - 0.5) * 2;
    const failure = risk > 1.5 ? 1 : 0;
    lines.push(`${i},${type},${torque.toFixed(2)},${speed.toFixed(0)},${failure},${failure}`);
  }
  const data = path.join(dir, 'machines.csv');
  writeFileSync(data, lines.join('\n') + '\n');
  const pipeline = path.join(dir, 'synthetic.yaml');
  writeFileSync(
    pipeline,
    `name: synthetic-rf
description: synthetic machines (test fixture)
source:
  kind: csv
  files:
    - path: \${SMX_TEST_DATA_DIR:-.}/machines.csv
target:
  column: failure
  leakage: [mode_flag]
features:
  - kind: tabular
    numeric: [torque, speed]
    ordinal:
      Type: { L: 0, M: 1, H: 2 }
split:
  kind: stratified
  testSize: 0.25
  seed: 1
model:
  kind: random-forest-classifier
  params: { nEstimators: 15, seed: 0 }
evaluation:
  kind: classification
registration:
  name: synthetic-failure
  domain: tabular
`,
  );
  return { pipeline, data };
}
