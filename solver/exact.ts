/**
 * Pipeline step 5, exact: per coupled component (tasks linked by a shared entity or a shared
 * eligible inspector), a proof that the decomposition's result is optimal, or an exact MIP.
 *
 *   proveOrSolve(plan): plan.proofs (one per component), plan.stats.exact; components the MIP
 *                       improves get the MIP's visits (locked groups; seats fixed where needed)
 *
 * Objective, lexicographic: unscheduled tasks, then visits. Bounds:
 * - unscheduled ≥ 0 for the component's tasks (tasks no schedule can place were set aside in
 *   step 1, with their reason, and count as proven);
 * - visits ≥ Σ over its entities of the interval-piercing number of their units (exact per
 *   entity, classical).
 * When the decomposition reaches both, the component is proven by the bound. Otherwise, with a
 * MIP solver (`SolverConfig.mip`) and at most `mipMaxVariables` binaries, the component is solved
 * as one MIP (every hard rule of solver/constraints.ts, the drawn checks going out whole) limited
 * by `mipMaxNodes` branch-and-bound nodes: proven optimal, or stopped with the best schedule found
 * and the MIP's dual bound (the gap). No clock anywhere.
 *
 * The MIP's teams are used only where the random seat model (one qualified officer per department
 * holding the union of its requirements) cannot staff its visits: those seats are fixed to the
 * MIP's officers (trimmed to the rules' minimum), every other visit keeps its random team.
 */
import { evaluate } from "./feasibility.ts";
import { addDemand } from "./days.ts";
import { makeGroup, unitsOf } from "./groups.ts";
import { MipBuilder } from "./mip.ts";
import { pierce } from "./model.ts";
import type { ComponentProof, Group, Plan } from "./plan.ts";
import { liveGroups } from "./plan.ts";

interface Component {
  first: number;
  tasks: number[];
  entities: number[];
  /** Team component keys (dept|district clusters) of its seats. */
  clusters: Set<string>;
}

/** Coupled components: union of entities and team components through the tasks. */
export function coupledComponents(plan: Plan): Component[] {
  const { pools } = plan.problem;
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    if (!parent.has(x)) parent.set(x, x);
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(x) !== r) {
      const n = parent.get(x)!;
      parent.set(x, r);
      x = n;
    }
    return r;
  };
  const clusterKey = (e: number, dept: string) => plan.clusterOf.get(pools.key(dept, e)) ?? pools.key(dept, e);
  for (const x of plan.tasks) {
    const a = find(`e${x.entity}`);
    const b = find(`c${clusterKey(x.entity, x.dept)}`);
    if (a !== b) parent.set(a, b);
  }
  const by = new Map<string, Component>();
  for (const x of [...plan.tasks].sort((a, b) => a.index - b.index)) {
    const r = find(`e${x.entity}`);
    let c = by.get(r);
    if (!c) by.set(r, (c = { first: x.index, tasks: [], entities: [], clusters: new Set() }));
    c.tasks.push(x.index);
    if (!c.entities.includes(x.entity)) c.entities.push(x.entity);
    c.clusters.add(clusterKey(x.entity, x.dept));
  }
  return [...by.values()].sort((a, b) => a.first - b.first);
}

function unitWindow(plan: Plan, unit: readonly number[]): [number, number] {
  let lo = -Infinity;
  let hi = Infinity;
  for (const t of unit) {
    const x = plan.taskInfo.get(t)!;
    lo = Math.max(lo, x.lo);
    hi = Math.min(hi, x.hi);
  }
  return [lo, hi];
}

function tasksByEntity(plan: Plan, tasks: readonly number[]): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const t of tasks) {
    const e = plan.taskInfo.get(t)!.entity;
    let l = m.get(e);
    if (!l) m.set(e, (l = []));
    l.push(t);
  }
  return m;
}

/** Σ per entity of the interval-piercing number of its units: a lower bound on visits. */
export function visitBound(plan: Plan, tasks: readonly number[]): number {
  let n = 0;
  for (const list of tasksByEntity(plan, tasks).values()) n += pierce(unitsOf(plan, list).map((u) => unitWindow(plan, u))).points.length;
  return n;
}

interface MipVisit {
  entity: number;
  day: number;
  tasks: number[];
  team: number[];
}

interface ComponentMip {
  builder: MipBuilder;
  unitCols: { unit: number[]; u: number }[];
  /** Per visit column y: entity, day, its units' z columns and its members' w columns. */
  visitCols: { y: number; entity: number; day: number; z: { unit: number[]; col: number }[]; w: { inspector: number; col: number }[] }[];
  /** Weight of one unscheduled task in the objective (more than all visits together). */
  weight: number;
}

/** The component as one MIP: unscheduled tasks × weight + visits (see the header). */
function buildMip(plan: Plan, comp: Component): ComponentMip {
  const { pools, rules, instance, inspectors } = plan.problem;
  const b = new MipBuilder();
  const byEntity = tasksByEntity(plan, comp.tasks);
  // Upper bound on visits: one per (entity, day) column; the weight exceeds it.
  let dayCount = 0;
  const layout: { e: number; units: number[][]; wins: [number, number][]; days: number[] }[] = [];
  for (const e of [...byEntity.keys()].sort((a, b) => a - b)) {
    const units = unitsOf(plan, byEntity.get(e)!);
    const wins = units.map((u) => unitWindow(plan, u));
    const days = new Set<number>();
    units.forEach((u, k) => {
      for (let t = wins[k]![0]; t <= wins[k]![1]; t++) if (u.every((j) => plan.taskInfo.get(j)!.staffable[t])) days.add(t);
    });
    layout.push({ e, units, wins, days: [...days].sort((a, b) => a - b) });
    dayCount += days.size;
  }
  const weight = dayCount + 1;
  const unitCols: ComponentMip["unitCols"] = [];
  const zOf = new Map<number[], number[]>();
  const load = new Map<number, number[]>();
  const total = new Map<number, number[]>();
  const visitCols: ComponentMip["visitCols"] = [];
  for (const { e, units, wins, days } of layout) {
    for (const u of units) {
      unitCols.push({ unit: u, u: b.binary(weight * u.length) });
      zOf.set(u, []);
    }
    const depts: string[] = [];
    for (const u of units) for (const j of u) if (!depts.includes(instance.tasks[j]!.department)) depts.push(instance.tasks[j]!.department);
    for (const t of days) {
      const y = b.binary(1);
      const h = new Map<string, number>();
      const ws = new Map<string, { inspector: number; col: number }[]>();
      for (const d of depts) {
        const pool = pools.forEntity(e, d);
        const pinned = pools.pinnedSize(e, d);
        const avail = pool.filter((i) => pools.available(i, t));
        if (pinned !== undefined && avail.length < pinned) continue;
        const hd = b.binary(0);
        h.set(d, hd);
        b.row([[hd, 1], [y, -1]], -Infinity, 0);
        const list = avail.map((i) => ({ inspector: i, col: b.binary(0) }));
        ws.set(d, list);
        for (const w of list) {
          if (pinned !== undefined) b.row([[w.col, 1], [hd, -1]], 0, 0);
          else b.row([[w.col, 1], [hd, -1]], -Infinity, 0);
          const dk = w.inspector * plan.problem.D + t;
          let l = load.get(dk);
          if (!l) load.set(dk, (l = []));
          l.push(w.col);
          let tl = total.get(w.inspector);
          if (!tl) total.set(w.inspector, (tl = []));
          tl.push(w.col);
        }
        b.row([...list.map((w) => [w.col, 1] as const), [hd, -rules.minPerDepartment]], 0, Infinity);
      }
      for (const [d, hd] of h) {
        const others = [...h].filter(([o]) => o !== d).map(([, c]) => [c, rules.minSoloDepartment] as const);
        b.row([...ws.get(d)!.map((w) => [w.col, 1] as const), [hd, -rules.minSoloDepartment], ...others], 0, Infinity);
      }
      const all = [...ws.values()].flat();
      b.row([...all.map((w) => [w.col, 1] as const), [y, -rules.minTeam]], 0, Infinity);
      const zs: { unit: number[]; col: number }[] = [];
      const zByDept = new Map<string, number[]>();
      units.forEach((u, k) => {
        if (t < wins[k]![0] || t > wins[k]![1]) return;
        if (!u.every((j) => plan.taskInfo.get(j)!.staffable[t] && h.has(instance.tasks[j]!.department))) return;
        const z = b.binary(0);
        zs.push({ unit: u, col: z });
        zOf.get(u)!.push(z);
        for (const j of u) {
          const task = instance.tasks[j]!;
          const hd = h.get(task.department)!;
          b.row([[z, 1], [hd, -1]], -Infinity, 0);
          const q = ws.get(task.department)!.filter((w) => pools.qualifies(w.inspector, task.requires));
          b.row([...q.map((w) => [w.col, 1] as const), [z, -1]], 0, Infinity);
          let l = zByDept.get(task.department);
          if (!l) zByDept.set(task.department, (l = []));
          if (!l.includes(z)) l.push(z);
        }
      });
      // A department is on the visit only with one of its tasks.
      for (const [d, hd] of h) b.row([[hd, 1], ...(zByDept.get(d) ?? []).map((z) => [z, -1] as const)], -Infinity, 0);
      visitCols.push({ y, entity: e, day: t, z: zs, w: all });
    }
  }
  for (const { unit, u } of unitCols) b.row([...zOf.get(unit)!.map((z) => [z, 1] as const), [u, 1]], 1, 1);
  for (const [dk, cols] of load) {
    const cap = inspectors[Math.floor(dk / plan.problem.D)]!.dailyCapacity;
    if (cols.length > cap) b.row(cols.map((c) => [c, 1] as const), -Infinity, cap);
  }
  for (const [i, cols] of total) if (cols.length > inspectors[i]!.totalCapacity) b.row(cols.map((c) => [c, 1] as const), -Infinity, inspectors[i]!.totalCapacity);
  return { builder: b, unitCols, visitCols, weight };
}

/** A rough count of the component MIP's binaries, before building it. */
function estimateColumns(plan: Plan, comp: Component): number {
  const { pools, instance } = plan.problem;
  let n = 0;
  for (const [e, list] of tasksByEntity(plan, comp.tasks)) {
    let lo = Infinity;
    let hi = -Infinity;
    const depts = new Set<string>();
    for (const t of list) {
      const x = plan.taskInfo.get(t)!;
      lo = Math.min(lo, x.lo);
      hi = Math.max(hi, x.hi);
      depts.add(instance.tasks[t]!.department);
    }
    let pool = 0;
    for (const d of depts) pool += pools.forEntity(e, d).length + 1;
    n += (hi - lo + 1) * (pool + 1 + list.length) + list.length;
  }
  return n;
}

function visitsOf(m: ComponentMip, values: Float64Array): MipVisit[] {
  const on = (c: number) => values[c]! > 0.5;
  const out: MipVisit[] = [];
  for (const v of m.visitCols) {
    if (!on(v.y)) continue;
    const tasks = v.z.filter((z) => on(z.col)).flatMap((z) => z.unit);
    if (tasks.length === 0) continue;
    out.push({ entity: v.entity, day: v.day, tasks: tasks.sort((a, b) => a - b), team: v.w.filter((w) => on(w.col)).map((w) => w.inspector) });
  }
  return out;
}

/** Does `team` meet every team rule for the tasks of g (subset of an eligible, available team)? */
function teamMeetsRules(plan: Plan, g: Group, team: readonly number[]): boolean {
  const { rules, inspectors, instance, pools } = plan.problem;
  const depts = g.needs.map((n) => n.dept);
  if (team.length < rules.minTeam) return false;
  for (const d of depts) {
    const n = team.filter((i) => inspectors[i]!.department === d).length;
    if (n < Math.max(1, rules.minPerDepartment)) return false;
    if (depts.length === 1 && n < rules.minSoloDepartment) return false;
    const pinned = pools.pinnedSize(g.entity, d);
    if (pinned !== undefined && n !== pinned) return false;
  }
  return g.tasks.every((t) => {
    const task = instance.tasks[t]!;
    return team.some((i) => inspectors[i]!.department === task.department && pools.qualifies(i, task.requires));
  });
}

/** Fix g's seats to the MIP's officers, trimmed (highest positions first) to what the rules need. */
function fixSeats(plan: Plan, g: Group, team: readonly number[]): void {
  let kept = [...team].sort((a, b) => a - b);
  for (const i of [...kept].reverse()) {
    const without = kept.filter((x) => x !== i);
    if (teamMeetsRules(plan, g, without)) kept = without;
  }
  const { inspectors } = plan.problem;
  g.needs = g.needs.map((n) => {
    const fixed = kept.filter((i) => inspectors[i]!.department === n.dept);
    return { dept: n.dept, k: fixed.length, requires: [], fixed };
  });
  plan.stats.fixedSeats += g.needs.length;
}

const FIX_ROUNDS = 8;

/** Replace the component's groups by the MIP's visits; seats fixed where the random model fails. */
function adopt(plan: Plan, comp: Component, visits: readonly MipVisit[], reason: string): void {
  const entities = new Set(comp.entities);
  for (const g of liveGroups(plan))
    if (entities.has(g.entity)) {
      addDemand(plan, g, -1);
      plan.dropped.add(g.id);
    }
  const placed = new Set<number>();
  const teamOf = new Map<number, number[]>();
  for (const v of visits) {
    const g = makeGroup(plan, v.entity, [...v.tasks]);
    g.day = v.day;
    g.locked = true;
    addDemand(plan, g, 1);
    teamOf.set(g.id, v.team);
    for (const t of v.tasks) placed.add(t);
  }
  for (const t of comp.tasks) {
    if (placed.has(t)) plan.unscheduled.delete(t);
    else {
      const task = plan.problem.instance.tasks[t]!;
      plan.unscheduled.set(t, `inspector capacity: no schedule places this task of ${task.department} in window ${task.window.from}..${task.window.to} together with the others (${reason})`);
    }
  }
  const mine = (gid: number) => teamOf.has(gid);
  // Fix the failing visits' seats, a few rounds (a count), before fixing all of them.
  for (let round = 0; round <= FIX_ROUNDS; round++) {
    const failing = evaluate(plan, comp.clusters);
    const bad = [...failing.keys()].filter(mine);
    if (bad.length === 0 && failing.size === 0) return;
    const fix = round < FIX_ROUNDS && bad.length > 0 ? bad : [...teamOf.keys()];
    for (const gid of fix) {
      const g = plan.groups[gid]!;
      if (g.needs.every((n) => n.fixed)) continue;
      fixSeats(plan, g, teamOf.get(gid)!);
    }
  }
  if (evaluate(plan, comp.clusters).size > 0) throw new Error("internal: the exact search's visits could not be staffed");
}

function decomposition(plan: Plan, comp: Component): { unscheduled: number; visits: number } {
  const entities = new Set(comp.entities);
  return { unscheduled: comp.tasks.filter((t) => plan.unscheduled.has(t)).length, visits: liveGroups(plan).filter((g) => entities.has(g.entity)).length };
}

export function proveOrSolve(plan: Plan): void {
  const { config } = plan.problem;
  const ex = plan.stats.exact;
  for (const comp of coupledComponents(plan)) {
    ex.components++;
    const lb = visitBound(plan, comp.tasks);
    const dec = decomposition(plan, comp);
    const proof: ComponentProof = { first: comp.first, tasks: comp.tasks.length, unscheduled: dec.unscheduled, visits: dec.visits, bound: { unscheduled: 0, visits: lb }, status: "gap", method: "none" };
    plan.proofs.push(proof);
    if (dec.unscheduled === 0 && dec.visits <= lb) {
      proof.status = "optimal";
      proof.method = "bound";
      ex.provenByBound++;
      continue;
    }
    if (!config.mip) {
      proof.limit = "no MIP solver configured";
      ex.unproven++;
      continue;
    }
    if (estimateColumns(plan, comp) > config.mipMaxVariables) {
      proof.limit = `component larger than mipMaxVariables (${config.mipMaxVariables})`;
      ex.unproven++;
      continue;
    }
    const m = buildMip(plan, comp);
    const r = config.mip.solve(m.builder.model(), { maxNodes: config.mipMaxNodes });
    ex.mipNodes += r.nodes;
    proof.method = "mip";
    if (r.status === "infeasible" || r.status === "error" || !r.values) {
      proof.limit = r.status === "limit" ? `node limit ${config.mipMaxNodes} reached without a solution` : `MIP ${r.status}`;
      ex.unproven++;
      continue;
    }
    const visits = visitsOf(m, r.values);
    const scheduled = new Set(visits.flatMap((v) => v.tasks));
    const mipUnscheduled = comp.tasks.filter((t) => !scheduled.has(t)).length;
    const better = mipUnscheduled < dec.unscheduled || (mipUnscheduled === dec.unscheduled && visits.length < dec.visits);
    const optimal = r.status === "optimal";
    if (better) {
      adopt(plan, comp, visits, optimal ? "proven by the exact search" : `best found within ${config.mipMaxNodes} nodes`);
      ex.improvedByMip++;
      proof.unscheduled = mipUnscheduled;
      proof.visits = visits.length;
    }
    const uBound = optimal ? proof.unscheduled : Math.max(0, Math.floor(r.bound / m.weight + 1e-9));
    proof.bound = { unscheduled: uBound, visits: optimal ? proof.visits : Math.max(lb, Math.ceil(r.bound - m.weight * uBound - 1e-9)) };
    if (optimal) {
      proof.status = "optimal";
      ex.provenByMip++;
    } else {
      proof.limit = `node limit ${config.mipMaxNodes} reached`;
      ex.unproven++;
    }
  }
}
