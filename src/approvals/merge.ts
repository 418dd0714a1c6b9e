/**
 * 进一次门、查多项事 for the loop's directed tasks: the open 告知承诺核查 / 风险预警 / 复核后续监管
 * tasks go to the same optimizer (solver/) as the random checks, together with the visits already
 * planned on their entities. A planned visit enters as one task per department, pinned to the
 * visit's officers of that department and to its day, so the optimizer cannot move it or change
 * who goes; a directed task whose window holds that day joins it (one visit, the team extended by
 * the directed task's department where it is not already on it). The other directed tasks become
 * new visits with officers of their departments.
 *
 * Pure: builds the instance and reads the schedule back; the store runs `optimizeExact` (the batch
 * schedule's exact step, src/store/repos/optimizationRuns.ts) and writes.
 */
import { canonicalJson, sha256Hex } from "../draws/canonicalJson.ts";
import type { Instance, Schedule } from "../../solver/index.ts";

export interface MergeTask {
  taskId: number;
  entityCode: string;
  district: string;
  departmentCode: string;
  windowStart: string;
  windowEnd: string;
  itemIds: number[];
}

export interface PlannedVisit {
  jointCheckId: number;
  entityCode: string;
  district: string;
  day: string;
  /** Officers on the visit: certificate number and department code. */
  officers: { certificateNo: string; departmentCode: string }[];
}

export interface MergeInspector {
  certificateNo: string;
  departmentCode: string;
  /** District prefixes the officer covers (a prefix of the entity's 区划码). */
  districts: string[];
  qualifications: string[];
  unavailable: string[];
}

export interface MergeInput {
  days: string[];
  tasks: MergeTask[];
  visits: PlannedVisit[];
  inspectors: MergeInspector[];
  recusals: { certificateNo: string; entityCode: string }[];
  /** Visits per officer and day (existing visits not in the instance already take some). */
  dailyCapacity: number;
  /** (officer, day) → visits already planned elsewhere that day. */
  busy: ReadonlyMap<string, number>;
  rules?: { minTeam?: number; minPerDepartment?: number };
}

const pinnedId = (v: PlannedVisit, dept: string) => `V${v.jointCheckId}:${dept}`;
const taskId = (t: MergeTask) => `T${t.taskId}`;

/**
 * The optimizer instance. The seed is the digest of everything else in the instance (recorded with
 * the run): the same open tasks and visits always give the same schedule — no re-roll.
 */
export function mergeInstance(m: MergeInput): Instance {
  const horizon = new Set(m.days);
  const withTask = new Set(m.tasks.map((t) => t.entityCode));
  const visits = m.visits.filter((v) => withTask.has(v.entityCode) && horizon.has(v.day) && v.officers.length > 0);
  const entities = new Map<string, string>();
  for (const t of m.tasks) entities.set(t.entityCode, t.district);
  const districts = [...new Set(entities.values())].sort();
  const tasks: Instance["tasks"] = [];
  for (const v of visits) {
    const byDept = new Map<string, string[]>();
    for (const o of v.officers) byDept.set(o.departmentCode, [...(byDept.get(o.departmentCode) ?? []), o.certificateNo]);
    for (const [dept, team] of [...byDept].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      tasks.push({ id: pinnedId(v, dept), entity: v.entityCode, department: dept, items: [], requires: [], window: { from: v.day, to: v.day }, kind: "random", team: team.sort() });
  }
  // A directed task whose window holds the day of a planned visit to its entity is held to that
  // day: it joins the visit (no second entry), rather than whatever the piercing order would pick.
  const visitDays = new Map<string, string[]>();
  for (const v of visits) visitDays.set(v.entityCode, [...(visitDays.get(v.entityCode) ?? []), v.day].sort());
  for (const t of m.tasks) {
    const day = (visitDays.get(t.entityCode) ?? []).find((d) => t.windowStart <= d && d <= t.windowEnd);
    const window = day ? { from: day, to: day } : { from: t.windowStart, to: t.windowEnd };
    tasks.push({ id: taskId(t), entity: t.entityCode, department: t.departmentCode, items: t.itemIds.map(String), requires: [], window, kind: "directed" });
  }
  const onVisit = new Set(visits.flatMap((v) => v.officers.map((o) => o.certificateNo)));
  const depts = new Set(tasks.map((t) => t.department));
  const inspectors = m.inspectors
    .filter((i) => depts.has(i.departmentCode) || onVisit.has(i.certificateNo))
    .map((i) => ({
      id: i.certificateNo,
      department: i.departmentCode,
      districts: districts.filter((d) => i.districts.some((p) => d.startsWith(p))),
      qualifications: [...i.qualifications].sort(),
      dailyCapacity: m.dailyCapacity,
      totalCapacity: m.dailyCapacity * m.days.length,
      // A day on which the officer is already fully taken elsewhere is unavailable here.
      unavailable: [...new Set([...i.unavailable.filter((d) => horizon.has(d)), ...m.days.filter((d) => (m.busy.get(`${i.certificateNo}\u0000${d}`) ?? 0) >= m.dailyCapacity)])].sort(),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const known = new Set(inspectors.map((i) => i.id));
  const base: Omit<Instance, "seed"> = {
    horizon: { days: [...m.days] },
    entities: [...entities].map(([id, district]) => ({ id, district })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    inspectors,
    tasks,
    recusals: m.recusals.filter((r) => known.has(r.certificateNo) && entities.has(r.entityCode)).map((r) => ({ inspector: r.certificateNo, entity: r.entityCode })),
    rules: { minTeam: m.rules?.minTeam ?? 2, minPerDepartment: m.rules?.minPerDepartment ?? 1, minSoloDepartment: m.rules?.minTeam ?? 2 },
  };
  return { ...base, seed: sha256Hex(canonicalJson(base)) };
}

export interface MergeOutcome {
  /** Directed tasks joining a planned visit, and the officers added to its team. */
  joined: { jointCheckId: number; taskIds: number[]; addOfficers: string[] }[];
  /** New visits of directed tasks only. */
  created: { entityCode: string; day: string; taskIds: number[]; officers: string[] }[];
  unscheduled: { taskId: number; reason: string }[];
}

/** Reads the optimizer's schedule back into joins of planned visits and new visits. */
export function readMerge(m: MergeInput, schedule: Schedule): MergeOutcome {
  const visitById = new Map(m.visits.map((v) => [v.jointCheckId, v]));
  const out: MergeOutcome = { joined: [], created: [], unscheduled: [] };
  for (const v of schedule.visits) {
    const directed = v.tasks.filter((t) => t.startsWith("T")).map((t) => Number(t.slice(1)));
    if (directed.length === 0) continue;
    const pinned = v.tasks.find((t) => t.startsWith("V"));
    if (pinned) {
      const jc = visitById.get(Number(pinned.slice(1, pinned.indexOf(":"))))!;
      const present = new Set(jc.officers.map((o) => o.certificateNo));
      out.joined.push({ jointCheckId: jc.jointCheckId, taskIds: directed, addOfficers: v.team.filter((c) => !present.has(c)) });
    } else out.created.push({ entityCode: v.entity, day: v.day, taskIds: directed, officers: [...v.team] });
  }
  for (const u of schedule.unscheduled) if (u.task.startsWith("T")) out.unscheduled.push({ taskId: Number(u.task.slice(1)), reason: u.reason });
  return out;
}
