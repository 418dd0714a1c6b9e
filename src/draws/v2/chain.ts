/**
 * The record chain of version 2 (docs/draw-spec.md §9): the draw, then every substitution (递补)
 * and schedule, each referencing the digest before it. One replay serves the service (making the
 * next record) and the full verifier (checking each record); PublicReplay does what the public can.
 *
 *   const r = await ChainReplay.create(inputs, seed, provenance, commitment);   // recomputes the draw
 *   r.makeDraw(at, audit)                                        → record 0 (service)
 *   r.apply(record, "records[3]")                                → checks one record (verifier)
 *   r.makeTargetSubstitution({ department, out, reason }, at, audit) → the next record (service)
 *   r.head                                                       → the chain head
 */
import { codePointCompare } from "../canonicalJson.ts";
import { candidateOrder, ticketOrder, ticketOrderParallel, type TicketOrder } from "../targets.ts";
import { candidateMask, poolIndex } from "../freeze.ts";
import { DrawInputError } from "../rational.ts";
import { firstDifference } from "../manifest.ts";
import { digestOf } from "./digest.ts";
import { drawRecordDigests, runDraw2, samplingFrame, type DrawOutcome } from "./results.ts";
import { fail } from "./shape.ts";
import { cloneTeamState, currentChecks, moveTarget, substituteInspector, type TeamContext, type TeamState } from "./teams.ts";
import type {
  AuditHead,
  CheckResult,
  DrawRecord2,
  FrozenInputs2,
  Provenance2,
  PublicInputs,
  PublicRecord2,
  PublicResults,
  RecordBody,
  Results2,
  RiskClass,
  ScheduleVisit,
} from "./types.ts";

/** prev(0) (§9). */
export function seedRecordDigest(commitment: string, seed: string, provenance: Provenance2): string {
  return digestOf({ commitment, provenance, purpose: "ssj-draw/2 seed record", seed });
}

/** recordDigest (§9), from the record's fields and the digests of its public and private parts. */
export function recordDigest(r: { kind: string; seq: number; prev: string; at: string }, publicDigest: string, privateDigest: string): string {
  return digestOf({ at: r.at, kind: r.kind, prev: r.prev, private: privateDigest, public: publicDigest, purpose: "ssj-draw/2 record", seq: r.seq });
}

/** The public form of a record (private part replaced by its digest). */
export function publicRecord(r: DrawRecord2): PublicRecord2 {
  const { private: priv, ...rest } = r;
  return { ...rest, privateDigest: digestOf(priv) } as PublicRecord2;
}

const diffOrFail = (expected: unknown, actual: unknown, path: string) => {
  const d = firstDifference(expected, actual, path);
  if (d) fail(d[0], "recompute", `与重新计算的结果不一致：${d[1]}`);
};

function checkAt(at: string, prevAt: string, path: string): void {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || new Date(at).toISOString() !== at) fail(`${path}.at`, "format", "记录时间不是 UTC 时刻");
  if (at < prevAt) fail(`${path}.at`, "timeOrder", `记录时间 ${at} 早于前一条记录（${prevAt}）`);
}

interface TargetState {
  /** department → currently selected codes → class (built on the first target substitution). */
  selected: Map<string, Map<string, RiskClass>> | null;
  removed: Map<string, Set<string>>;
}

/** Full replay: recomputes the draw and every later record from the complete inputs. */
export class ChainReplay {
  readonly order: TicketOrder;
  private readonly outcome: DrawOutcome;
  private teams: TeamState | null;
  private readonly ctx: TeamContext | null;
  private readonly targets: TargetState;
  private records = 0;
  private lastAt: string;
  head: string;
  /** The latest schedule record's private part, if any. */
  schedule: { visits: ScheduleVisit[]; unscheduled: { code: string; reason: string }[] } | null = null;

  constructor(
    readonly inputs: FrozenInputs2,
    readonly seed: string,
    provenance: Provenance2,
    readonly commitment: string,
    order?: TicketOrder,
  ) {
    const frame = samplingFrame(inputs);
    this.order = order ?? ticketOrder(frame, seed);
    const out = runDraw2(inputs, seed, this.order);
    this.outcome = out;
    this.teams = out.teams;
    this.ctx = out.ctx;
    this.targets = { selected: null, removed: new Map() };
    this.head = seedRecordDigest(commitment, seed, provenance);
    this.lastAt = inputs.public.frozenAt;
  }

  /** As the constructor, with the pool's tickets computed on every core (the big pools). */
  static async create(inputs: FrozenInputs2, seed: string, provenance: Provenance2, commitment: string): Promise<ChainReplay> {
    const order = await ticketOrderParallel(samplingFrame(inputs), seed);
    return new ChainReplay(inputs, seed, provenance, commitment, order);
  }

  /** The draw's results (§8) and their public projection. */
  get results(): Results2 {
    return this.outcome.results;
  }
  get publicResults(): PublicResults {
    return this.outcome.publicResults;
  }

  get seq(): number {
    return this.records;
  }

  /** The current checks (teams after every substitution so far). */
  currentChecks(): CheckResult[] {
    return this.teams ? currentChecks(this.teams) : [];
  }

  /** department → currently selected code → class, built from the draw when first needed. */
  private selections(): Map<string, Map<string, RiskClass>> {
    if (!this.targets.selected) {
      const all = new Map<string, Map<string, RiskClass>>();
      for (const t of this.results.targets) {
        const m = new Map<string, RiskClass>();
        for (const s of t.strata) for (const c of s.selected) m.set(c, s.stratum);
        all.set(t.department, m);
      }
      this.targets.selected = all;
    }
    return this.targets.selected;
  }

  currentSelections(department: string): string[] {
    return [...(this.selections().get(department)?.keys() ?? [])].sort(codePointCompare);
  }

  /** Digests of the last sealed record's parts. */
  lastDigests = { public: "", private: "" };

  private seal(body: RecordBody, at: string, digests?: { public: string; private: string }): DrawRecord2 {
    checkAt(at, this.lastAt, `records[${this.records}]`);
    if (this.records === 0 && !(at > this.inputs.public.frozenAt)) fail("records[0].at", "timeOrder", "抽取记录的时间须晚于输入冻结时间");
    const r = { ...body, seq: this.records, prev: this.head, at } as DrawRecord2;
    this.lastDigests = digests ?? { public: digestOf(r.public), private: digestOf(r.private) };
    this.head = recordDigest(r, this.lastDigests.public, this.lastDigests.private);
    this.records++;
    this.lastAt = at;
    return r;
  }

  makeDraw(at: string, audit: AuditHead): DrawRecord2 {
    if (this.records !== 0) throw new RangeError("the draw record is record 0");
    const digests = drawRecordDigests(this.outcome, audit, this.inputs.public.pool.codes, this.order.packed);
    // The parts read the (lazily built) code lists only when they are encoded or compared.
    const out = this.outcome;
    const pub = {
      audit,
      get results(): PublicResults {
        return out.publicResults;
      },
    };
    const priv = {
      get results(): Results2 {
        return out.results;
      },
    };
    return this.seal({ kind: "draw", public: pub, private: priv }, at, digests);
  }

  private targetChange(req: { department: string; out: string; reason: string }, path: string): { stratum: RiskClass; in: string | null } {
    const f = this.inputs;
    const di = f.public.departments.findIndex((d) => d.id === req.department);
    if (di < 0) fail(`${path}.department`, "department", `${req.department} 不是本批次的部门`);
    if (!req.reason.trim()) fail(`${path}.reason`, "reasonRequired", "递补必须说明理由");
    const current = this.selections().get(req.department)!;
    const stratum = current.get(req.out);
    if (!stratum) fail(`${path}.out`, "notSelected", `${req.out} 当前不是 ${req.department} 抽中的检查对象`);
    const removed = this.targets.removed.get(req.department) ?? new Set<string>();
    const frame = samplingFrame(f);
    const codes = f.public.pool.codes;
    const cand = candidateOrder(frame, this.order, di, stratum!, candidateMask(frame, di));
    let inCode: string | null = null;
    for (const i of cand) {
      const c = codes[i]!;
      if (c !== req.out && !current.has(c) && !removed.has(c)) {
        inCode = c;
        break;
      }
    }
    return { stratum: stratum!, in: inCode };
  }

  private applyTarget(req: { department: string; out: string; in: string | null }, stratum: RiskClass): CheckResult[] {
    const current = this.selections().get(req.department)!;
    current.delete(req.out);
    const removed = this.targets.removed.get(req.department) ?? new Set<string>();
    removed.add(req.out);
    this.targets.removed.set(req.department, removed);
    if (req.in) current.set(req.in, stratum);
    return this.teams && this.ctx ? structuredClone(moveTarget(this.ctx, this.teams, req)) : [];
  }

  /** `path`: where errors point (the record being checked, or "substitution" for a new one). */
  makeTargetSubstitution(req: { department: string; out: string; reason: string }, at: string, audit: AuditHead, path = "substitution"): DrawRecord2 {
    const { stratum, in: inCode } = this.targetChange(req, path === "substitution" ? path : `${path}.public.target`);
    const checks = this.applyTarget({ department: req.department, out: req.out, in: inCode }, stratum);
    return this.seal(
      { kind: "substitution", public: { audit, target: { department: req.department, out: req.out, in: inCode, reason: req.reason } }, private: { stratum, checks } },
      at,
    );
  }

  makeInspectorSubstitution(req: { code: string; department: string; out: string; reason: string }, at: string, audit: AuditHead, path = "substitution"): DrawRecord2 {
    const priv = path === "substitution" ? path : `${path}.private`;
    if (!this.teams || !this.ctx) fail(path, "inspectors", "本次抽取没有执法人员名录");
    if (!req.reason.trim()) fail(`${priv}.reason`, "reasonRequired", "递补必须说明理由");
    let inId: string | null;
    try {
      inId = substituteInspector(this.ctx!, this.teams!, req);
    } catch (e) {
      fail(`${priv}.out`, "notOnTeam", (e as Error).message);
    }
    return this.seal({ kind: "substitution", public: { audit, inspector: { code: req.code, department: req.department } }, private: { out: req.out, in: inId!, reason: req.reason } }, at);
  }

  makeSchedule(
    plan: { visits: ScheduleVisit[]; unscheduled: { code: string; reason: string }[] },
    reason: string | null,
    at: string,
    audit: AuditHead,
    path = "schedule",
  ): DrawRecord2 {
    const priv = { visits: [...plan.visits].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0)), unscheduled: [...plan.unscheduled].sort((a, b) => (a.code < b.code ? -1 : 1)) };
    const pub = { audit, reason, visits: priv.visits.length, unscheduled: priv.unscheduled.length };
    this.checkSchedule(pub, priv, path);
    this.schedule = priv;
    return this.seal({ kind: "schedule", public: pub, private: priv }, at);
  }

  /** §9.3 rules. */
  private checkSchedule(pub: { reason: string | null }, priv: { visits: ScheduleVisit[]; unscheduled: { code: string; reason: string }[] }, path: string): void {
    const first = this.schedule === null;
    if (first && pub.reason !== null) fail(`${path}.public.reason`, "reason", "第一份排期不需要理由（应为 null）");
    if (!first && (pub.reason === null || !pub.reason.trim())) fail(`${path}.public.reason`, "reasonRequired", "重新排期必须说明理由（公开）");
    const checks = new Map(this.currentChecks().map((c) => [c.code, c]));
    const seen = new Set<string>();
    const horizon = new Set(this.inputs.public.batch.horizon);
    const officers = new Map((this.inputs.private.inspectors?.officers ?? []).map((o) => [o.id, o]));
    const perDay = new Map<string, number>();
    priv.visits.forEach((v, i) => {
      const vp = `${path}.private.visits[${i}]`;
      const c = checks.get(v.code);
      if (!c) fail(`${vp}.code`, "unknownCheck", `${v.code} 当前没有检查`);
      if (seen.has(v.code)) fail(`${vp}.code`, "duplicate", `${v.code} 被排了两次`);
      seen.add(v.code);
      if (c!.departments.some((d) => d.shortfall > 0) || c!.experts.shortfall > 0) fail(`${vp}.code`, "shortfall", `${v.code} 的检查组人数不足，不能安排`);
      const team = c!.departments.flatMap((d) => d.officers).sort(codePointCompare);
      if (team.join("\u0000") !== [...v.officers].join("\u0000")) fail(`${vp}.officers`, "team", `排期中的执法人员与抽取确定的检查组不一致（应为 ${team.join("、")}）`);
      const ex = [...c!.experts.drawn].sort(codePointCompare);
      if (ex.join("\u0000") !== [...v.experts].join("\u0000")) fail(`${vp}.experts`, "team", "排期中的专家与抽取确定的不一致");
      if (!horizon.has(v.day)) fail(`${vp}.day`, "horizon", `${v.day} 不是批次时间窗口内的工作日`);
      for (const id of v.officers) {
        const o = officers.get(id);
        if (o?.unavailable.includes(v.day)) fail(`${vp}.day`, "unavailable", `${id} 在 ${v.day} 不能出勤`);
        const k = `${id}\u0000${v.day}`;
        const n = (perDay.get(k) ?? 0) + 1;
        perDay.set(k, n);
        if (o && n > o.dailyCapacity) fail(`${vp}.day`, "dailyCapacity", `${id} 在 ${v.day} 被安排了 ${n} 次检查，超过每日上限 ${o.dailyCapacity}`);
      }
    });
    priv.unscheduled.forEach((u, i) => {
      const up = `${path}.private.unscheduled[${i}]`;
      if (!checks.has(u.code)) fail(`${up}.code`, "unknownCheck", `${u.code} 当前没有检查`);
      if (seen.has(u.code)) fail(`${up}.code`, "duplicate", `${u.code} 既已排期又列为未排期`);
      if (!u.reason || !u.reason.trim()) fail(`${up}.reason`, "reasonRequired", "未排期须说明原因");
      seen.add(u.code);
    });
    for (const code of checks.keys()) if (!seen.has(code)) fail(`${path}.private`, "missingCheck", `检查 ${code} 既未排期也未列为未排期`);
  }

  /**
   * Verify one stored record (full manifest) and advance the chain. The record is re-made from the
   * state and compared by digest (`given` digests of the stored parts, e.g. hashed from the file's
   * bytes, save re-encoding them); the first differing field is located only on a mismatch.
   */
  apply(r: DrawRecord2, path: string, given: { public?: string | null; private?: string | null } = {}): void {
    if (r.seq !== this.records) fail(`${path}.seq`, "chain", `序号应为 ${this.records}，实为 ${r.seq}`);
    if (r.prev !== this.head) fail(`${path}.prev`, "chain", `prev 应为前一条记录的摘要 ${this.head}，实为 ${r.prev}`);
    const audit = (r.public as { audit?: AuditHead }).audit!;
    let made: DrawRecord2;
    if (this.records === 0) {
      if (r.kind !== "draw") fail(`${path}.kind`, "chain", "第 0 条记录必须是抽取记录");
      made = this.makeDraw(r.at, audit);
    } else if (r.kind === "substitution") {
      const pub = r.public as { target?: { department: string; out: string; in: string | null; reason: string }; inspector?: { code: string; department: string } };
      if (pub.target) {
        made = this.makeTargetSubstitution(pub.target, r.at, audit, path);
        const mt = (made.public as { target: { in: string | null } }).target;
        if (mt.in !== pub.target.in) fail(`${path}.public.target.in`, "substitution", `按票号顺序的下一个候选对象是 ${mt.in ?? "（无）"}，记录为 ${pub.target.in ?? "（无）"}`);
        const stratum = (made.private as { stratum: string }).stratum;
        if ((r.private as { stratum: string }).stratum !== stratum) fail(`${path}.private.stratum`, "substitution", `被递补对象的类别是 ${stratum}，记录为 ${(r.private as { stratum: string }).stratum}`);
      } else if (pub.inspector) {
        const priv = r.private as { out: string; in: string | null; reason: string };
        made = this.makeInspectorSubstitution({ ...pub.inspector, out: priv.out, reason: priv.reason }, r.at, audit, path);
        const got = (made.private as { in: string | null }).in;
        if (got !== priv.in) fail(`${path}.private.in`, "substitution", `按该检查的随机顺序，递补人员应为 ${got ?? "（无）"}，记录为 ${priv.in ?? "（无）"}`);
      } else fail(`${path}.public`, "substitution", "递补记录须有 target 或 inspector");
    } else if (r.kind === "schedule") {
      const pub = r.public as { reason: string | null };
      made = this.makeSchedule(r.private as { visits: ScheduleVisit[]; unscheduled: { code: string; reason: string }[] }, pub.reason, r.at, audit, path);
    } else {
      fail(`${path}.kind`, r.kind === "draw" ? "chain" : "enum", r.kind === "draw" ? "只有第 0 条记录可以是抽取记录" : `未知的记录类型“${String((r as { kind: unknown }).kind)}”`);
    }
    const m = made!;
    if ((given.public ?? digestOf(r.public)) !== this.lastDigests.public) diffOrFail(m.public, r.public, `${path}.public`);
    if ((given.private ?? digestOf(r.private)) !== this.lastDigests.private) diffOrFail(m.private, r.private, `${path}.private`);
  }
}

/** What the public can replay of the chain (no classes, no inspectors). */
export class PublicReplay {
  /** The draw record's results; the current selections are built from them at the first 递补. */
  private drawn: PublicResults | null = null;
  private selected: Map<string, Set<string>> | null = null;
  private readonly removed = new Map<string, Set<string>>();
  private records = 0;
  private lastAt: string;
  private schedules = 0;
  head: string;

  constructor(
    readonly pub: PublicInputs,
    seed: string,
    provenance: Provenance2,
    commitment: string,
  ) {
    this.head = seedRecordDigest(commitment, seed, provenance);
    this.lastAt = pub.frozenAt;
  }

  private currentSelection(): Map<string, Set<string>> {
    if (!this.selected) this.selected = new Map((this.drawn?.targets ?? []).map((t) => [t.department, new Set(t.selected)]));
    return this.selected;
  }

  private isCandidate(department: string, code: string): boolean {
    const d = this.pub.departments.find((x) => x.id === department)!;
    if (poolIndex(this.pub.pool.codes, code) < 0) return false;
    if (d.scope.kind === "directed" && !d.scope.codes.includes(code)) return false;
    return !d.excluded.some((x) => x.code === code);
  }

  /** Chain links and the public checks of one record; `results` already checked for record 0. */
  apply(r: PublicRecord2, path: string, publicDigest: string | null = null): void {
    if (r.seq !== this.records) fail(`${path}.seq`, "chain", `序号应为 ${this.records}，实为 ${r.seq}`);
    if (r.prev !== this.head) fail(`${path}.prev`, "chain", `prev 应为前一条记录的摘要 ${this.head}，实为 ${r.prev}`);
    checkAt(r.at, this.lastAt, path);
    if (this.records === 0) {
      if (r.kind !== "draw") fail(`${path}.kind`, "chain", "第 0 条记录必须是抽取记录");
      if (!(r.at > this.pub.frozenAt)) fail(`${path}.at`, "timeOrder", "抽取记录的时间须晚于输入冻结时间");
      this.drawn = (r.public as { results: PublicResults }).results;
    } else if (r.kind === "substitution") {
      const t = (r.public as { target?: { department: string; out: string; in: string | null; reason: string } }).target;
      if (t) {
        const cur = this.currentSelection().get(t.department);
        if (!cur) fail(`${path}.public.target.department`, "department", `${t.department} 不是本批次的部门`);
        if (typeof t.reason !== "string" || !t.reason.trim()) fail(`${path}.public.target.reason`, "reasonRequired", "递补必须说明理由");
        if (!cur!.has(t.out)) fail(`${path}.public.target.out`, "notSelected", `${t.out} 当前不是 ${t.department} 抽中的检查对象`);
        const removed = this.removed.get(t.department) ?? new Set<string>();
        if (t.in !== null && (cur!.has(t.in) || removed.has(t.in) || t.in === t.out || !this.isCandidate(t.department, t.in)))
          fail(`${path}.public.target.in`, "substitution", `${t.in} 不能作为递补对象：它须是该部门的候选对象，且当前未被抽中、此前未被递补掉`);
        cur!.delete(t.out);
        removed.add(t.out);
        this.removed.set(t.department, removed);
        if (t.in) cur!.add(t.in);
      }
    } else if (r.kind === "schedule") {
      const reason = (r.public as { reason: string | null }).reason;
      if (this.schedules === 0 ? reason !== null : !reason || !reason.trim()) fail(`${path}.public.reason`, "reasonRequired", "重新排期必须公开理由（第一份排期的理由为 null）");
      this.schedules++;
    } else if (r.kind === "draw") fail(`${path}.kind`, "chain", "只有第 0 条记录可以是抽取记录");
    else fail(`${path}.kind`, "enum", "未知的记录类型");
    this.head = recordDigest(r, publicDigest ?? digestOf(r.public), r.privateDigest);
    this.records++;
    this.lastAt = r.at;
  }
}

export { DrawInputError };
