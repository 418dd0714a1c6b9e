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
import { ticketsParallel, ticketsSync } from "./sha256.ts";
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
export function computeTickets(seedHex: string, codes: readonly string[]): Uint32Array {
  return ticketsSync(derivedKey(seedHex, "ticket"), codes);
}

/** Same as computeTickets, using `threads` threads (worker_threads); identical output. */
export function computeTicketsParallel(seedHex: string, codes: readonly string[], threads: number, callerWorks = true): Promise<Uint32Array> {
  return ticketsParallel(derivedKey(seedHex, "ticket"), codes, threads, callerWorks);
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

/** For each stratum, the pool indices in ticket order. */
export function stratumOrders(T: Uint32Array, codes: readonly string[], strata: string): Record<RiskClass, Int32Array> {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < strata.length; i++) counts[strata.charCodeAt(i) - 65]!++;
  const lists = counts.map((c) => new Int32Array(c));
  const fill = [0, 0, 0, 0];
  for (let i = 0; i < strata.length; i++) {
    const s = strata.charCodeAt(i) - 65;
    lists[s]![fill[s]!++] = i;
  }
  const out = {} as Record<RiskClass, Int32Array>;
  RISK_CLASSES.forEach((k, s) => (out[k] = sortByTicket(T, codes, lists[s]!)));
  return out;
}
