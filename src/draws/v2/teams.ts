/**
 * The team draw of version 2 (docs/draw-spec.md §7, §9.2): the only selection of the people who go
 * out. Pure; randomness only from the seed's derived keys.
 *
 *   const ctx = teamContext(publicInputs, privateInputs.inspectors, seed);
 *   const state = drawTeams(ctx, checksFromSelections(…));   → { checks: Map<code, CheckResult>, loads }
 *   substituteInspector(ctx, state, { code, department, out })  → in | null   (mutates state)
 *   moveTarget(ctx, state, { department, out, in })             → the touched checks (mutates state)
 *
 * Eligibility (named rules, each separately testable): eligibleOfficer, eligibleExpert.
 * Order of a check's officers for a department: ascending SHA-256(key_officer ‖ code ‖ 0x00 ‖ id).
 * Assignment: checks in ascending SHA-256(key_team ‖ code); each takes, per department in check
 * order, the first officers of its order whose load is below their capacity.
 */
import { createHash } from "node:crypto";
import { codePointCompare } from "../canonicalJson.ts";
import { poolIndex } from "../freeze.ts";
import { coversDistrict, teamRequirements, type CheckResult, type DepartmentTeam } from "../inspectors.ts";
import { derivedKey } from "../seed.ts";
import type { Directory2, Expert2, Officer2, PublicInputs, TeamRule } from "./types.ts";

/** 回避 and eligibility rules. */
export function eligibleOfficer(o: Officer2, department: string, requires: readonly string[], entity: { code: string; district: string }, recused: (id: string, code: string) => boolean): boolean {
  return (
    o.active &&
    o.department === department &&
    requires.every((q) => o.qualifications.includes(q)) &&
    coversDistrict(o.districts, entity.district) &&
    !recused(o.id, entity.code)
  );
}

export function eligibleExpert(x: Expert2, entity: { code: string; district: string }, recused: (id: string, code: string) => boolean): boolean {
  return x.active && coversDistrict(x.districts, entity.district) && !recused(x.id, entity.code);
}

export interface TeamContext {
  pub: PublicInputs;
  rule: TeamRule;
  officerKey: Uint8Array;
  expertKey: Uint8Array;
  teamKey: Uint8Array;
  officersByDept: Map<string, Officer2[]>;
  experts: Expert2[];
  capacity: Map<string, number | null>;
  requires: Map<string, string[]>;
  role: Map<string, string>;
  recused: (id: string, code: string) => boolean;
  orderCache: Map<string, string[]>;
}

export function teamContext(pub: PublicInputs, dir: Directory2, seedHex: string): TeamContext {
  const rec = new Set(dir.recusals.map((r) => `${r.inspectorId}\u0000${r.code}`));
  const officersByDept = new Map<string, Officer2[]>();
  for (const o of dir.officers) {
    const l = officersByDept.get(o.department);
    if (l) l.push(o);
    else officersByDept.set(o.department, [o]);
  }
  const capacity = new Map<string, number | null>();
  for (const o of dir.officers) capacity.set(o.id, o.capacity);
  for (const x of dir.experts) capacity.set(x.id, x.capacity);
  return {
    pub,
    rule: pub.config.team,
    officerKey: derivedKey(seedHex, "officer"),
    expertKey: derivedKey(seedHex, "expert"),
    teamKey: derivedKey(seedHex, "team"),
    officersByDept,
    experts: pub.config.team.experts > 0 ? dir.experts : [],
    capacity,
    requires: new Map(pub.departments.map((d) => [d.id, d.requires])),
    role: new Map(pub.departments.map((d) => [d.id, d.role])),
    recused: (id, code) => rec.has(`${id}\u0000${code}`),
    orderCache: new Map(),
  };
}

function personTicket(key: Uint8Array, code: string, id: string): Buffer {
  return createHash("sha256").update(key).update(code, "utf8").update(Buffer.of(0)).update(id, "utf8").digest();
}

function sortByTickets(key: Uint8Array, code: string, ids: string[]): string[] {
  return ids
    .map((id) => ({ id, t: personTicket(key, code, id) }))
    .sort((a, b) => Buffer.compare(a.t, b.t) || codePointCompare(a.id, b.id))
    .map((x) => x.id);
}

function entityOf(ctx: TeamContext, code: string): { code: string; district: string } {
  const i = poolIndex(ctx.pub.pool.codes, code);
  if (i < 0) throw new RangeError(`${code} 不在名录中`);
  return { code, district: ctx.pub.pool.districts[i]! };
}

/** The order of a check's eligible officers for a department ("expert": its eligible experts). */
export function personOrder(ctx: TeamContext, code: string, department: string): string[] {
  const k = `${code}\u0000${department}`;
  let o = ctx.orderCache.get(k);
  if (o) return o;
  const e = entityOf(ctx, code);
  if (department === "expert") o = sortByTickets(ctx.expertKey, code, ctx.experts.filter((x) => eligibleExpert(x, e, ctx.recused)).map((x) => x.id));
  else {
    const req = ctx.requires.get(department) ?? [];
    o = sortByTickets(ctx.officerKey, code, (ctx.officersByDept.get(department) ?? []).filter((x) => eligibleOfficer(x, department, req, e, ctx.recused)).map((x) => x.id));
  }
  ctx.orderCache.set(k, o);
  return o;
}

export interface TeamState {
  /** Current checks by code. */
  checks: Map<string, CheckResult>;
  loads: Map<string, number>;
  /** People removed from a check for a department ("code\0dept") by inspector substitutions. */
  removed: Map<string, Set<string>>;
}

const free = (ctx: TeamContext, s: TeamState, id: string) => {
  const cap = ctx.capacity.get(id);
  return cap === null || cap === undefined ? true : (s.loads.get(id) ?? 0) < cap;
};
const addLoad = (s: TeamState, id: string, d: number) => s.loads.set(id, (s.loads.get(id) ?? 0) + d);

/** Lead first, then by id. */
export function checkDepartmentOrder(ctx: TeamContext, deps: readonly string[]): string[] {
  return [...new Set(deps)].sort((a, b) => (ctx.role.get(a) === "lead" ? 0 : 1) - (ctx.role.get(b) === "lead" ? 0 : 1) || codePointCompare(a, b));
}

/** Take free people of the order until `team` has `required` (skipping who is on it or was removed). */
function topUp(ctx: TeamContext, s: TeamState, code: string, department: string, team: string[], required: number): void {
  const removed = s.removed.get(`${code}\u0000${department}`);
  for (const id of personOrder(ctx, code, department)) {
    if (team.length >= required) break;
    if (team.includes(id) || removed?.has(id) || !free(ctx, s, id)) continue;
    team.push(id);
    addLoad(s, id, 1);
  }
}

/** Reserve (the first free people of the order not on the team and not removed) and shortfall. */
function recount(ctx: TeamContext, s: TeamState, code: string, department: string, team: string[], required: number): { reserve: string[]; shortfall: number } {
  const removed = s.removed.get(`${code}\u0000${department}`);
  const reserve: string[] = [];
  for (const id of personOrder(ctx, code, department)) {
    if (reserve.length >= ctx.rule.reserves) break;
    if (!team.includes(id) && !removed?.has(id) && free(ctx, s, id)) reserve.push(id);
  }
  return { reserve, shortfall: Math.max(0, required - team.length) };
}

function fill(ctx: TeamContext, s: TeamState, code: string, department: string, team: string[], required: number): { reserve: string[]; shortfall: number } {
  topUp(ctx, s, code, department, team, required);
  return recount(ctx, s, code, department, team, required);
}

/** (Re)staff a check for its current department list: keep who is on it, top up, recompute. */
function staff(ctx: TeamContext, s: TeamState, code: string, departments: string[], prior: CheckResult | null): CheckResult {
  const deps = checkDepartmentOrder(ctx, departments);
  const need = teamRequirements(deps, ctx.rule);
  const teams: DepartmentTeam[] = deps.map((d) => {
    const officers = [...(prior?.departments.find((x) => x.department === d)?.officers ?? [])];
    const required = need.get(d)!;
    const { reserve, shortfall } = fill(ctx, s, code, d, officers, required);
    return { department: d, required, officers, reserve, shortfall };
  });
  const drawn = [...(prior?.experts.drawn ?? [])];
  const ex = ctx.rule.experts > 0 ? fill(ctx, s, code, "expert", drawn, ctx.rule.experts) : { reserve: [], shortfall: 0 };
  return {
    code,
    district: entityOf(ctx, code).district,
    departments: teams,
    experts: { required: ctx.rule.experts, drawn, reserve: ex.reserve, shortfall: ex.shortfall },
  };
}

/** §7: every check's team, checks taken in team-ticket order. */
export function drawTeams(ctx: TeamContext, checks: readonly { code: string; departments: string[] }[]): TeamState {
  const s: TeamState = { checks: new Map(), loads: new Map(), removed: new Map() };
  const byTicket = checks
    .map((c) => ({ c, t: createHash("sha256").update(ctx.teamKey).update(c.code, "utf8").digest() }))
    .sort((a, b) => Buffer.compare(a.t, b.t) || codePointCompare(a.c.code, b.c.code));
  for (const { c } of byTicket) s.checks.set(c.code, staff(ctx, s, c.code, c.departments, null));
  return s;
}

/** The current checks in code order. */
export function currentChecks(s: TeamState): CheckResult[] {
  return [...s.checks.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** §9.2 inspector substitution. Throws RangeError (Chinese) when `out` is not on that team. */
export function substituteInspector(ctx: TeamContext, s: TeamState, req: { code: string; department: string; out: string }): string | null {
  const check = s.checks.get(req.code);
  if (!check) throw new RangeError(`${req.code} 没有检查`);
  const isExpert = req.department === "expert";
  const team = isExpert ? check.experts.drawn : check.departments.find((d) => d.department === req.department)?.officers;
  if (!team) throw new RangeError(`${req.department} 不参加对 ${req.code} 的检查`);
  const at = team.indexOf(req.out);
  if (at < 0) throw new RangeError(`${req.out} 不在 ${req.code} 的 ${isExpert ? "专家" : req.department + " 检查组"}中`);
  const key = `${req.code}\u0000${req.department}`;
  const removed = s.removed.get(key) ?? new Set<string>();
  removed.add(req.out);
  s.removed.set(key, removed);
  team.splice(at, 1);
  addLoad(s, req.out, -1);
  const order = personOrder(ctx, req.code, req.department);
  const inId = order.find((id) => !team.includes(id) && !removed.has(id) && free(ctx, s, id)) ?? null;
  if (inId) {
    team.push(inId);
    addLoad(s, inId, 1);
  }
  // reserve and shortfall of that team
  if (isExpert) {
    const f = recount(ctx, s, req.code, "expert", team, check.experts.required);
    check.experts.reserve = f.reserve;
    check.experts.shortfall = f.shortfall;
  } else {
    const t = check.departments.find((d) => d.department === req.department)!;
    const f = recount(ctx, s, req.code, req.department, team, t.required);
    t.reserve = f.reserve;
    t.shortfall = f.shortfall;
  }
  return inId;
}

/** §9.2 target substitution: department leaves the check of `out`, joins the check of `in`. */
export function moveTarget(ctx: TeamContext, s: TeamState, req: { department: string; out: string; in: string | null }): CheckResult[] {
  const touched: CheckResult[] = [];
  const old = s.checks.get(req.out);
  if (old) {
    const leaving = old.departments.find((d) => d.department === req.department);
    for (const id of leaving?.officers ?? []) addLoad(s, id, -1);
    const rest = old.departments.filter((d) => d.department !== req.department).map((d) => d.department);
    if (rest.length === 0) {
      for (const id of old.experts.drawn) addLoad(s, id, -1);
      s.checks.delete(req.out);
    } else {
      const next = staff(ctx, s, req.out, rest, old);
      s.checks.set(req.out, next);
      touched.push(next);
    }
  }
  if (req.in) {
    const prior = s.checks.get(req.in) ?? null;
    const deps = [...(prior?.departments.map((d) => d.department) ?? []), req.department];
    const next = staff(ctx, s, req.in, deps, prior);
    s.checks.set(req.in, next);
    touched.push(next);
  }
  return touched.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Deep copy of a team state (so that a verifier's replay cannot disturb the draw's results). */
export function cloneTeamState(s: TeamState): TeamState {
  return {
    checks: new Map([...s.checks].map(([k, c]) => [k, structuredClone(c)])),
    loads: new Map(s.loads),
    removed: new Map([...s.removed].map(([k, v]) => [k, new Set(v)])),
  };
}
