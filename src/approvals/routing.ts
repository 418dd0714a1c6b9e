/**
 * 审批结果推送: to which supervising departments a decision goes, and why.
 *
 *   sameLevel  every department the bureau's list names for the approval item (谁审批、谁负责，谁主管、谁监管);
 *   area       a city-level decision also goes to the district and 开发区 departments of the same
 *              line (children of a listed city department) whose area is the entity's district
 *              (市级审批告知属地监管部门);
 *   forward    not planned here: a listed entry with `forwardUp` makes the same-level department's
 *              acknowledgement forward the push to its higher-level department (`forwardTarget`).
 *
 * A denial (不予许可) leaves nothing to supervise and is not pushed. An approval item the list
 * does not name is refused (fail closed: nobody would be told to supervise).
 */
import { LoopError, type DecisionForRouting, type DepartmentRef, type DutyEntry, type PushPlan } from "./types.ts";
import { PUSHED_OUTCOMES } from "./values.ts";

/** Children (same line, lower level) of each department, built once per call site. */
export function childrenIndex(departments: Iterable<DepartmentRef>): Map<number, DepartmentRef[]> {
  const out = new Map<number, DepartmentRef[]>();
  for (const d of departments) if (d.parentId !== null) out.set(d.parentId, [...(out.get(d.parentId) ?? []), d]);
  for (const list of out.values()) list.sort((a, b) => a.id - b.id);
  return out;
}

/**
 * The pushes of one decision, one per department (several entries of one department are one push
 * carrying all their supervision items), same-level pushes first in entry order, then area pushes
 * by department id. `entries` are the entries of the list version in force.
 */
export function routeDecision(d: DecisionForRouting, entries: readonly DutyEntry[], departments: ReadonlyMap<number, DepartmentRef>, children: ReadonlyMap<number, readonly DepartmentRef[]>): PushPlan[] {
  const matching = entries.filter((e) => e.approvalCode === d.approvalCode);
  if (matching.length === 0) throw new LoopError("UNKNOWN_APPROVAL_ITEM", `approvalCode：审批事项 ${d.approvalCode} 不在 ${d.bureau.name} 现行的职责边界清单中，无法确定监管部门`, "approvalCode");
  if (!PUSHED_OUTCOMES.includes(d.decision)) return [];
  const byDept = new Map<number, PushPlan>();
  const order: number[] = [];
  for (const e of matching) {
    const dep = departments.get(e.departmentId);
    if (!dep || !dep.active) continue;
    let p = byDept.get(dep.id);
    if (!p) {
      p = { departmentId: dep.id, route: "sameLevel", supervision: [], forwardUp: false };
      byDept.set(dep.id, p);
      order.push(dep.id);
    }
    p.supervision.push({ entryId: e.id, code: e.supervisionCode, name: e.supervisionName, boundary: e.boundary });
    p.forwardUp ||= e.forwardUp;
  }
  const out = order.map((id) => byDept.get(id)!);
  if (d.bureau.level !== "city") return out;
  const area: PushPlan[] = [];
  for (const p of out)
    for (const c of children.get(p.departmentId) ?? [])
      if (c.active && c.kind === "supervision" && c.districtCode === d.entityDistrict && !byDept.has(c.id)) {
        byDept.set(c.id, { departmentId: c.id, route: "area", supervision: p.supervision, forwardUp: false });
        area.push(byDept.get(c.id)!);
      }
  area.sort((a, b) => a.departmentId - b.departmentId);
  return [...out, ...area];
}

/**
 * The department a same-level push is forwarded to when acknowledged (转送上级): the higher-level
 * department of the same line, or null when the push asks for no forward.
 */
export function forwardTarget(push: { route: string; forwardUp: boolean; departmentId: number }, departments: ReadonlyMap<number, DepartmentRef>): DepartmentRef | null {
  if (push.route !== "sameLevel" || !push.forwardUp) return null;
  const d = departments.get(push.departmentId);
  const up = d?.parentId != null ? departments.get(d.parentId) : undefined;
  return up && up.active ? up : null;
}

/**
 * Who verifies a 告知承诺 decision (核查): for each line, the department closest to the entity —
 * the area department where the decision was also pushed to one, else the same-level department.
 */
export function verifiers(pushes: readonly PushPlan[], departments: ReadonlyMap<number, DepartmentRef>): PushPlan[] {
  const areaParents = new Set<number>();
  for (const p of pushes) if (p.route === "area") areaParents.add(departments.get(p.departmentId)!.parentId!);
  return pushes.filter((p) => p.route === "area" || !areaParents.has(p.departmentId));
}
