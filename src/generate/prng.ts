import { Random as SharedRandom } from '../random.js';

/**
 * smx's sfc32 generator (src/random.ts), seeded per stream, and a Gaussian on top of it. Each sensor
 * gets its own stream derived from (seed, sensor, purpose), so a sensor's
 * values do not depend on how many other sensors are generated or in which order.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller, the spare value cached). */
  gaussian(): number;
}

function hash32(text: string): number {
  // FNV-1a, then a murmur finalizer: cheap and well mixed for seeding.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function createRandom(seed: number | string, ...stream: Array<string | number>): Random {
  const key = [String(seed), ...stream.map(String)].join('\u0001');
  const generator = SharedRandom.fromState(hash32(key + 'a'), hash32(key + 'b'), hash32(key + 'c'), 1);
  const next = (): number => generator.nextUint32() / 4294967296;
  for (let i = 0; i < 12; i++) next(); // discard the first outputs, as sfc32's authors advise
  let spare: number | undefined;
  return {
    next,
    gaussian() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}
