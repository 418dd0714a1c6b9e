/**
 * The panel draw and its record chain (docs/draw-spec.md §15.3–15.4): every person gets a ticket
 * from the seed and their id alone; each seat takes, in ticket order, its eligible persons not yet
 * on an earlier seat; a person who must step aside (回避 found late, illness) is replaced by the
 * next free person of the seat's order — never a free choice.
 *
 *   const r = new PanelReplay(inputs, seed, provenance, commitment);
 *   r.makeDraw(at, audit) → record 0;  r.makeSubstitution({ seat, out, reason }, at, audit) → the next
 *   r.apply(record, "records[1]")     (verifier: recompute and compare)
 */
import { createHash } from "node:crypto";
import { codePointCompare } from "../draws/canonicalJson.ts";
import { firstDifference } from "../draws/manifest.ts";
import { recordDigest, seedRecordDigest } from "../draws/v2/chain.ts";
import { digestOf } from "../draws/v2/digest.ts";
import { fail } from "../draws/v2/shape.ts";
import type { AuditHead, PanelInputs, PanelRecord, PanelRecordBody, PanelResults, Provenance2, PublicPanelResults, Seat, SeatResult } from "./types.ts";

/** key_panel = SHA256(UTF8("ssj-draw/1 panel") ‖ seed) (§5's derivation, purpose "panel"). */
export function panelKey(seed: string): Buffer {
  return createHash("sha256").update("ssj-draw/1 panel", "utf8").update(Buffer.from(seed, "hex")).digest();
}

/** ticket(p) = SHA256(key_panel ‖ UTF8(p.id)), hex. */
export function personTicket(key: Uint8Array, id: string): string {
  return createHash("sha256").update(key).update(id, "utf8").digest("hex");
}

const covers = (districts: string[], district: string) => districts.some((p) => district.startsWith(p));

/** §15.3 eligibility of every person for one seat (before "not on an earlier seat"). */
export function eligibleFor(inputs: PanelInputs, seat: Seat): string[] {
  const { application, experts, officers, recusals } = inputs.private;
  const day = inputs.public.panel.day;
  const recused = new Set(recusals.map((r) => r.person));
  const free = (p: { id: string; active: boolean; districts: string[]; unavailable: string[] }) =>
    p.active && covers(p.districts, application.district) && !p.unavailable.includes(day) && !recused.has(p.id);
  if (seat.kind === "expert") return experts.filter((x) => free(x) && x.specialities.includes(seat.speciality)).map((x) => x.id);
  return officers.filter((o) => free(o) && o.department === seat.department && seat.qualifications.every((q) => o.qualifications.includes(q))).map((o) => o.id);
}

/** The seat's order: its eligible persons by ascending ticket, ties by id. */
export function seatOrder(inputs: PanelInputs, seat: Seat, key: Uint8Array): string[] {
  const t = new Map(eligibleFor(inputs, seat).map((id) => [id, personTicket(key, id)]));
  return [...t.keys()].sort((a, b) => (t.get(a)! < t.get(b)! ? -1 : t.get(a)! > t.get(b)! ? 1 : codePointCompare(a, b)));
}

/** §15.3 assignment: seats in order, each takes `count` free persons of its order, then lists `reserves` more. */
export function drawPanel(inputs: PanelInputs, key: Uint8Array): { results: PanelResults; orders: Map<string, string[]> } {
  const taken = new Set<string>();
  const orders = new Map<string, string[]>();
  const seats = inputs.public.seats.map((s): SeatResult => {
    const order = seatOrder(inputs, s, key);
    orders.set(s.id, order);
    const free = order.filter((id) => !taken.has(id));
    const drawn = free.slice(0, s.count);
    drawn.forEach((id) => taken.add(id));
    const reserve = free.slice(drawn.length, drawn.length + inputs.public.config.reserves);
    return { seat: s.id, candidates: free.length, required: s.count, drawn, reserve, shortfall: s.count - drawn.length };
  });
  return { results: { seats }, orders };
}

/** The public projection of the results: counts only, no person. */
export function publicPanelResults(r: PanelResults): PublicPanelResults {
  return { seats: r.seats.map((s) => ({ seat: s.seat, candidates: s.candidates, required: s.required, drawn: s.drawn.length, reserve: s.reserve.length, shortfall: s.shortfall })) };
}

function checkAt(at: string, prevAt: string, path: string): void {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || new Date(at).toISOString() !== at) fail(`${path}.at`, "format", "记录时间不是 UTC 时刻");
  if (at < prevAt) fail(`${path}.at`, "timeOrder", `记录时间 ${at} 早于前一条记录（${prevAt}）`);
}

/** Full replay of a panel draw's chain from the complete inputs (service and auditors). */
export class PanelReplay {
  readonly results: PanelResults;
  private readonly orders: Map<string, string[]>;
  /** seat → the persons currently on it (drawn, then substitutes appended). */
  private readonly current = new Map<string, string[]>();
  /** Persons who stepped aside: never drawn again for this panel. */
  private readonly removed = new Set<string>();
  private records = 0;
  private lastAt: string;
  head: string;
  lastPrivateDigest = "";

  constructor(
    readonly inputs: PanelInputs,
    readonly seed: string,
    provenance: Provenance2,
    readonly commitment: string,
  ) {
    const out = drawPanel(inputs, panelKey(seed));
    this.results = out.results;
    this.orders = out.orders;
    for (const s of out.results.seats) this.current.set(s.seat, [...s.drawn]);
    this.head = seedRecordDigest(commitment, seed, provenance);
    this.lastAt = inputs.public.frozenAt;
  }

  get seq(): number {
    return this.records;
  }

  /** The seats as they stand after every substitution so far. */
  currentSeats(): { seat: string; required: number; persons: string[]; shortfall: number }[] {
    return this.inputs.public.seats.map((s) => {
      const persons = [...this.current.get(s.id)!];
      return { seat: s.id, required: s.count, persons, shortfall: Math.max(0, s.count - persons.length) };
    });
  }

  private seal(body: PanelRecordBody, at: string, path: string): PanelRecord {
    checkAt(at, this.lastAt, path);
    if (this.records === 0 && !(at > this.inputs.public.frozenAt)) fail(`${path}.at`, "timeOrder", "抽取记录的时间须晚于输入冻结时间");
    const r = { ...body, seq: this.records, prev: this.head, at } as PanelRecord;
    this.lastPrivateDigest = digestOf(r.private);
    this.head = recordDigest(r, digestOf(r.public), this.lastPrivateDigest);
    this.records++;
    this.lastAt = at;
    return r;
  }

  makeDraw(at: string, audit: AuditHead, path = "records[0]"): PanelRecord {
    if (this.records !== 0) fail(path, "chain", "抽取记录只能是第 0 条记录");
    return this.seal({ kind: "draw", public: { audit, results: publicPanelResults(this.results) }, private: { results: this.results } }, at, path);
  }

  /** 递补 (§15.4): `out` leaves the seat; the next free person of the seat's order comes in (or none). */
  makeSubstitution(req: { seat: string; out: string; reason: string }, at: string, audit: AuditHead, path = "substitution"): PanelRecord {
    if (this.records === 0) fail(path, "chain", "递补只能在抽取之后");
    const seat = this.current.get(req.seat);
    if (!seat) fail(`${path}.seat`, "seat", `${req.seat} 不是本次抽取的席位`);
    if (!req.reason.trim()) fail(`${path}.reason`, "reasonRequired", "递补必须说明理由");
    const k = seat!.indexOf(req.out);
    if (k < 0) fail(`${path}.out`, "notOnSeat", `${req.out} 当前不在席位 ${req.seat} 上`);
    seat!.splice(k, 1);
    this.removed.add(req.out);
    const onSeats = new Set([...this.current.values()].flat());
    const inId = this.orders.get(req.seat)!.find((id) => !onSeats.has(id) && !this.removed.has(id)) ?? null;
    if (inId) seat!.push(inId);
    return this.seal({ kind: "substitution", public: { audit, seat: req.seat }, private: { out: req.out, in: inId, reason: req.reason } }, at, path);
  }

  /** Verifier: recompute record `r` from the state and compare it with the stored one. */
  apply(r: PanelRecord, path: string): void {
    if (r.seq !== this.records) fail(`${path}.seq`, "chain", `应为 ${this.records}，实为 ${r.seq}`);
    if (r.prev !== this.head) fail(`${path}.prev`, "chain", `应为前一条记录的摘要 ${this.head}`);
    let expected: PanelRecord;
    if (r.kind === "draw") expected = this.makeDraw(r.at, r.public.audit, path);
    else if (r.kind === "substitution") {
      if (this.records === 0) fail(`${path}.kind`, "chain", "第 0 条记录须为抽取记录");
      const priv = r.private as { out: string; reason: string };
      expected = this.makeSubstitution({ seat: r.public.seat, out: priv.out, reason: priv.reason }, r.at, r.public.audit, path);
    } else fail(`${path}.kind`, "kind", `未知的记录类型“${String((r as { kind: unknown }).kind)}”`);
    const d = firstDifference(expected!, r, path);
    if (d) fail(d[0], "recompute", `与重新计算的结果不一致：${d[1]}`);
  }
}
