/**
 * Balanced load (part of the team step): among the schedules already fixed (fewest unscheduled
 * tasks, then visits, then these days), the inspectors' expected loads relative to their total
 * capacity are kept near the least possible largest one.
 *
 *   loadBound(plan, seats) → λ*: the LP bound — the least λ such that fractional teams exist with
 *                            every inspector's expected load ≤ λ·totalCapacity (bisection on a
 *                            max-flow, `config.loadBoundSteps` steps: a count, never a clock)
 *   balancedMarginals(...)  the capped marginals (solver/marginals.ts), re-solved with capacities
 *                            (1 + loadSlack)·λ*·totalCapacity when the closed form exceeds that,
 *                            some inspector's expected load exceeds balanceFrom·totalCapacity,
 *                            and the component fits the LP (lpMaxVariables); stats.load records
 *                            the largest relative load before and after, and λ*
 *
 * The re-solved marginals are an LP vertex: they keep the cap but not equal chances among equally
 * eligible inspectors. Hence the threshold: where capacity is slack the closed form (equal
 * chances) stays; where an inspector's load approaches its capacity, balance wins.
 */
import { buildNet } from "./feasibility.ts";
import { FlowNetwork } from "./flow.ts";
import { capacityFeasibleMarginals, closedForm } from "./marginals.ts";
import type { Seat } from "./marginals.ts";
import type { Inspector } from "./model.ts";
import type { Plan } from "./plan.ts";

export function loadBound(plan: Plan, seats: readonly Seat[], steps: number): number {
  const { inspectors } = plan.problem;
  const net = buildNet(plan, seats, true);
  const demand = net.sinkEdges.flat().reduce((a, e) => a + net.cap[e]!, 0);
  const feasible = (lambda: number) => {
    const fn = new FlowNetwork(net.nodes);
    const capOf = new Map<number, number>();
    for (const [i, e] of net.inspectorEdge) capOf.set(e, lambda * inspectors[i]!.totalCapacity);
    net.from.forEach((u, e) => fn.addEdge(u, net.to[e]!, capOf.get(e) ?? net.cap[e]!));
    return fn.maxflow(0, 1) >= demand - 1e-7;
  };
  let lo = 0;
  let hi = 1;
  for (let s = 0; s < steps; s++) {
    const mid = (lo + hi) / 2;
    if (feasible(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function maxRelativeLoad(seats: readonly Seat[], x: readonly number[][], inspector: (i: number) => Inspector): number {
  const load = new Map<number, number>();
  seats.forEach((s, j) => s.pool.forEach((i, r) => load.set(i, (load.get(i) ?? 0) + x[j]![r]!)));
  let m = 0;
  for (const [i, v] of load) m = Math.max(m, v / Math.max(1e-9, inspector(i).totalCapacity));
  return m;
}

export function balancedMarginals(plan: Plan, seats: readonly Seat[], integral: number[][]): ReturnType<typeof capacityFeasibleMarginals> {
  const { config, inspectors } = plan.problem;
  const st = plan.stats.load;
  const opts = { lpMaxVariables: config.lpMaxVariables, epsilon: config.epsilon };
  const plain = capacityFeasibleMarginals(seats, integral, (i) => inspectors[i]!, opts);
  const before = maxRelativeLoad(seats, closedForm(seats), (i) => inspectors[i]!);
  st.maxRelativeUnbalanced = Math.max(st.maxRelativeUnbalanced, before);
  const vars = seats.reduce((a, s) => a + s.pool.length, 0);
  let chosen = plain;
  if (vars <= config.lpMaxVariables && config.loadBoundSteps > 0) {
    const lambda = loadBound(plan, seats, config.loadBoundSteps);
    st.bound = Math.max(st.bound ?? 0, lambda);
    const limit = Math.min(1, lambda * (1 + config.loadSlack));
    const current = maxRelativeLoad(seats, plain.x, (i) => inspectors[i]!);
    if (current > limit + 1e-9 && current > config.balanceFrom) {
      const scaled = (i: number): Inspector => ({ ...inspectors[i]!, totalCapacity: limit * inspectors[i]!.totalCapacity });
      // The balanced capacities are soft (the real ones stay in the rounding's network): the LP's
      // own rounding error is tolerated against them.
      const m = capacityFeasibleMarginals(seats, integral, scaled, { ...opts, tolerance: 1e-6 });
      if (m.method === "lp" || m.method === "closed") {
        chosen = m;
        plan.stats.balancedComponents++;
      }
    }
  }
  st.maxRelative = Math.max(st.maxRelative, maxRelativeLoad(seats, chosen.x, (i) => inspectors[i]!));
  return chosen;
}
