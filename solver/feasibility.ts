/**
 * Pipeline step 4, feasibility by max-flow, with repair. Per *department component* (a
 * department's districts linked by inspectors covering several of them) the network
 *
 *   S → inspector (totalCapacity) → inspector×day (dailyCapacity) → seat → T
 *
 * (a seat: `k` officers of one department for one visit; a qualified sub-node carries the "≥ 1
 * qualified" demand) has an integral flow saturating the seats iff teams exist (Dinic).
 *
 *   clusterComponents(plan)      plan.clusterOf: dept|district → component key
 *   componentSeats(plan, groups) component key → seats
 *   buildNet(plan, seats) / solveFlow(plan, net, seats)
 *   ensureFeasible(plan)         plan.flows; visits that cannot be staffed are moved to their
 *                                next-best untried day, split, finally left unscheduled
 *
 * The repair is bounded by `maxRepairRounds` (a count, never a clock).
 */
import { addDemand, place, placeOrBreak } from "./days.ts";
import { FlowNetwork } from "./flow.ts";
import { breakUp, capacityReason } from "./groups.ts";
import type { Seat } from "./marginals.ts";
import type { ComponentFlow, Group, Net, Plan } from "./plan.ts";
import { liveGroups } from "./plan.ts";

export function clusterComponents(plan: Plan): void {
  const { pools, inspectors } = plan.problem;
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
  for (const k of pools.keys()) parent.set(k, k);
  for (const x of inspectors) {
    const ds = [...new Set(x.districts)].map((d) => `${x.department}|${d}`).filter((k) => parent.has(k));
    for (let j = 1; j < ds.length; j++) {
      const a = find(ds[0]!);
      const b = find(ds[j]!);
      if (a !== b) a < b ? parent.set(b, a) : parent.set(a, b);
    }
  }
  for (const k of pools.keys()) plan.clusterOf.set(k, find(k));
}

/** The component key of a group's department seat. */
export function componentOf(plan: Plan, g: Group, dept: string): string {
  return plan.clusterOf.get(plan.problem.pools.key(dept, g.entity))!;
}

/** Seats of the given groups by component key; pools are the eligible members available that day. */
export function componentSeats(plan: Plan, groups: readonly Group[]): Map<string, Seat[]> {
  const { pools } = plan.problem;
  const m = new Map<string, Seat[]>();
  for (const g of groups)
    for (const n of g.needs) {
      const comp = componentOf(plan, g, n.dept);
      let l = m.get(comp);
      if (!l) m.set(comp, (l = []));
      const pool = (n.fixed ?? pools.forEntity(g.entity, n.dept)).filter((i) => pools.available(i, g.day));
      l.push({ group: g.id, dept: n.dept, day: g.day, k: n.k, pool, qualified: n.requires.length ? pool.filter((i) => pools.qualifies(i, n.requires)) : pool, cap: 1 });
    }
  return m;
}

export function buildNet(plan: Plan, seats: readonly Seat[], allInspectorNodes = false): Net {
  const { inspectors, D } = plan.problem;
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
  // add up to more than totalCapacity (or always, for the rounding to keep each inspector's load
  // within one of its expectation). Redundant constraints change no feasible set.
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
        if (allInspectorNodes || reach.get(i)! > inspectors[i]!.totalCapacity) {
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
}

/**
 * Integral max-flow. When it cannot staff every seat, seats are admitted in priority order
 * (groups carrying more tasks per officer first), so that the seats left unstaffed — which the
 * repair then moves, splits or drops — are the least valuable ones.
 */
export function solveFlow(plan: Plan, net: Net, seats: readonly Seat[]): number[] {
  const fn = new FlowNetwork(net.nodes);
  const ids = net.from.map((u, e) => fn.addEdge(u, net.to[e]!, net.cap[e]!));
  const demand = net.sinkEdges.flat().reduce((a, e) => a + net.cap[e]!, 0);
  if (fn.maxflow(0, 1) === demand) return ids.map((id) => fn.flow(id));
  const pf = new FlowNetwork(net.nodes);
  const pids = net.from.map((u, e) => pf.addEdge(u, net.to[e]!, net.cap[e]!));
  for (const e of net.sinkEdges.flat()) pf.setCapacity(pids[e]!, 0);
  const value = (j: number) => {
    const g = plan.groups[seats[j]!.group]!;
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
}

/** Is every seat of the flow saturated? */
export function saturated(entry: ComponentFlow): boolean {
  return entry.seats.every((_, j) => entry.net.sinkEdges[j]!.every((e) => entry.flow[e]! >= entry.net.cap[e]!));
}

/**
 * Re-solves the components in `compKeys` (all when null) and returns, per group, the departments
 * whose seat could not be staffed.
 */
export function evaluate(plan: Plan, compKeys: ReadonlySet<string> | null): Map<number, Set<string>> {
  const bySeat = componentSeats(plan, liveGroups(plan));
  const next = new Map<string, ComponentFlow>();
  const failing = new Map<number, Set<string>>();
  for (const [comp, seats] of [...bySeat.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    let entry = plan.flows.get(comp);
    if (!entry || compKeys === null || compKeys.has(comp)) {
      const net = buildNet(plan, seats);
      entry = { seats, net, flow: solveFlow(plan, net, seats) };
    }
    next.set(comp, entry);
    const e = entry;
    e.seats.forEach((s, j) => {
      if (e.net.sinkEdges[j]!.some((x) => e.flow[x]! < e.net.cap[x]!)) {
        let f = failing.get(s.group);
        if (!f) failing.set(s.group, (f = new Set()));
        f.add(s.dept);
      }
    });
  }
  plan.flows = next;
  return failing;
}

export function ensureFeasible(plan: Plan): void {
  const { config } = plan.problem;
  clusterComponents(plan);
  let failing = evaluate(plan, null);
  while (failing.size > 0 && plan.stats.repairRounds < config.maxRepairRounds) {
    plan.stats.repairRounds++;
    const touched = new Set<string>();
    const touch = (g: Group) => {
      for (const n of g.needs) touched.add(componentOf(plan, g, n.dept));
    };
    for (const [gid, depts] of [...failing.entries()].sort((a, b) => a[0] - b[0])) {
      const g = plan.groups[gid]!;
      touch(g);
      addDemand(plan, g, -1);
      g.tried.add(g.day);
      if (place(plan, g)) {
        plan.stats.movedVisits++;
        touch(g);
        continue;
      }
      for (const p of placeOrBreak(plan, breakUp(plan, g, depts))) touch(p);
    }
    failing = evaluate(plan, touched);
  }
  if (failing.size > 0) {
    const touched = new Set<string>();
    for (const gid of [...failing.keys()].sort((a, b) => a - b)) {
      const g = plan.groups[gid]!;
      for (const n of g.needs) touched.add(componentOf(plan, g, n.dept));
      plan.dropped.add(gid);
      addDemand(plan, g, -1);
      for (const t of g.tasks) plan.unscheduled.set(t, `${capacityReason(plan, t)} (repair limit of ${config.maxRepairRounds} rounds reached)`);
    }
    failing = evaluate(plan, touched);
    if (failing.size > 0) throw new Error("internal: removing visits left a component infeasible");
  }
}
