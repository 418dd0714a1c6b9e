/**
 * Small, fast, fully specified pseudo-random tools for the demo generator. Pure, no imports.
 *
 * - `seedWords(seed, label)`: four 32-bit words from a string (cyrb128 hash of `label:seed`).
 * - `Sfc32`: Chris Doty-Humphrey's sfc32 generator (128-bit state), seeded from words and an
 *   optional counter, so "entity i" gets its own independent stream: Sfc32.of(words, i).
 * - `permute30`: a keyed bijection on [0, n) (n ≤ 2^30) by cycle-walking a keyed invertible
 *   30-bit mix; used to give each entity index a unique, scrambled organisation-code number.
 *
 * These are not cryptographic: the demo city needs reproducibility, not secrecy.
 */

export type Words = readonly [number, number, number, number];

/** cyrb128 of `${label}:${seed}`: four 32-bit words. */
export function seedWords(seed: string, label: string): Words {
  const str = `${label}:${seed}`;
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** murmur3 finaliser: a 32-bit avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A stream for `counter` (e.g. an entity index) under `words`. */
  static of(words: Words, counter = 0): Sfc32 {
    const lo = counter >>> 0;
    const hi = Math.floor(counter / 4294967296) >>> 0;
    return new Sfc32(words[0] ^ fmix32(lo ^ 0x9e3779b9), words[1] ^ fmix32(hi + 0x7f4a7c15), words[2] ^ lo, words[3]);
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Index into a cumulative-weight table (as built by `cumulative`). */
  weighted(table: CumulativeTable): number {
    const x = this.next() * table.total;
    const cum = table.cum;
    let lo = 0,
      hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < cum[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** `k` distinct elements, in a random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + this.int(copy.length - i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }
}

export interface CumulativeTable {
  cum: Float64Array;
  total: number;
}

export function cumulative(weights: readonly number[]): CumulativeTable {
  const cum = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    cum[i] = total;
  });
  return { cum, total };
}

/** Keyed invertible mix on `bits`-bit integers (xor, odd multiply and xorshift steps, each invertible mod 2^bits). */
function mixBits(x: number, k: Words, bits: number, mask: number): number {
  const shift = (bits + 1) >>> 1;
  x = (x ^ k[0]) & mask;
  x = Math.imul(x, (k[1] | 1) >>> 0) & mask;
  x ^= x >>> shift;
  x = (x + k[2]) & mask;
  x = Math.imul(x, 0x2c1b3c6d) & mask;
  x ^= x >>> shift;
  x = Math.imul(x, (k[3] | 1) >>> 0) & mask;
  x ^= x >>> shift;
  return x;
}

/**
 * A keyed bijection on [0, n), n ≤ 2^30: cycle-walks a keyed invertible mix on the smallest
 * power-of-two domain holding n (so fewer than two steps are needed on average).
 */
export function permute30(i: number, n: number, k: Words): number {
  if (!(Number.isInteger(n) && n > 0 && n <= 2 ** 30)) throw new RangeError("permute30: n must be an integer in [1, 2^30]");
  if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new RangeError(`permute30: index ${i} out of [0, ${n})`);
  if (n === 1) return 0;
  const bits = Math.ceil(Math.log2(n));
  const mask = bits >= 30 ? 0x3fffffff : (1 << bits) - 1;
  let x = i;
  do x = mixBits(x, k, bits, mask);
  while (x >= n);
  return x;
}
