/**
 * Pipeline step 2, groups: per entity, interval piercing (greedy by right endpoint, exact) puts
 * its tasks into the minimum number of visits; a group's feasible days are the intersection of
 * its tasks' windows, so merging never moves a task out of its window.
 *
 *   groupTasks(plan): plan.groups = [{ entity, tasks, lo, hi, needs }]
 *   makeGroup / computeNeeds / breakUp: shared by the day choice and the capacity repair
 *
 * Units: the tasks of one entity with pinned teams whose windows share a day are a drawn check
 * and go out together or not at all (one unit); every other task is a unit of its own. A group is
 * split only when no single eligible officer of a department holds the union of that department's
 * requirements in the group (the team model asks one qualified officer per department and visit;
 * the exact search of step 5 may still join them with two officers).
 */
import { pierce } from "./model.ts";
import type { Group, Plan } from "./plan.ts";

export function unionRequires(plan: Plan, tasks: readonly number[], dept: string): string[] {
  const s = new Set<string>();
  for (const t of tasks) {
    const task = plan.problem.instance.tasks[t]!;
    if (task.department === dept) for (const q of task.requires) s.add(q);
  }
  return [...s].sort();
}

/** A new group of `tasks` (positions) on entity e; its days are the intersection of their windows. */
export function makeGroup(plan: Plan, entity: number, tasks: number[]): Group {
  tasks.sort((a, b) => a - b);
  let lo = -Infinity;
  let hi = Infinity;
  for (const t of tasks) {
    const x = plan.taskInfo.get(t)!;
    lo = Math.max(lo, x.lo);
    hi = Math.min(hi, x.hi);
  }
  const g: Group = { id: plan.groups.length, entity, tasks, lo, hi, day: -1, tried: new Set(), needs: [], locked: false };
  plan.groups.push(g);
  computeNeeds(plan, g);
  return g;
}

/**
 * Officers per department: a pinned department sends its drawn team; a single-department visit
 * max(minSoloDepartment, minTeam, minPerDepartment, 1); otherwise each department
 * max(minPerDepartment, 1) (the qualification rule asks, for each task, an officer of its
 * department), topped up to minTeam on the departments with the largest eligible pools.
 */
export function computeNeeds(plan: Plan, g: Group): void {
  const { instance, rules, pools } = plan.problem;
  const depts: string[] = [];
  for (const t of g.tasks) {
    const d = instance.tasks[t]!.department;
    if (!depts.includes(d)) depts.push(d);
  }
  const pinnedK = (dept: string) => pools.pinnedSize(g.entity, dept);
  if (depts.length === 1) {
    g.needs = [{ dept: depts[0]!, k: pinnedK(depts[0]!) ?? Math.max(rules.minSoloDepartment, rules.minTeam, rules.minPerDepartment, 1), requires: unionRequires(plan, g.tasks, depts[0]!) }];
    return;
  }
  g.needs = depts.map((dept) => ({ dept, k: pinnedK(dept) ?? Math.max(rules.minPerDepartment, 1), requires: unionRequires(plan, g.tasks, dept) }));
  let total = g.needs.reduce((a, n) => a + n.k, 0);
  while (total < rules.minTeam) {
    let best = -1;
    let room = 0;
    g.needs.forEach((n, j) => {
      if (pinnedK(n.dept) !== undefined) return;
      const r = pools.forEntity(g.entity, n.dept).length - n.k;
      if (r > room) {
        room = r;
        best = j;
      }
    });
    if (best < 0) break;
    g.needs[best]!.k++;
    total++;
  }
}

/** The units of a list of tasks of one entity (see the header), in order of their first task. */
export function unitsOf(plan: Plan, tasks: readonly number[]): number[][] {
  const { instance } = plan.problem;
  const pinned = tasks.filter((t) => instance.tasks[t]!.team !== undefined);
  let lo = -Infinity;
  let hi = Infinity;
  for (const t of pinned) {
    const x = plan.taskInfo.get(t)!;
    lo = Math.max(lo, x.lo);
    hi = Math.min(hi, x.hi);
  }
  const block = pinned.length > 1 && lo <= hi ? new Set(pinned) : new Set<number>();
  const units: number[][] = [];
  let blockUnit: number[] | null = null;
  for (const t of tasks) {
    if (!block.has(t)) units.push([t]);
    else if (blockUnit) blockUnit.push(t);
    else units.push((blockUnit = [t]));
  }
  return units;
}

export function groupTasks(plan: Plan): void {
  const { instance, pools } = plan.problem;
  const byEntity = new Map<number, number[]>();
  for (const x of plan.tasks) {
    let l = byEntity.get(x.entity);
    if (!l) byEntity.set(x.entity, (l = []));
    l.push(x.index);
  }
  for (const [e, list] of [...byEntity.entries()].sort((a, b) => a[0] - b[0])) {
    const units = unitsOf(plan, list);
    const intervals = units.map((u) => {
      let lo = -Infinity;
      let hi = Infinity;
      for (const t of u) {
        const x = plan.taskInfo.get(t)!;
        lo = Math.max(lo, x.lo);
        hi = Math.min(hi, x.hi);
      }
      return [lo, hi] as const;
    });
    const { points, assignment } = pierce(intervals);
    const buckets: number[][][] = points.map(() => []);
    units.forEach((u, j) => buckets[assignment[j]!]!.push(u));
    for (const bucket of buckets) {
      // Split only when no single eligible officer can hold a department's union of requirements.
      const parts: number[][] = [];
      for (const unit of bucket) {
        const fits = (p: number[]) =>
          [...new Set(unit.map((t) => instance.tasks[t]!.department))].every((dept) => {
            const req = unionRequires(plan, [...p, ...unit], dept);
            return pools.forEntity(e, dept).some((i) => pools.qualifies(i, req));
          });
        const part = parts.find(fits);
        if (part) part.push(...unit);
        else parts.push([...unit]);
      }
      if (parts.length > 1) plan.stats.splitVisits += parts.length - 1;
      for (const p of parts) makeGroup(plan, e, p);
    }
  }
}

export function capacityReason(plan: Plan, t: number): string {
  const task = plan.problem.instance.tasks[t]!;
  return `inspector capacity: no day in window ${task.window.from}..${task.window.to} on which a team for ${task.department} could be staffed`;
}

/**
 * g could not be placed: split it (failing departments apart, then unit by unit) or, a single
 * unit, leave its tasks unscheduled. The caller has removed g's demand.
 */
export function breakUp(plan: Plan, g: Group, failingDepts?: ReadonlySet<string>): Group[] {
  const { instance } = plan.problem;
  plan.dropped.add(g.id);
  const units = unitsOf(plan, g.tasks);
  if (units.length === 1) {
    for (const t of g.tasks) plan.unscheduled.set(t, capacityReason(plan, t));
    return [];
  }
  plan.stats.splitVisits++;
  const depts = g.needs.map((n) => n.dept);
  let parts: number[][] = units;
  if (depts.length > 1) {
    const bad = failingDepts && failingDepts.size > 0 && failingDepts.size < depts.length ? failingDepts : new Set(depts.slice(0, 1));
    const hit = (u: number[]) => u.some((t) => bad.has(instance.tasks[t]!.department));
    const a = units.filter(hit).flat();
    const b = units.filter((u) => !hit(u)).flat();
    if (a.length > 0 && b.length > 0) parts = [a, b];
  }
  return parts.map((p) => makeGroup(plan, g.entity, [...p]));
}
