/**
 * drawTargets: stratified bottom-k selection per department (docs/draw-spec.md §6).
 *
 *   drawTargets(FrozenInputs, seedHex) → TargetResult[]   (one per department, sorted by id)
 *
 *   TargetResult = { department, strata: [ { stratum: "A", candidates: 812, quota: 9, shortfall: 0,
 *                    selected: [[1, "91350…", "3f0a…(16 hex)"], …], next: [[10, …], …] } ×4 ] }
 *
 * Candidates of department d in stratum s = pool entities with stratum s, in d's scope, not in d's
 * exclusions. quota = count, or ceil(candidates·p/q) for a ratio p/q (exact integer arithmetic).
 * Selected = the `quota` candidates with the smallest tickets (ties by code); `next` = the
 * following `config.substitutes` candidates, for documented 递补. When a count quota exceeds the
 * candidates, all are selected and `shortfall` says how many are missing.
 */
import { availableParallelism } from "node:os";
import { candidateMask, poolIndex } from "./freeze.ts";
import { ceilRatio, parseRatio, DrawInputError } from "./rational.ts";
import { computeTickets, computeTicketsParallel, stratumOrderTable, wordsHex, type StratumOrder } from "./tickets.ts";
import { RISK_CLASSES, type FrozenDepartment, type Quota, type RiskClass } from "./types.ts";

/** What target selection reads of the frozen inputs (version 1 FrozenInputs and version 2 both fit). */
export interface SamplingFrame {
  pool: { codes: string[]; strata: string };
  departments: readonly Pick<FrozenDepartment, "id" | "scope" | "quotas" | "excluded">[];
  config: { substitutes: number };
}

/** [rank (1-based within department and stratum), code, first 8 ticket bytes as 16 hex]. */
export type RankedEntity = [rank: number, code: string, ticket: string];

export interface StratumResult {
  stratum: RiskClass;
  candidates: number;
  quota: number;
  shortfall: number;
  selected: RankedEntity[];
  next: RankedEntity[];
}

export interface TargetResult {
  department: string;
  strata: StratumResult[];
}

/** The quota for `candidates` entities (ratio: ceil(n·p/q); count: as given). */
export function quotaFor(q: Quota, candidates: number): number {
  return "ratio" in q ? ceilRatio(candidates, parseRatio(q.ratio, "quota")) : q.count;
}

/** Precomputed ticket order of a frozen pool under one seed; reused by draw, substitution and verify. */
export interface TicketOrder {
  tickets: Uint32Array;
  /** The pool's codes packed as hashed (SLOT bytes each), when the tickets were computed here. */
  packed?: Uint8Array;
  /** Per stratum, the (lazily sorted) ticket order. */
  byStratum: Record<RiskClass, StratumOrder>;
}

export function ticketOrder(f: SamplingFrame, seedHex: string, tickets?: Uint32Array, packed?: Uint8Array): TicketOrder {
  const out: { bytes?: Uint8Array } = { bytes: packed };
  const T = tickets ?? computeTickets(seedHex, f.pool.codes, out);
  return { tickets: T, byStratum: stratumOrderTable(T, f.pool.codes, f.pool.strata), ...(out.bytes ? { packed: out.bytes } : {}) };
}

/** ticketOrder with tickets computed on `threads` threads (default: all cores). Identical result. */
export async function ticketOrderParallel(f: SamplingFrame, seedHex: string, threads = availableParallelism()): Promise<TicketOrder> {
  const out: { bytes?: Uint8Array } = {};
  const T = await computeTicketsParallel(seedHex, f.pool.codes, threads, true, out);
  return ticketOrder(f, seedHex, T, out.bytes);
}

/** Candidates of department `di` in `stratum`, in ticket order (pool indices). */
export function candidateOrder(f: SamplingFrame, order: TicketOrder, di: number, stratum: RiskClass, mask = candidateMask(f, di)): number[] {
  const out: number[] = [];
  for (const i of order.byStratum[stratum].full()) if (mask[i]) out.push(i);
  return out;
}

/** One class of a department's selection as pool indices, in ticket order. */
export interface StratumSelection {
  stratum: RiskClass;
  candidates: number;
  quota: number;
  shortfall: number;
  selected: Int32Array;
  next: Int32Array;
}

/**
 * The selection itself (§6.3–6.5): for each department and class, the pool indices of the
 * selected and next candidates in ticket order. drawTargets presents it as rows (version 1).
 */
export function selectTargets(f: SamplingFrame, order: TicketOrder): { department: string; strata: StratumSelection[] }[] {
  const { codes } = f.pool;
  const extra = f.config.substitutes;
  return f.departments.map((d, di) => {
    // 不定向 departments: candidates = the stratum minus the department's exclusions, counted
    // from the (short) exclusion list; 定向 ones use a mask over the pool.
    let ex: Set<number> | null = null;
    const excludedPerStratum: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
    let mask: Uint8Array | null = null;
    if (d.scope.kind === "all") {
      ex = new Set<number>();
      for (const x of d.excluded) {
        const i = poolIndex(codes, x.code);
        if (i >= 0 && !ex.has(i)) {
          ex.add(i);
          excludedPerStratum[f.pool.strata[i]!]!++;
        }
      }
    } else mask = candidateMask(f, di);
    const strata = RISK_CLASSES.map((k): StratumSelection => {
      const so = order.byStratum[k];
      const members = so.members;
      let n = 0;
      if (!mask) n = members.length - excludedPerStratum[k]!;
      else for (let j = 0; j < members.length; j++) n += mask[members[j]!]!;
      const quota = quotaFor(d.quotas[k], n);
      const take = Math.min(quota, n);
      const want = Math.min(n, take + extra);
      const picked = new Int32Array(want);
      // Expected walk length: (take + extra) / (share of the stratum that are candidates).
      so.reserve(n > 0 ? Math.ceil(((take + extra) * members.length * 1.05) / n) + 64 : 0);
      let got = 0;
      for (let j = 0; j < members.length && got < want; j++) {
        const i = so.at(j);
        if (mask ? mask[i] === 1 : ex!.size === 0 || !ex!.has(i)) picked[got++] = i;
      }
      return { stratum: k, candidates: n, quota, shortfall: quota - take, selected: picked.subarray(0, take), next: picked.subarray(take, got) };
    });
    return { department: d.id, strata };
  });
}

export function drawTargets(f: SamplingFrame, seedHex: string, order: TicketOrder = ticketOrder(f, seedHex)): TargetResult[] {
  const { codes } = f.pool;
  const T = order.tickets;
  return selectTargets(f, order).map((t) => ({
    department: t.department,
    strata: t.strata.map((s): StratumResult => {
      const row = (i: number, k: number): RankedEntity => [k + 1, codes[i]!, wordsHex(T, 8 * i, 2)];
      const selected = Array.from(s.selected, (i, k) => row(i, k));
      const next = Array.from(s.next, (i, k) => row(i, s.selected.length + k));
      return { stratum: s.stratum, candidates: s.candidates, quota: s.quota, shortfall: s.shortfall, selected, next };
    }),
  }));
}

/** A documented replacement of a drawn entity (e.g. found deregistered on arrival). */
export interface TargetSubstitution {
  department: string;
  stratum: RiskClass;
  out: string;
  in: string | null;
  reason: string;
}

/**
 * 递补 of a target: the replacement for `out` is the first candidate of the department and stratum,
 * in ticket order, that is neither currently selected nor removed by an earlier substitution;
 * null when the candidates are exhausted. Pure: `prior` are the substitutions already recorded.
 */
export function substituteTarget(
  f: SamplingFrame,
  order: TicketOrder,
  results: readonly TargetResult[],
  prior: readonly TargetSubstitution[],
  req: { department: string; stratum: RiskClass; out: string; reason: string },
): TargetSubstitution {
  const di = f.departments.findIndex((d) => d.id === req.department);
  if (di < 0) throw new DrawInputError("department", "substitution", `${req.department} is not a department of the batch`);
  if (!req.reason.trim()) throw new DrawInputError("reason", "substitution", "a substitution needs a reason");
  const res = results.find((r) => r.department === req.department)!.strata.find((s) => s.stratum === req.stratum)!;
  const current = new Set(res.selected.map((r) => r[1]));
  const removed = new Set<string>();
  for (const p of prior) {
    if (p.department !== req.department || p.stratum !== req.stratum) continue;
    current.delete(p.out);
    removed.add(p.out);
    if (p.in) current.add(p.in);
  }
  if (!current.has(req.out)) throw new DrawInputError("out", "substitution", `${req.out} is not currently selected by ${req.department} in stratum ${req.stratum}`);
  const cand = candidateOrder(f, order, di, req.stratum);
  const next = cand.map((i) => f.pool.codes[i]!).find((c) => !current.has(c) && !removed.has(c) && c !== req.out) ?? null;
  return { department: req.department, stratum: req.stratum, out: req.out, in: next, reason: req.reason };
}
