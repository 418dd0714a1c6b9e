/**
 * The joint-check optimizer: drawn tasks → joint visits with random, fair inspector teams.
 *
 * Pipeline (docs/optimizer.md explains each step and why it is correct):
 *   1. per task: its window in horizon days, its eligible pool, the days it can be staffed;
 *   2. per entity: interval piercing (greedy by right endpoint) groups tasks into the minimum
 *      number of visits; a group's days are the intersection of its tasks' windows;
 *   3. per group: a day, chosen to balance demand against available inspector capacity;
 *   4. per department component: an integral max-flow proves a team assignment exists; where it
 *      does not, a deterministic repair moves the visit to another day, splits it, and at last
 *      leaves its tasks unscheduled (with the reason);
 *   5. per department component: capped marginal assignment probabilities (closed form; an LP
 *      with javascript-lp-solver or a blend with the max-flow solution when capacities bind);
 *   6. seeded dependent rounding of the marginals to integral teams (Jecmen et al. 2020);
 *   7. the independent checker `checkSchedule` must accept the schedule, or optimize throws.
 */
import seedrandom from "seedrandom";
import { DEFAULT_CONFIG, DEFAULT_RULES } from "./config.ts";
import type { SolverConfig } from "./config.ts";
import { buildContext, checkSchedule, eligibility } from "./constraints.ts";
import type { CheckContext } from "./constraints.ts";
import { FlowNetwork, dependentRound } from "./flow.ts";
import { capacityFeasibleMarginals } from "./marginals.ts";
import type { Seat } from "./marginals.ts";
import { pierce, windowDays } from "./model.ts";
import type { Inspector, Instance, Schedule, Unscheduled, Visit } from "./model.ts";

export interface OptimizeStats {
  groups: number;
  repairRounds: number;
  movedVisits: number;
  splitVisits: number;
  components: number;
  /** Components whose closed-form marginals broke a capacity and were re-solved by LP. */
  lpComponents: number;
  /** Components too large for the LP whose marginals were repaired by water-filling. */
  waterfilledComponents: number;
  /** Components that fell back to blending the closed form with the max-flow assignment. */
  blendedComponents: number;
  /** The smallest blend weight λ of the closed form (1 = no blend needed anywhere). */
  minBlendLambda: number;
}

export interface OptimizeResult {
  schedule: Schedule;
  stats: OptimizeStats;
}

interface TaskInfo {
  index: number;
  entity: number;
  dept: string;
  lo: number;
  hi: number;
}

interface Group {
  id: number;
  entity: number;
  tasks: number[];
  lo: number;
  hi: number;
  day: number;
  tried: Set<number>;
  /** Departments in order of first appearance, with seats needed and the union of requirements. */
  needs: { dept: string; k: number; requires: string[] }[];
}

/** The pure entry point: same instance + same config = byte-identical schedule. */
export function optimize(instance: Instance, config: Partial<SolverConfig> = {}): Schedule {
  return optimizeDetailed(instance, config).schedule;
}

export function optimizeDetailed(instance: Instance, configOverrides: Partial<SolverConfig> = {}): OptimizeResult {
  const config: SolverConfig = { ...DEFAULT_CONFIG, ...configOverrides };
  const ctx = buildContext(instance, DEFAULT_RULES);
  const rules = ctx.rules;
  const days = instance.horizon.days;
  const D = days.length;
  const stats: OptimizeStats = { groups: 0, repairRounds: 0, movedVisits: 0, splitVisits: 0, components: 0, lpComponents: 0, waterfilledComponents: 0, blendedComponents: 0, minBlendLambda: 1 };

  // --- inspectors -------------------------------------------------------------------------------
  const inspectors = instance.inspectors;
  const inspIndex = new Map(inspectors.map((x, i) => [x.id, i]));
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const unavailable: Uint8Array[] = inspectors.map((x) => {
    const a = new Uint8Array(D);
    for (const d of x.unavailable) {
      const i = dayIndex.get(d);
      if (i !== undefined) a[i] = 1;
    }
    return a;
  });
  const basePool = new Map<string, number[]>(); // dept|district → inspectors with capacity
  inspectors.forEach((x, i) => {
    if (x.dailyCapacity < 1 || x.totalCapacity < 1) return;
    for (const dist of new Set(x.districts)) {
      const k = `${x.department}|${dist}`;
      let l = basePool.get(k);
      if (!l) basePool.set(k, (l = []));
      l.push(i);
    }
  });
  const supply = new Map<string, Float64Array>();
  for (const [k, pool] of basePool) {
    const s = new Float64Array(D);
    for (const i of pool) for (let t = 0; t < D; t++) if (!unavailable[i]![t]) s[t]! += inspectors[i]!.dailyCapacity;
    supply.set(k, s);
  }
  const demand = new Map<string, Float64Array>();
  const demandOf = (k: string) => {
    let a = demand.get(k);
    if (!a) demand.set(k, (a = new Float64Array(D)));
    return a;
  };

  // --- entities, recusals, pools -----------------------------------------------------------------
  const entities = instance.entities;
  const entityIndex = new Map(entities.map((e, i) => [e.id, i]));
  const recusedBy = new Map<number, Set<number>>();
  for (const r of instance.recusals) {
    const e = entityIndex.get(r.entity)!;
    let s = recusedBy.get(e);
    if (!s) recusedBy.set(e, (s = new Set()));
    s.add(inspIndex.get(r.inspector)!);
  }
  const poolCache = new Map<string, number[]>();
  // Pinned teams (a draw chose them): the only eligible officers of that department for that entity.
  const pinned = new Map<string, Set<number>>();
  for (const t of instance.tasks)
    if (t.team) pinned.set(`${entityIndex.get(t.entity)!}|${t.department}`, new Set(t.team.map((id) => inspIndex.get(id)!)));
  /** Eligible inspectors of `dept` for entity e (department, district, recusal, capacity; pinned team). */
  const poolFor = (e: number, dept: string): number[] => {
    const entity = entities[e]!;
    const base = basePool.get(`${dept}|${entity.district}`) ?? [];
    const pin = pinned.get(`${e}|${dept}`);
    if (pin) {
      const key = `${e}|${dept}`;
      let p = poolCache.get(key);
      if (!p) poolCache.set(key, (p = base.filter((i) => pin.has(i) && eligibility.recusal(ctx, inspectors[i]!, entity))));
      return p;
    }
    const rec = recusedBy.get(e);
    if (!rec) return base;
    const key = `${e}|${dept}`;
    let p = poolCache.get(key);
    if (!p) poolCache.set(key, (p = base.filter((i) => eligibility.recusal(ctx, inspectors[i]!, entity))));
    return p;
  };
  const qualifies = (i: number, req: readonly string[]) => req.length === 0 || eligibility.qualified(inspectors[i]!, req);
  /** Could a department's seat of size k with requirement `req` be staffed on day t (ignoring load)? */
  const staffable = (pool: number[], t: number, k: number, req: readonly string[]): boolean => {
    let n = 0;
    let q = req.length === 0;
    for (const i of pool) {
      if (unavailable[i]![t]) continue;
      n++;
      if (!q && qualifies(i, req)) q = true;
      if (n >= k && q) return true;
    }
    return false;
  };

  // --- 1. tasks ----------------------------------------------------------------------------------
  const unscheduled = new Map<number, string>();
  const infos: TaskInfo[] = [];
  const staffCache = new Map<string, Uint8Array>();
  instance.tasks.forEach((task, index) => {
    const e = entityIndex.get(task.entity)!;
    const [lo, hi] = windowDays(days, task);
    if (lo > hi) {
      unscheduled.set(index, `window ${task.window.from}..${task.window.to} contains no working day of the horizon`);
      return;
    }
    const pool = poolFor(e, task.department);
    const district = entities[e]!.district;
    if (pool.length === 0) {
      unscheduled.set(index, `no inspector of department ${task.department} with capacity covers district ${district} without recusal`);
      return;
    }
    if (!pool.some((i) => qualifies(i, task.requires))) {
      unscheduled.set(index, `no eligible inspector of department ${task.department} in district ${district} holds [${task.requires.join(", ")}]`);
      return;
    }
    const key = `${task.department}|${district}|${recusedBy.has(e) ? e : ""}|${[...task.requires].sort().join(",")}`;
    let ok = staffCache.get(key);
    if (!ok) {
      ok = new Uint8Array(D);
      for (let t = 0; t < D; t++) ok[t] = staffable(pool, t, Math.max(1, rules.minPerDepartment), task.requires) ? 1 : 0;
      staffCache.set(key, ok);
    }
    let a = lo;
    while (a <= hi && !ok[a]) a++;
    let b = hi;
    while (b >= a && !ok[b]) b--;
    if (a > b) {
      unscheduled.set(index, `no day in window ${task.window.from}..${task.window.to} on which an eligible officer of ${task.department} is available`);
      return;
    }
    infos.push({ index, entity: e, dept: task.department, lo: a, hi: b });
  });
  const infoByIndex = new Map(infos.map((x) => [x.index, x]));

  // --- 2. groups by interval piercing ------------------------------------------------------------
  const groups: Group[] = [];
  const byEntity = new Map<number, TaskInfo[]>();
  for (const x of infos) {
    let l = byEntity.get(x.entity);
    if (!l) byEntity.set(x.entity, (l = []));
    l.push(x);
  }
  const makeGroup = (entity: number, tasks: number[]): Group => {
    tasks.sort((a, b) => a - b);
    let lo = -Infinity;
    let hi = Infinity;
    for (const t of tasks) {
      const x = infoByIndex.get(t)!;
      lo = Math.max(lo, x.lo);
      hi = Math.min(hi, x.hi);
    }
    const g: Group = { id: groups.length, entity, tasks, lo, hi, day: -1, tried: new Set(), needs: [] };
    groups.push(g);
    computeNeeds(g);
    return g;
  };
  const unionRequires = (tasks: number[], dept: string): string[] => {
    const s = new Set<string>();
    for (const t of tasks) {
      const task = instance.tasks[t]!;
      if (task.department === dept) for (const q of task.requires) s.add(q);
    }
    return [...s].sort();
  };
  function computeNeeds(g: Group): void {
    const depts: string[] = [];
    for (const t of g.tasks) {
      const d = instance.tasks[t]!.department;
      if (!depts.includes(d)) depts.push(d);
    }
    const pinnedK = (dept: string) => pinned.get(`${g.entity}|${dept}`)?.size;
    if (depts.length === 1) {
      g.needs = [{ dept: depts[0]!, k: pinnedK(depts[0]!) ?? Math.max(rules.minSoloDepartment, rules.minTeam, rules.minPerDepartment, 1), requires: unionRequires(g.tasks, depts[0]!) }];
      return;
    }
    if (depts.every((d) => pinnedK(d) !== undefined)) {
      // A drawn joint check: each department sends exactly its drawn team.
      g.needs = depts.map((dept) => ({ dept, k: pinnedK(dept)!, requires: unionRequires(g.tasks, dept) }));
      return;
    }
    // Every department sends at least one officer: the qualification rule asks, for each task, an
    // officer of its department on the team (even with minPerDepartment 0 and no requirement).
    g.needs = depts.map((dept) => ({ dept, k: Math.max(rules.minPerDepartment, 1), requires: unionRequires(g.tasks, dept) }));
    let total = g.needs.reduce((a, n) => a + n.k, 0);
    while (total < rules.minTeam) {
      let best = -1;
      let room = 0;
      g.needs.forEach((n, j) => {
        const r = poolFor(g.entity, n.dept).length - n.k;
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

  for (const [e, list] of [...byEntity.entries()].sort((a, b) => a[0] - b[0])) {
    const { points, assignment } = pierce(list.map((x) => [x.lo, x.hi] as const));
    const buckets: number[][] = points.map(() => []);
    list.forEach((x, j) => buckets[assignment[j]!]!.push(x.index));
    for (const bucket of buckets) {
      // Split only when no single eligible officer can hold a department's union of requirements.
      const parts: number[][] = [];
      for (const t of bucket) {
        const dept = instance.tasks[t]!.department;
        const pool = poolFor(e, dept);
        const fits = (p: number[]) => {
          const req = unionRequires([...p, t], dept);
          return pool.some((i) => qualifies(i, req));
        };
        const part = parts.find(fits);
        if (part) part.push(t);
        else parts.push([t]);
      }
      if (parts.length > 1) stats.splitVisits += parts.length - 1;
      for (const p of parts) makeGroup(e, p);
    }
  }

  // --- 3. days ------------------------------------------------------------------------------------
  const keyOf = (g: Group, dept: string) => `${dept}|${entities[g.entity]!.district}`;
  const addDemand = (g: Group, sign: number) => {
    for (const n of g.needs) demandOf(keyOf(g, n.dept))[g.day]! += sign * n.k;
  };
  const validDay = (g: Group, t: number) =>
    g.needs.reduce((a, n) => a + n.k, 0) >= rules.minTeam && g.needs.every((n) => staffable(poolFor(g.entity, n.dept), t, n.k, n.requires));
  /** Puts g on its best untried valid day; false when there is none. */
  const place = (g: Group): boolean => {
    const cands: [number, number][] = [];
    const sup = g.needs.map((n) => supply.get(keyOf(g, n.dept)));
    const dem = g.needs.map((n) => demandOf(keyOf(g, n.dept)));
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
      if (!validDay(g, t)) {
        g.tried.add(t);
        continue;
      }
      g.day = t;
      addDemand(g, 1);
      return true;
    }
    g.day = -1;
    return false;
  };
  const dropped = new Set<number>(); // group ids no longer scheduled (split or unscheduled)
  const capacityReason = (t: number) => {
    const task = instance.tasks[t]!;
    return `inspector capacity: no day in window ${task.window.from}..${task.window.to} on which a team for ${task.department} could be staffed`;
  };
  /** g could not be placed: split it (by department, then by task) or leave its task unscheduled. */
  const breakUp = (g: Group, failingDepts?: Set<string>): Group[] => {
    dropped.add(g.id);
    if (g.day >= 0) addDemand(g, -1);
    if (g.tasks.length === 1) {
      unscheduled.set(g.tasks[0]!, capacityReason(g.tasks[0]!));
      return [];
    }
    stats.splitVisits++;
    const depts = g.needs.map((n) => n.dept);
    let parts: number[][];
    if (depts.length > 1) {
      const bad = failingDepts && failingDepts.size > 0 && failingDepts.size < depts.length ? failingDepts : new Set(depts.slice(0, 1));
      parts = [g.tasks.filter((t) => bad.has(instance.tasks[t]!.department)), g.tasks.filter((t) => !bad.has(instance.tasks[t]!.department))];
    } else parts = g.tasks.map((t) => [t]);
    return parts.filter((p) => p.length > 0).map((p) => makeGroup(g.entity, p));
  };
  const placeOrBreak = (start: Group[]): Group[] => {
    const placed: Group[] = [];
    const queue = [...start];
    for (let q = 0; q < queue.length; q++) {
      const g = queue[q]!;
      if (place(g)) placed.push(g);
      else queue.push(...breakUp(g));
    }
    return placed;
  };
  const initial = [...groups].sort((a, b) => a.hi - a.lo - (b.hi - b.lo) || a.lo - b.lo || a.id - b.id);
  placeOrBreak(initial);

  // --- 4. feasibility by max-flow, with repair --------------------------------------------------
  // Components: per department, districts linked by inspectors covering several of them.
  const clusterOf = new Map<string, string>(); // dept|district → component key
  {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      let y = x;
      while (parent.get(y) !== r) {
        const n = parent.get(y)!;
        parent.set(y, r);
        y = n;
      }
      return r;
    };
    for (const k of basePool.keys()) parent.set(k, k);
    for (const x of inspectors) {
      const ds = [...new Set(x.districts)].map((d) => `${x.department}|${d}`).filter((k) => parent.has(k));
      for (let j = 1; j < ds.length; j++) {
        const a = find(ds[0]!);
        const b = find(ds[j]!);
        if (a !== b) a < b ? parent.set(b, a) : parent.set(a, b);
      }
    }
    for (const k of basePool.keys()) clusterOf.set(k, find(k));
  }
  const componentSeats = (live: Group[]) => {
    const m = new Map<string, Seat[]>();
    for (const g of live)
      for (const n of g.needs) {
        const comp = clusterOf.get(keyOf(g, n.dept))!;
        let l = m.get(comp);
        if (!l) m.set(comp, (l = []));
        const pool = poolFor(g.entity, n.dept).filter((i) => !unavailable[i]![g.day]);
        l.push({ group: g.id, dept: n.dept, day: g.day, k: n.k, pool, qualified: n.requires.length ? pool.filter((i) => qualifies(i, n.requires)) : pool, cap: 1 });
      }
    return m;
  };

  interface Net {
    from: number[];
    to: number[];
    cap: number[];
    nodes: number;
    /** Per seat: its x edges (inspector, edge) and its sink edges. */
    seatEdges: { inspector: number; edge: number; qualified: boolean }[][];
    sinkEdges: number[][];
    inspectorEdge: Map<number, number>;
    dayEdge: Map<number, number>;
    nq: number[]; // per seat: NQ→seat edge or -1
  }
  const buildNet = (seats: Seat[]): Net => {
    const from: number[] = [];
    const to: number[] = [];
    const cap: number[] = [];
    let nodes = 2;
    const add = (u: number, v: number, c: number) => {
      from.push(u);
      to.push(v);
      cap.push(c);
      return from.length - 1;
    };
    const inspNode = new Map<number, number>();
    const inspectorEdge = new Map<number, number>();
    const dayNode = new Map<number, number>();
    const dayEdge = new Map<number, number>();
    const seatEdges: Net["seatEdges"] = [];
    const sinkEdges: number[][] = [];
    const nq: number[] = [];
    // Capacity nodes only where the capacity can bind: a day node when the inspector could be
    // seated more often that day than dailyCapacity, an inspector node when the day maxima can
    // add up to more than totalCapacity. Redundant constraints change no feasible set, and
    // leaving them out keeps the rounding's cycles short.
    const deg = new Map<number, number>();
    for (const s of seats) for (const i of s.pool) deg.set(i * D + s.day, (deg.get(i * D + s.day) ?? 0) + 1);
    const reach = new Map<number, number>();
    for (const [dk, n] of deg) {
      const i = Math.floor(dk / D);
      reach.set(i, (reach.get(i) ?? 0) + Math.min(n, inspectors[i]!.dailyCapacity));
    }
    for (const s of seats) {
      const seatNode = nodes++;
      const needQ = s.qualified.length < s.pool.length;
      const qNode = needQ ? nodes++ : seatNode;
      const edges: Net["seatEdges"][number] = [];
      const qset = new Set(s.qualified);
      for (const i of s.pool) {
        let iu = inspNode.get(i);
        if (iu === undefined) {
          if (reach.get(i)! > inspectors[i]!.totalCapacity) {
            inspNode.set(i, (iu = nodes++));
            inspectorEdge.set(i, add(0, iu, inspectors[i]!.totalCapacity));
          } else inspNode.set(i, (iu = 0));
        }
        const dk = i * D + s.day;
        let du = dayNode.get(dk);
        if (du === undefined) {
          if (deg.get(dk)! > inspectors[i]!.dailyCapacity) {
            dayNode.set(dk, (du = nodes++));
            dayEdge.set(dk, add(iu, du, inspectors[i]!.dailyCapacity));
          } else dayNode.set(dk, (du = iu));
        }
        const q = qset.has(i);
        edges.push({ inspector: i, edge: add(du, q ? qNode : seatNode, 1), qualified: q });
      }
      seatEdges.push(edges);
      if (needQ) {
        sinkEdges.push([add(qNode, 1, 1), add(seatNode, 1, s.k - 1)]);
        nq.push(add(qNode, seatNode, s.k - 1));
      } else {
        sinkEdges.push([add(seatNode, 1, s.k)]);
        nq.push(-1);
      }
    }
    return { from, to, cap, nodes, seatEdges, sinkEdges, inspectorEdge, dayEdge, nq };
  };
  /**
   * Integral max-flow. When it cannot staff every seat, seats are admitted one at a time in
   * priority order (groups carrying more tasks per officer first), so that the seats left
   * unstaffed — which the repair then moves, splits or drops — are the least valuable ones.
   */
  const solveFlow = (net: Net, seats: Seat[]) => {
    const fn = new FlowNetwork(net.nodes);
    const ids = net.from.map((u, e) => fn.addEdge(u, net.to[e]!, net.cap[e]!));
    const demand = net.sinkEdges.flat().reduce((a, e) => a + net.cap[e]!, 0);
    if (fn.maxflow(0, 1) === demand) return ids.map((id) => fn.flow(id));
    const pf = new FlowNetwork(net.nodes);
    const pids = net.from.map((u, e) => pf.addEdge(u, net.to[e]!, net.cap[e]!));
    for (const e of net.sinkEdges.flat()) pf.setCapacity(pids[e]!, 0);
    const value = (j: number) => {
      const g = groupById(seats[j]!.group);
      return g.tasks.length / g.needs.reduce((a, n) => a + n.k, 0);
    };
    const order = seats.map((_, j) => j).sort((a, b) => value(b) - value(a) || seats[a]!.group - seats[b]!.group || a - b);
    // One max-flow per seat on small components; on large ones seats are admitted in at most
    // 64 priority batches (a seat admitted earlier keeps its staff: sink flows never decrease).
    const batch = Math.max(1, Math.ceil(order.length / 64));
    for (let b = 0; b < order.length; b += batch) {
      const admitted = order.slice(b, b + batch);
      for (const j of admitted) for (const e of net.sinkEdges[j]!) pf.setCapacity(pids[e]!, net.cap[e]!);
      pf.maxflow(0, 1);
      for (const j of admitted) {
        const sinks = net.sinkEdges[j]!;
        if (sinks.every((e) => pf.flow(pids[e]!) === net.cap[e]!)) continue;
        for (const e of sinks) {
          pf.cancel(pids[e]!, pf.flow(pids[e]!), 0);
          pf.setCapacity(pids[e]!, 0);
        }
      }
    }
    return pids.map((id) => pf.flow(id));
  };

  const groupById = (id: number) => groups[id]!;
  let flows = new Map<string, { seats: Seat[]; net: Net; flow: number[] }>();
  const live = () => groups.filter((g) => !dropped.has(g.id) && g.day >= 0);
  const evaluate = (compKeys: Set<string> | null) => {
    const bySeat = componentSeats(live());
    const next = new Map<string, { seats: Seat[]; net: Net; flow: number[] }>();
    const failing = new Map<number, Set<string>>();
    for (const [comp, seats] of [...bySeat.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const prev = flows.get(comp);
      let entry = prev;
      if (!entry || compKeys === null || compKeys.has(comp)) {
        const net = buildNet(seats);
        entry = { seats, net, flow: solveFlow(net, seats) };
      }
      next.set(comp, entry);
      entry.seats.forEach((s, j) => {
        const short = entry.net.sinkEdges[j]!.some((e) => entry.flow[e]! < entry.net.cap[e]!);
        if (short) {
          let f = failing.get(s.group);
          if (!f) failing.set(s.group, (f = new Set()));
          f.add(s.dept);
        }
      });
    }
    flows = next;
    return failing;
  };
  let failing = evaluate(null);
  while (failing.size > 0 && stats.repairRounds < config.maxRepairRounds) {
    stats.repairRounds++;
    const touched = new Set<string>();
    const touch = (g: Group) => {
      for (const n of g.needs) touched.add(clusterOf.get(keyOf(g, n.dept))!);
    };
    for (const [gid, depts] of [...failing.entries()].sort((a, b) => a[0] - b[0])) {
      const g = groupById(gid);
      touch(g);
      addDemand(g, -1);
      g.tried.add(g.day);
      if (place(g)) {
        stats.movedVisits++;
        touch(g);
        continue;
      }
      const parts = placeOrBreak(breakUp(g, depts));
      for (const p of parts) touch(p);
    }
    failing = evaluate(touched);
  }
  if (failing.size > 0) {
    const touched = new Set<string>();
    for (const gid of [...failing.keys()].sort((a, b) => a - b)) {
      const g = groupById(gid);
      for (const n of g.needs) touched.add(clusterOf.get(keyOf(g, n.dept))!);
      dropped.add(gid);
      addDemand(g, -1);
      for (const t of g.tasks) unscheduled.set(t, `${capacityReason(t)} (repair limit of ${config.maxRepairRounds} rounds reached)`);
    }
    failing = evaluate(touched);
    if (failing.size > 0) throw new Error("internal: removing visits left a component infeasible");
  }

  // --- 5./6. marginals and dependent rounding ---------------------------------------------------
  const liveGroups = live();
  const visitsPer = new Map<string, number>(); // entity|dept → number of visits
  for (const g of liveGroups)
    for (const n of g.needs) {
      const k = `${g.entity}|${n.dept}`;
      visitsPer.set(k, (visitsPer.get(k) ?? 0) + 1);
    }
  const teams = new Map<number, Set<number>>();
  const compKeys = [...flows.keys()].sort();
  stats.components = compKeys.length;
  for (const comp of compKeys) {
    const { seats, net, flow } = flows.get(comp)!;
    for (const s of seats) s.cap = rules.assignmentCap / visitsPer.get(`${groupById(s.group).entity}|${s.dept}`)!;
    const integral = seats.map((_, j) => net.seatEdges[j]!.map((x) => flow[x.edge]!));
    const m = capacityFeasibleMarginals(
      seats,
      integral,
      (i) => inspectors[i]!,
      { lpMaxVariables: config.lpMaxVariables, epsilon: config.epsilon },
    );
    if (m.method === "lp") stats.lpComponents++;
    if (m.method === "waterfill") stats.waterfilledComponents++;
    if (m.method === "blend") {
      stats.blendedComponents++;
      stats.minBlendLambda = Math.min(stats.minBlendLambda, m.lambda ?? 0);
    }
    const val = new Float64Array(net.from.length);
    const inspLoad = new Map<number, number>();
    const dayLoad = new Map<number, number>();
    seats.forEach((s, j) => {
      let qsum = 0;
      net.seatEdges[j]!.forEach((x, r) => {
        const v = m.x[j]![r]!;
        val[x.edge] = v;
        if (x.qualified) qsum += v;
        inspLoad.set(x.inspector, (inspLoad.get(x.inspector) ?? 0) + v);
        const dk = x.inspector * D + s.day;
        dayLoad.set(dk, (dayLoad.get(dk) ?? 0) + v);
      });
      const sinks = net.sinkEdges[j]!;
      if (net.nq[j]! >= 0) {
        val[sinks[0]!] = 1;
        val[sinks[1]!] = s.k - 1;
        val[net.nq[j]!] = Math.max(0, qsum - 1);
      } else val[sinks[0]!] = s.k;
    });
    for (const [i, e] of net.inspectorEdge) val[e] = inspLoad.get(i) ?? 0;
    for (const [dk, e] of net.dayEdge) val[e] = dayLoad.get(dk) ?? 0;
    const rng = seedrandom(`${instance.seed}:${comp}`);
    dependentRound(net.from, net.to, val, net.nodes, rng, config.epsilon, net.cap);
    seats.forEach((s, j) => {
      let team = teams.get(s.group);
      if (!team) teams.set(s.group, (team = new Set()));
      for (const x of net.seatEdges[j]!) if (val[x.edge] === 1) team.add(x.inspector);
    });
  }

  // --- 7. schedule, checked ---------------------------------------------------------------------
  const visits: Visit[] = liveGroups
    .map((g) => ({
      order: g.tasks[0]!,
      visit: {
        entity: entities[g.entity]!.id,
        day: days[g.day]!,
        tasks: g.tasks.map((t) => instance.tasks[t]!.id),
        team: [...(teams.get(g.id) ?? [])].sort((a, b) => a - b).map((i) => inspectors[i]!.id),
      },
    }))
    .sort((a, b) => (a.visit.day < b.visit.day ? -1 : a.visit.day > b.visit.day ? 1 : a.order - b.order))
    .map((x) => x.visit);
  const unsched: Unscheduled[] = [...unscheduled.entries()].sort((a, b) => a[0] - b[0]).map(([t, reason]) => ({ task: instance.tasks[t]!.id, reason }));
  const schedule: Schedule = { visits, unscheduled: unsched };
  stats.groups = liveGroups.length;
  const check = checkSchedule(instance, schedule);
  if (!check.feasible)
    throw new Error(`internal: the optimizer produced an infeasible schedule:\n${check.violations.slice(0, 20).map((v) => `  [${v.rule}] ${v.message}`).join("\n")}`);
  return { schedule, stats };
}

export type { CheckContext, Inspector };
