/**
 * Results of a version-2 draw (docs/draw-spec.md §6–8): targets by class (version 1's selection
 * rule), then the teams (§7), and the public projection that names no entity's class.
 *
 *   samplingFrame(inputs)              → the view target selection reads
 *   runDraw2(inputs, seed, order?)     → { results, publicResults, teams, index }
 *       index: the same lists as pool indices (for the fast record digests below)
 *   drawRecordDigests(outcome, audit, codes) → { public, private }   = H of the draw record's parts
 *
 * A pool of 2,000,000 entities draws about a million codes, scattered over the heap; hashing them
 * from the pool's packed bytes (one slot per code, in pool order) instead of from the strings is
 * what keeps the draw record's digests fast. The bytes are exactly CJSON's (tested against digestOf).
 */
import { codePointCompare } from "../canonicalJson.ts";
import { HashWriter } from "../hashWriter.ts";
import { SLOT } from "../ticketCore.js";
import { selectTargets, ticketOrder, type SamplingFrame, type StratumSelection, type TicketOrder } from "../targets.ts";
import { drawTeams, currentChecks, teamContext, type TeamContext, type TeamState } from "./teams.ts";
import type { AuditHead, ClassCount, FrozenInputs2, PublicResults, Results2 } from "./types.ts";

export function samplingFrame(f: FrozenInputs2): SamplingFrame {
  return { pool: { codes: f.public.pool.codes, strata: f.private.strata }, departments: f.public.departments, config: f.public.config };
}

export interface DrawIndex {
  targets: { department: string; strata: StratumSelection[] }[];
  /**
   * Per department, the public lists (all classes merged in ticket order) as pool indices, and as
   * positions in the classes' lists concatenated (selectedAt into A's, B's, C's, D's selected …).
   */
  public: { selected: Int32Array; next: Int32Array; selectedAt: Int32Array; nextAt: Int32Array }[];
}

export interface DrawOutcome {
  readonly results: Results2;
  readonly publicResults: PublicResults;
  readonly index: DrawIndex;
  /** The teams (§7), also in `results.checks`. */
  readonly checks: Results2["checks"];
  /** Team state after the draw (null without an inspector directory). */
  teams: TeamState | null;
  ctx: TeamContext | null;
}

/** Is entity a before b in ticket order (full ticket, ties by code)? */
function before(T: Uint32Array, codes: readonly string[], a: number, b: number): boolean {
  for (let w = 0; w < 8; w++) {
    const x = T[8 * a + w]!;
    const y = T[8 * b + w]!;
    if (x !== y) return x < y;
  }
  return codes[a]! < codes[b]!;
}

/**
 * k-way merge of the classes' lists (each in ticket order) into one list in ticket order. Each
 * list's first ticket words are gathered once (one scattered read per entry), so the merge itself
 * compares sequential words; equal first words fall back to the full ticket.
 */
function mergeByTicket(lists: readonly Int32Array[], T: Uint32Array, codes: readonly string[]): { idx: Int32Array; pos: Int32Array } {
  const heads = lists.map((l) => {
    const h = new Uint32Array(l.length); // (a plain loop: TypedArray.from with a map function is slow)
    for (let j = 0; j < l.length; j++) h[j] = T[8 * l[j]!]!;
    return h;
  });
  const pos = lists.map(() => 0);
  const total = lists.reduce((n, l) => n + l.length, 0);
  const out = new Int32Array(total);
  const at = new Int32Array(total);
  const offset = lists.map((_, l) => lists.slice(0, l).reduce((n, x) => n + x.length, 0));
  for (let k = 0; k < total; k++) {
    let best = -1;
    for (let l = 0; l < lists.length; l++) {
      const p = pos[l]!;
      if (p >= lists[l]!.length) continue;
      if (best < 0) {
        best = l;
        continue;
      }
      const x = heads[l]![p]!;
      const y = heads[best]![pos[best]!]!;
      if (x < y || (x === y && before(T, codes, lists[l]![p]!, lists[best]![pos[best]!]!))) best = l;
    }
    at[k] = offset[best]! + pos[best]!;
    out[k] = lists[best]![pos[best]!++]!;
  }
  return { idx: out, pos: at };
}

const codesOf = (codes: readonly string[], idx: Int32Array): string[] => {
  const out = new Array<string>(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = codes[idx[j]!]!;
  return out;
};

/** The checks implied by the selections: each selected entity with every department that selected it. */
function checksOf(f: FrozenInputs2, targets: readonly { department: string; strata: readonly { selected: readonly string[] }[] }[]): { code: string; departments: string[] }[] {
  const byCode = new Map<string, string[]>();
  for (const t of targets)
    for (const s of t.strata)
      for (const code of s.selected) {
        const l = byCode.get(code);
        if (l) l.push(t.department);
        else byCode.set(code, [t.department]);
      }
  const role = new Map(f.public.departments.map((d) => [d.id, d.role]));
  const order = (deps: string[]) => [...new Set(deps)].sort((a, b) => (role.get(a) === "lead" ? 0 : 1) - (role.get(b) === "lead" ? 0 : 1) || codePointCompare(a, b));
  return [...byCode.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([code, deps]) => ({ code, departments: order(deps) }));
}

/** The outcome of a draw; its code lists are built when first read (a verifier comparing digests never needs them). */
class Outcome implements DrawOutcome {
  private built: { results: Results2; publicResults: PublicResults } | null = null;
  constructor(
    private readonly codes: readonly string[],
    readonly index: DrawIndex,
    readonly checks: Results2["checks"],
    readonly teams: TeamState | null,
    readonly ctx: TeamContext | null,
  ) {}
  private build() {
    const { codes, index } = this;
    return (this.built ??= {
      results: {
        targets: index.targets.map((t) => ({
          department: t.department,
          strata: t.strata.map((s) => ({ stratum: s.stratum, candidates: s.candidates, quota: s.quota, shortfall: s.shortfall, selected: codesOf(codes, s.selected), next: codesOf(codes, s.next) })),
        })),
        checks: this.checks,
      },
      publicResults: {
        targets: index.targets.map((t, di) => ({
          department: t.department,
          classes: classCounts(t.strata),
          selected: codesOf(codes, index.public[di]!.selected),
          next: codesOf(codes, index.public[di]!.next),
        })),
      },
    });
  }
  get results(): Results2 {
    return this.build().results;
  }
  get publicResults(): PublicResults {
    return this.build().publicResults;
  }
}

const classCounts = (strata: readonly StratumSelection[]): ClassCount[] =>
  strata.map((s) => ({ stratum: s.stratum, candidates: s.candidates, quota: s.quota, shortfall: s.shortfall, selected: s.selected.length, next: s.next.length }));

export function runDraw2(f: FrozenInputs2, seedHex: string, order?: TicketOrder): DrawOutcome {
  const frame = samplingFrame(f);
  const o = order ?? ticketOrder(frame, seedHex);
  const codes = f.public.pool.codes;
  const sel = selectTargets(frame, o);
  const pubIdx = sel.map((t) => {
    const selected = mergeByTicket(t.strata.map((s) => s.selected), o.tickets, codes);
    const next = mergeByTicket(t.strata.map((s) => s.next), o.tickets, codes);
    return { selected: selected.idx, next: next.idx, selectedAt: selected.pos, nextAt: next.pos };
  });
  const index = { targets: sel, public: pubIdx };
  if (!f.private.inspectors) return new Outcome(codes, index, null, null, null);
  const ctx = teamContext(f.public, f.private.inspectors, seedHex);
  const selected = sel.map((t) => ({ department: t.department, strata: t.strata.map((s) => ({ selected: codesOf(codes, s.selected) })) }));
  const teams = drawTeams(ctx, checksOf(f, selected));
  return new Outcome(codes, index, structuredClone(currentChecks(teams)), teams, ctx);
}

/** The slots of a department's selected and next codes, class after class, copied out of `packed`. */
function gatherSlots(packed: Uint8Array, strata: readonly StratumSelection[]) {
  const W = SLOT / 4; // a slot is 6 aligned 32-bit words
  const src = packed.byteOffset % 4 === 0 ? new Uint32Array(packed.buffer, packed.byteOffset, (packed.length / 4) | 0) : null;
  const one = (lists: Int32Array[]) => {
    const total = lists.reduce((n, l) => n + l.length, 0);
    const words = new Uint32Array(total * W);
    const bytes = new Uint8Array(words.buffer);
    const from: number[] = [];
    let k = 0;
    for (const l of lists) {
      from.push(k);
      for (let j = 0; j < l.length; j++, k++) {
        const a = l[j]! * W;
        const b = k * W;
        if (src) for (let w = 0; w < W; w++) words[b + w] = src[a + w]!;
        else for (let x = 0; x < SLOT; x++) bytes[b * 4 + x] = packed[a * 4 + x]!;
      }
    }
    return { bytes, from };
  };
  const sel = one(strata.map((s) => s.selected));
  const next = one(strata.map((s) => s.next));
  return { selected: sel.bytes, selectedFrom: sel.from, next: next.bytes, nextFrom: next.from };
}

const range = (from: number, n: number): Int32Array => {
  const out = new Int32Array(n);
  for (let j = 0; j < n; j++) out[j] = from + j;
  return out;
};

/** A code list `["…","…"]` from pool indices: copied from the packed slots, else from the strings. */
function codeList(w: HashWriter, idx: Int32Array, codes: readonly string[], packed: Uint8Array | undefined): void {
  if (packed) w.packedCodes(idx, packed);
  else w.strArray(codesOf(codes, idx));
}

function classes(w: HashWriter, s: { stratum: string; candidates: number; quota: number; shortfall: number; selected: number; next: number }): void {
  w.raw('{"candidates":');
  w.int(s.candidates);
  w.raw(',"next":');
  w.int(s.next);
  w.raw(',"quota":');
  w.int(s.quota);
  w.raw(',"selected":');
  w.int(s.selected);
  w.raw(',"shortfall":');
  w.int(s.shortfall);
  w.raw(',"stratum":');
  w.str(s.stratum);
  w.raw("}");
}

/**
 * H(public) and H(private) of the draw record (§9.1), streamed for their fixed shape:
 *   public  = { audit, results: { targets: [{ classes, department, next, selected }] } }
 *   private = { results: { checks, targets: [{ department, strata: [{ candidates, next, quota, selected, shortfall, stratum }] }] } }
 */
export function drawRecordDigests(out: DrawOutcome, audit: AuditHead, codes: readonly string[], packed?: Uint8Array): { public: string; private: string } {
  // Each department's codes are gathered from the pool's packed slots once (scattered reads), in
  // the classes' order; the public lists then read that compact copy through their positions.
  const compact = packed ? out.index.targets.map((t) => gatherSlots(packed, t.strata)) : null;
  const list = (w: HashWriter, di: number, which: "selected" | "next") => {
    const pub = out.index.public[di]!;
    if (compact) w.packedCodes(which === "selected" ? pub.selectedAt : pub.nextAt, compact[di]![which]);
    else codeList(w, pub[which], codes, undefined);
  };
  const p = new HashWriter();
  p.raw('{"audit":');
  p.value(audit);
  p.raw(',"results":{"targets":[');
  out.index.targets.forEach((t, di) => {
    if (di > 0) p.raw(",");
    p.raw('{"classes":[');
    classCounts(t.strata).forEach((c, k) => {
      if (k > 0) p.raw(",");
      classes(p, c);
    });
    p.raw('],"department":');
    p.str(t.department);
    p.raw(',"next":');
    list(p, di, "next");
    p.raw(',"selected":');
    list(p, di, "selected");
    p.raw("}");
  });
  p.raw("]}}");
  const q = new HashWriter();
  q.raw('{"results":{"checks":');
  q.value(out.checks);
  q.raw(',"targets":[');
  out.index.targets.forEach((t, di) => {
    if (di > 0) q.raw(",");
    q.raw('{"department":');
    q.str(t.department);
    q.raw(',"strata":[');
    t.strata.forEach((s, k) => {
      if (k > 0) q.raw(",");
      q.raw('{"candidates":');
      q.int(s.candidates);
      q.raw(',"next":');
      if (compact) q.packedCodes(range(compact[di]!.nextFrom[k]!, s.next.length), compact[di]!.next);
      else codeList(q, s.next, codes, undefined);
      q.raw(',"quota":');
      q.int(s.quota);
      q.raw(',"selected":');
      if (compact) q.packedCodes(range(compact[di]!.selectedFrom[k]!, s.selected.length), compact[di]!.selected);
      else codeList(q, s.selected, codes, undefined);
      q.raw(',"shortfall":');
      q.int(s.shortfall);
      q.raw(',"stratum":');
      q.str(s.stratum);
      q.raw("}");
    });
    q.raw("]}");
  });
  q.raw("]}}");
  return { public: p.digestHex(), private: q.digestHex() };
}
