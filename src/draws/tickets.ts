/**
 * Tickets and bottom-k ordering (consistent sampling; Rivest, "Consistent Sampling with
 * Replacement", 2018; Cohen & Kaplan, bottom-k sketches, 2007).
 *
 *   ticketKey = SHA-256(UTF-8("ssj-draw/1 ticket") ‖ seed)             (32 bytes)
 *   ticket(code) = SHA-256(ticketKey ‖ UTF-8(code))                     (32 bytes, compared as bytes)
 *
 * A ticket depends on the seed and the code only, never on db ids or row order: the order of
 * the pool is irrelevant, and every department sharing the seed sees the same order, so samples
 * of departments overlap as much as uniform sampling allows. Taking the k smallest tickets of a
 * stratum is a uniform k-subset (tickets are i.i.d. uniform for a random-oracle hash); there is no
 * modulo reduction anywhere, so no modulo bias.
 */
import { derivedKey } from "./seed.ts";
import { ticketsParallel, ticketsSync, type PackedOut } from "./sha256.ts";
import { RISK_CLASSES, type RiskClass } from "./types.ts";

/** Full ticket of one code, 64 hex characters. */
export function ticketOf(seedHex: string, code: string): string {
  return wordsHex(ticketsSync(derivedKey(seedHex, "ticket"), [code]), 0, 8);
}

export function wordsHex(w: Uint32Array, off: number, nWords: number): string {
  let s = "";
  for (let j = 0; j < nWords; j++) s += w[off + j]!.toString(16).padStart(8, "0");
  return s;
}

/** Tickets of all codes: 8 uint32 words per code (see sha256.ts). */
export function computeTickets(seedHex: string, codes: readonly string[], packedOut?: PackedOut): Uint32Array {
  return ticketsSync(derivedKey(seedHex, "ticket"), codes, packedOut);
}

/** Same as computeTickets, using `threads` threads (worker_threads); identical output. */
export function computeTicketsParallel(seedHex: string, codes: readonly string[], threads: number, callerWorks = true, packedOut?: PackedOut): Promise<Uint32Array> {
  return ticketsParallel(derivedKey(seedHex, "ticket"), codes, threads, callerWorks, packedOut);
}

/** Compare entities i and j by (ticket bytes, then code). */
export function compareTickets(T: Uint32Array, codes: readonly string[], i: number, j: number): number {
  for (let w = 0; w < 8; w++) {
    const a = T[8 * i + w]!;
    const b = T[8 * j + w]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  const ci = codes[i]!;
  const cj = codes[j]!;
  return ci < cj ? -1 : ci > cj ? 1 : 0;
}

/**
 * Pool indices of `members`, sorted by ascending ticket (ties by code). Sorts a Float64Array of
 * (first ticket bits ‖ local index) natively, then re-sorts the rare runs whose leading bits tie
 * with the full comparison, so the result is exactly the specified order.
 */
export function sortByTicket(T: Uint32Array, codes: readonly string[], members: Int32Array): Int32Array {
  const m = members.length;
  if (m === 0) return members.slice();
  const b = Math.max(1, Math.ceil(Math.log2(m + 1)));
  const tb = Math.min(32, 53 - b);
  if (tb < 8) throw new RangeError("stratum too large for the ordering key");
  const shift = 2 ** (32 - tb);
  const scale = 2 ** b;
  const keys = new Float64Array(m);
  for (let k = 0; k < m; k++) keys[k] = Math.floor(T[8 * members[k]!]! / shift) * scale + k;
  keys.sort();
  const out = new Int32Array(m);
  let prevPrefix = -1;
  let runStart = 0;
  const fixRun = (from: number, to: number) => {
    if (to - from < 2) return;
    const run = Array.from(out.subarray(from, to)).sort((x, y) => compareTickets(T, codes, x, y));
    out.set(run, from);
  };
  for (let k = 0; k < m; k++) {
    const key = keys[k]!;
    const prefix = Math.floor(key / scale);
    out[k] = members[key - prefix * scale]!;
    if (prefix !== prevPrefix) {
      fixRun(runStart, k);
      runStart = k;
      prevPrefix = prefix;
    }
  }
  fixRun(runStart, m);
  return out;
}

/**
 * The ticket order of one stratum, sorted lazily in bands of the leading ticket word: a draw of a
 * few percent needs only the first few percent of the order, so only that band is sorted
 * (members whose first ticket word is below a bound); further bands are sorted on demand. Bands
 * are disjoint ranges of the first word, so their concatenation is exactly the full order.
 */
export class StratumOrder {
  private sorted: Int32Array;
  private count = 0;
  /** Exclusive upper bound (on the first ticket word) of what is sorted so far. */
  private bound = 0;
  constructor(
    private readonly T: Uint32Array,
    private readonly codes: readonly string[],
    /** Pool indices of the stratum, in pool order. */
    readonly members: Int32Array,
  ) {
    this.sorted = new Int32Array(0);
  }

  get length(): number {
    return this.members.length;
  }

  /** Pool index of the j-th member in ticket order (0-based), or -1 past the end. */
  at(j: number): number {
    if (j >= this.members.length) return -1;
    // Grow geometrically: each extension scans the whole stratum once.
    if (j >= this.count) this.extend(Math.max(j + 1, 2 * this.count, 1024));
    return this.sorted[j]!;
  }

  /** Make sure the first `n` positions are sorted (a hint before a walk of about n steps). */
  reserve(n: number): void {
    const want = Math.min(n, this.members.length);
    if (want > this.count) this.extend(want);
  }

  /** The whole order. */
  full(): Int32Array {
    if (this.count < this.members.length) this.extend(this.members.length);
    return this.sorted.subarray(0, this.count);
  }

  private extend(want: number): void {
    const m = this.members.length;
    const T = this.T;
    while (this.count < want && this.bound < 2 ** 32) {
      const missing = want - this.count;
      // Expected members per unit of the first word: m / 2^32. Ask for 25 % more than missing.
      const width = Math.ceil(((missing * 1.25 + 64) / m) * 2 ** 32);
      const lo = this.bound;
      const hi = want >= m ? 2 ** 32 : Math.min(2 ** 32, lo + width);
      let k = 0;
      for (let i = 0; i < m; i++) {
        const w = T[8 * this.members[i]!]!;
        if (w >= lo && w < hi) k++;
      }
      const band = new Int32Array(k);
      k = 0;
      for (let i = 0; i < m; i++) {
        const p = this.members[i]!;
        const w = T[8 * p]!;
        if (w >= lo && w < hi) band[k++] = p;
      }
      const ordered = sortByTicket(T, this.codes, band);
      if (this.count + ordered.length > this.sorted.length) {
        const grown = new Int32Array(Math.min(m, Math.max(this.count + ordered.length, this.sorted.length * 2)));
        grown.set(this.sorted.subarray(0, this.count));
        this.sorted = grown;
      }
      this.sorted.set(ordered, this.count);
      this.count += ordered.length;
      this.bound = hi;
    }
  }
}

/** For each stratum, its lazily sorted ticket order. */
export function stratumOrderTable(T: Uint32Array, codes: readonly string[], strata: string): Record<RiskClass, StratumOrder> {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < strata.length; i++) counts[strata.charCodeAt(i) - 65]!++;
  const lists = counts.map((c) => new Int32Array(c));
  const fill = [0, 0, 0, 0];
  for (let i = 0; i < strata.length; i++) {
    const s = strata.charCodeAt(i) - 65;
    lists[s]![fill[s]!++] = i;
  }
  const out = {} as Record<RiskClass, StratumOrder>;
  RISK_CLASSES.forEach((k, s) => (out[k] = new StratumOrder(T, codes, lists[s]!)));
  return out;
}
