/**
 * drawInspectors: random officers (and, on request, experts) for each check (docs/draw-spec.md §7).
 *
 * Eligibility rules are pure functions, reused by the optimizer in solver/:
 *   eligibleInspectors(officers, department, entity, recusalIndex, qualification) → Inspector[]
 *   eligibleExperts(experts, entity, recusalIndex) → Expert[]
 *   recusals(list) → RecusalIndex          (回避, 行政处罚法 art. 43)
 *   teamRequirements(departments, rule) → Map<department, officers needed>
 *                                            (≥ 2 officers in total, 行政处罚法 art. 42; experts never count)
 *
 * Random order: each eligible officer of department d for the check of entity `code` gets
 *   SHA-256(officerKey ‖ UTF-8(code) ‖ 0x00 ‖ UTF-8(inspectorId)),  officerKey = SHA-256("ssj-draw/1 officer" ‖ seed)
 * and the department's officers are the first `required` in ascending order; the rest of the
 * order is the 递补 order. Experts likewise with "ssj-draw/1 expert". A check is one drawn entity
 * with every department that drew it (a joint check when several did).
 */
import { createHash } from "node:crypto";
import { codePointCompare } from "./canonicalJson.ts";
import { DrawInputError } from "./rational.ts";
import { derivedKey } from "./seed.ts";
import type { TargetResult } from "./targets.ts";
import type { Expert, FrozenInputs, Inspector, Recusal, TeamRule } from "./types.ts";

export interface RecusalIndex {
  /** The recusal reason when `inspectorId` must not inspect `code`, else null. */
  reasonFor(inspectorId: string, code: string): string | null;
}

export function recusals(list: readonly Recusal[]): RecusalIndex {
  const m = new Map<string, string>();
  for (const r of list) {
    const k = `${r.inspectorId}\u0000${r.code}`;
    if (!m.has(k)) m.set(k, r.reason);
  }
  return { reasonFor: (id, code) => m.get(`${id}\u0000${code}`) ?? null };
}

/** Does a list of 区划码 prefixes cover the entity's district? */
export function coversDistrict(prefixes: readonly string[], district: string): boolean {
  return prefixes.some((p) => district.startsWith(p));
}

/**
 * Officers of `department` eligible for the entity: active, of that department, holding
 * `qualification` (when given), covering the entity's district, not recused for the entity.
 * Returned in the input order.
 */
export function eligibleInspectors(
  officers: readonly Inspector[],
  department: string,
  entity: { code: string; district: string },
  rec: RecusalIndex,
  qualification: string | null,
): Inspector[] {
  return officers.filter(
    (o) =>
      o.active &&
      o.department === department &&
      (qualification === null || o.qualifications.includes(qualification)) &&
      coversDistrict(o.districts, entity.district) &&
      rec.reasonFor(o.id, entity.code) === null,
  );
}

/** Experts eligible for the entity: active, covering its district, not recused. */
export function eligibleExperts(experts: readonly Expert[], entity: { code: string; district: string }, rec: RecusalIndex): Expert[] {
  return experts.filter((x) => x.active && coversDistrict(x.districts, entity.district) && rec.reasonFor(x.id, entity.code) === null);
}

/**
 * Officers each department of a check must send. `departments` in check order (lead first, then
 * by id). Each sends rule.minPerDepartment; while the total is below rule.minTotal, one more is
 * added to each department in check order, round robin. A single-department check thus needs
 * minTotal (2) of its own.
 */
export function teamRequirements(departments: readonly string[], rule: TeamRule): Map<string, number> {
  const need = new Map<string, number>(departments.map((d) => [d, rule.minPerDepartment]));
  let total = rule.minPerDepartment * departments.length;
  for (let i = 0; departments.length > 0 && total < rule.minTotal; i = (i + 1) % departments.length) {
    const d = departments[i]!;
    need.set(d, need.get(d)! + 1);
    total++;
  }
  return need;
}

function personOrder(key: Uint8Array, code: string, ids: readonly string[]): string[] {
  const withTicket = ids.map((id) => ({
    id,
    t: createHash("sha256").update(key).update(code, "utf8").update(Buffer.of(0)).update(id, "utf8").digest(),
  }));
  withTicket.sort((a, b) => Buffer.compare(a.t, b.t) || codePointCompare(a.id, b.id));
  return withTicket.map((x) => x.id);
}

export interface DepartmentTeam {
  department: string;
  required: number;
  officers: string[];
  /** The next officers of the random order (up to team.reserves), for 递补. */
  reserve: string[];
  shortfall: number;
}

export interface CheckResult {
  code: string;
  district: string;
  departments: DepartmentTeam[];
  experts: { required: number; drawn: string[]; reserve: string[]; shortfall: number };
}

/** The checks implied by the target results: each drawn entity with the departments that drew it. */
export function checksFromTargets(f: { departments: readonly { id: string; role: string }[] }, targets: readonly TargetResult[]): { code: string; departments: string[] }[] {
  const byCode = new Map<string, string[]>();
  for (const t of targets)
    for (const s of t.strata)
      for (const [, code] of s.selected) {
        const l = byCode.get(code);
        if (l) l.push(t.department);
        else byCode.set(code, [t.department]);
      }
  const role = new Map(f.departments.map((d) => [d.id, d.role]));
  return [...byCode.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([code, deps]) => ({ code, departments: checkDepartmentOrder(deps, role) }));
}

function checkDepartmentOrder(deps: string[], role: Map<string, string>): string[] {
  return [...new Set(deps)].sort((a, b) => {
    const la = role.get(a) === "lead" ? 0 : 1;
    const lb = role.get(b) === "lead" ? 0 : 1;
    return la - lb || codePointCompare(a, b);
  });
}

/** Per-draw precomputation shared by all checks (keys, recusal index, officers by department). */
export interface InspectorContext {
  f: FrozenInputs;
  officerKey: Uint8Array;
  expertKey: Uint8Array;
  rec: RecusalIndex;
  officersByDept: Map<string, Inspector[]>;
  experts: Expert[];
}

export function inspectorContext(f: FrozenInputs, seedHex: string): InspectorContext {
  const insp = f.inspectors;
  if (!insp) throw new DrawInputError("inspectors", "inspectors", "the frozen inputs contain no inspector directory");
  const officersByDept = new Map<string, Inspector[]>();
  for (const o of insp.officers) {
    const l = officersByDept.get(o.department);
    if (l) l.push(o);
    else officersByDept.set(o.department, [o]);
  }
  return {
    f,
    officerKey: derivedKey(seedHex, "officer"),
    expertKey: derivedKey(seedHex, "expert"),
    rec: recusals(insp.recusals),
    officersByDept,
    experts: insp.experts,
  };
}

/** Full random orders of one check (eligible officers per department, eligible experts). */
export function checkOrders(ctx: InspectorContext, code: string, departments: readonly string[]) {
  const { f } = ctx;
  const pi = binaryIndex(f.pool.codes, code);
  if (pi < 0) throw new DrawInputError("code", "pool", `${code} is not in the pool`);
  const entity = { code, district: f.pool.districts[pi]! };
  const byDept = new Map<string, string[]>();
  for (const d of departments) {
    const fd = f.departments.find((x) => x.id === d);
    if (!fd) throw new DrawInputError("department", "department", `${d} is not a department of the batch`);
    const pool = ctx.officersByDept.get(d) ?? [];
    byDept.set(d, personOrder(ctx.officerKey, code, eligibleInspectors(pool, d, entity, ctx.rec, fd.qualification).map((o) => o.id)));
  }
  const experts = f.config.team.experts > 0 ? personOrder(ctx.expertKey, code, eligibleExperts(ctx.experts, entity, ctx.rec).map((x) => x.id)) : [];
  return { entity, officers: byDept, experts };
}

function binaryIndex(codes: readonly string[], code: string): number {
  let lo = 0;
  let hi = codes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = codes[mid]!;
    if (c === code) return mid;
    if (c < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The team of one check. */
export function drawCheck(ctx: InspectorContext, check: { code: string; departments: string[] }): CheckResult {
  const rule = ctx.f.config.team;
  const orders = checkOrders(ctx, check.code, check.departments);
  const need = teamRequirements(check.departments, rule);
  const departments = check.departments.map((d): DepartmentTeam => {
    const order = orders.officers.get(d)!;
    const required = need.get(d)!;
    const officers = order.slice(0, required);
    return { department: d, required, officers, reserve: order.slice(required, required + rule.reserves), shortfall: required - officers.length };
  });
  const drawn = orders.experts.slice(0, rule.experts);
  return {
    code: check.code,
    district: orders.entity.district,
    departments,
    experts: { required: rule.experts, drawn, reserve: orders.experts.slice(rule.experts, rule.experts + rule.reserves), shortfall: rule.experts - drawn.length },
  };
}

/** Teams for every check of the target results, sorted by entity code. */
export function drawInspectors(f: FrozenInputs, seedHex: string, targets: readonly TargetResult[]): CheckResult[] {
  const ctx = inspectorContext(f, seedHex);
  return checksFromTargets(f, targets).map((c) => drawCheck(ctx, c));
}

/** A documented replacement of an officer or expert after the draw (递补). */
export interface InspectorSubstitution {
  code: string;
  /** Department id, or "expert". */
  department: string;
  out: string;
  in: string | null;
  reason: string;
}

/**
 * 递补 of an inspector: the replacement is the first person of the check's random order (for that
 * department, or the experts) who is neither on the team nor removed by an earlier substitution;
 * null when the order is exhausted. Pure: `prior` are the substitutions already recorded.
 */
export function substitute(
  f: FrozenInputs,
  seedHex: string,
  check: CheckResult,
  prior: readonly InspectorSubstitution[],
  req: { department: string; out: string; reason: string },
): InspectorSubstitution {
  if (!req.reason.trim()) throw new DrawInputError("reason", "substitution", "a substitution needs a reason");
  const isExpert = req.department === "expert";
  const team = isExpert ? check.experts.drawn : check.departments.find((d) => d.department === req.department)?.officers;
  if (!team) throw new DrawInputError("department", "substitution", `${req.department} takes no part in the check of ${check.code}`);
  const current = new Set(team);
  const removed = new Set<string>();
  for (const p of prior) {
    if (p.code !== check.code || p.department !== req.department) continue;
    current.delete(p.out);
    removed.add(p.out);
    if (p.in) current.add(p.in);
  }
  if (!current.has(req.out)) throw new DrawInputError("out", "substitution", `${req.out} is not on the team of ${check.code} for ${req.department}`);
  const orders = checkOrders(inspectorContext(f, seedHex), check.code, check.departments.map((d) => d.department));
  const order = isExpert ? orders.experts : orders.officers.get(req.department)!;
  const next = order.find((id) => !current.has(id) && !removed.has(id) && id !== req.out) ?? null;
  return { code: check.code, department: req.department, out: req.out, in: next, reason: req.reason };
}
