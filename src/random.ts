/**
 * The one seeded PRNG of smx, for every stochastic step: bootstrap, feature
 * sampling, isolation-tree thresholds, split shuffles, forecaster batch order
 * and drift reservoir sampling. Math.random is not seedable, so it is never
 * used where a result must be reproducible.
 *
 * sfc32 seeded through splitmix32: fast in JS (pure 32-bit integer ops), passes
 * PractRand to large sizes, and one integer seed gives a reproducible stream.
 * The stream decides the committed tree models (models/MANIFEST.sha256), so any
 * change to nextUint32 or the seeding retrains them.
 * It does not reproduce NumPy's Mersenne Twister, so smx's random draws differ
 * from scikit-learn's even with the same seed; parity is statistical, not bitwise.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed = 0) {
    let s = seed >>> 0;
    const next = (): number => {
      // splitmix32
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A generator from an explicit sfc32 state (streams seeded another way, e.g. by hashing names). */
  static fromState(a: number, b: number, c: number, d: number): Random {
    const random = Object.create(Random.prototype) as Random;
    random.a = a | 0;
    random.b = b | 0;
    random.c = c | 0;
    random.d = d | 0;
    return random;
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in (0, 1): safe under Math.log. */
  nextOpenFloat(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    return u;
  }

  /** Uniform integer in [0, n), n <= 2^32; rejection sampling keeps it unbiased. */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    const limit = 4294967296 - (4294967296 % n);
    let v = this.nextUint32();
    while (v >= limit) v = this.nextUint32();
    return v % n;
  }

  /** Standard normal variate (Box–Muller, one of the pair; two uniforms per call). */
  nextNormal(): number {
    const u = this.nextOpenFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.nextFloat());
  }

  /** A fresh seed for a child stream (one per tree), drawn from this stream. */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: number }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = arr[i] as number;
      arr[i] = arr[j] as number;
      arr[j] = tmp;
    }
    return arr;
  }

  /** 0..n-1 in random order. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }
}
