/**
 * Pipeline step 3, days: groups, least flexible first, take the day in their range minimising the
 * largest demand/supply ratio of their departments in that district (supply: available officers
 * × daily capacity), among days on which each department can be staffed (ignoring load).
 *
 *   chooseDays(plan): every group gets `day`, or is split / unscheduled (breakUp) when no day fits
 *   place(plan, g): g on its best untried valid day; false when none is left
 *
 * No randomness: days do not depend on the seed.
 */
import { breakUp } from "./groups.ts";
import type { Group, Plan } from "./plan.ts";
import { teamSize } from "./plan.ts";

function demandOf(plan: Plan, key: string): Float64Array {
  let a = plan.demand.get(key);
  if (!a) plan.demand.set(key, (a = new Float64Array(plan.problem.D)));
  return a;
}

/** Adds (sign 1) or removes (sign −1) g's officer demand on its day. */
export function addDemand(plan: Plan, g: Group, sign: number): void {
  if (g.day < 0) return;
  for (const n of g.needs) demandOf(plan, plan.problem.pools.key(n.dept, g.entity))[g.day]! += sign * n.k;
}

function validDay(plan: Plan, g: Group, t: number): boolean {
  const { pools, rules } = plan.problem;
  return teamSize(g) >= rules.minTeam && g.needs.every((n) => pools.staffable(n.fixed ?? pools.forEntity(g.entity, n.dept), t, n.k, n.requires));
}

export function place(plan: Plan, g: Group): boolean {
  const { pools } = plan.problem;
  const cands: [number, number][] = [];
  const sup = g.needs.map((n) => pools.supply(pools.key(n.dept, g.entity)));
  const dem = g.needs.map((n) => demandOf(plan, pools.key(n.dept, g.entity)));
  for (let t = g.lo; t <= g.hi; t++) {
    if (g.tried.size > 0 && g.tried.has(t)) continue;
    let score = 0;
    for (let j = 0; j < g.needs.length; j++) {
      const s = sup[j]?.[t] ?? 0;
      const r = s === 0 ? Infinity : (dem[j]![t]! + g.needs[j]!.k) / s;
      if (r > score) score = r;
    }
    cands.push([score, t]);
  }
  cands.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [, t] of cands) {
    if (!validDay(plan, g, t)) {
      g.tried.add(t);
      continue;
    }
    g.day = t;
    addDemand(plan, g, 1);
    return true;
  }
  g.day = -1;
  return false;
}

/** Places each group, breaking up those that fit no day; returns the groups placed. */
export function placeOrBreak(plan: Plan, start: readonly Group[]): Group[] {
  const placed: Group[] = [];
  const queue = [...start];
  for (let q = 0; q < queue.length; q++) {
    const g = queue[q]!;
    if (place(plan, g)) placed.push(g);
    else queue.push(...breakUp(plan, g));
  }
  return placed;
}

export function chooseDays(plan: Plan): void {
  const initial = [...plan.groups].sort((a, b) => a.hi - a.lo - (b.hi - b.lo) || a.lo - b.lo || a.id - b.id);
  placeOrBreak(plan, initial);
}
