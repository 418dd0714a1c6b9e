/**
 * Pipeline step 6, teams: per department component, capped marginal assignment probabilities
 * (solver/marginals.ts: closed form, repaired where capacities bind) and their seeded dependent
 * rounding to integral teams (solver/flow.ts, Jecmen et al. 2020).
 *
 *   drawTeams(plan): plan.teams = group id → inspectors
 *
 * Every coin flip comes from seedrandom(seed + ":" + componentKey); components in sorted key
 * order, flips in the fixed order of the rounding walk.
 */
import seedrandom from "seedrandom";
import { buildNet, saturated, solveFlow } from "./feasibility.ts";
import { dependentRound } from "./flow.ts";
import { balancedMarginals } from "./balance.ts";
import type { Seat } from "./marginals.ts";
import type { ComponentFlow, Plan } from "./plan.ts";
import { liveGroups } from "./plan.ts";

/**
 * Rotation (轮换): the seats' pools without the officers who visited the entity in the last
 * `rotationRounds` rounds, wherever that leaves the seat staffable (k members, one qualified) and
 * the component still staffable as a whole (max-flow); seats whose narrowed pools break the
 * component's flow keep their full pools. Pinned and fixed seats are never narrowed. Days,
 * visits and unscheduled tasks do not change: rotation only chooses among equally good teams.
 */
export function rotate(plan: Plan, entry: ComponentFlow): ComponentFlow {
  const { pools } = plan.problem;
  if (plan.problem.rules.rotationRounds <= 0) return entry;
  const narrowed = entry.seats.map((s): Seat | null => {
    const g = plan.groups[s.group]!;
    const need = g.needs.find((n) => n.dept === s.dept);
    if (need?.fixed || pools.pinnedSize(g.entity, s.dept) !== undefined) return null;
    const recent = pools.recent(g.entity);
    if (!recent || !s.pool.some((i) => recent.has(i))) return null;
    const pool = s.pool.filter((i) => !recent.has(i));
    const qualified = s.qualified.filter((i) => !recent.has(i));
    if (pool.length < s.k || qualified.length === 0) return null;
    return { ...s, pool, qualified };
  });
  if (narrowed.every((x) => x === null)) return entry;
  let seats = entry.seats.map((s, j) => narrowed[j] ?? s);
  for (let attempt = 0; attempt < 2; attempt++) {
    const net = buildNet(plan, seats);
    const flow = solveFlow(plan, net, seats);
    const next = { seats, net, flow };
    if (saturated(next)) {
      plan.stats.rotatedSeats += seats.filter((s, j) => s !== entry.seats[j]).length;
      return next;
    }
    // Keep the full pool wherever the narrowed one went unstaffed, then try once more.
    seats = seats.map((s, j) => (net.sinkEdges[j]!.every((e) => flow[e]! >= net.cap[e]!) ? s : entry.seats[j]!));
  }
  return entry;
}

export function drawTeams(plan: Plan): void {
  const { config, rules, inspectors, D, instance } = plan.problem;
  const groups = liveGroups(plan);
  const visitsPer = new Map<string, number>(); // entity|dept → number of visits
  for (const g of groups)
    for (const n of g.needs) {
      const k = `${g.entity}|${n.dept}`;
      visitsPer.set(k, (visitsPer.get(k) ?? 0) + 1);
    }
  const compKeys = [...plan.flows.keys()].sort();
  plan.stats.components = compKeys.length;
  for (const comp of compKeys) {
    const { seats, net, flow } = rotate(plan, plan.flows.get(comp)!);
    for (const s of seats) s.cap = rules.assignmentCap / visitsPer.get(`${plan.groups[s.group]!.entity}|${s.dept}`)!;
    const integral = seats.map((_, j) => net.seatEdges[j]!.map((x) => flow[x.edge]!));
    const m = balancedMarginals(plan, seats, integral);
    if (m.method === "lp") plan.stats.lpComponents++;
    if (m.method === "waterfill") plan.stats.waterfilledComponents++;
    if (m.method === "blend") {
      plan.stats.blendedComponents++;
      plan.stats.minBlendLambda = Math.min(plan.stats.minBlendLambda, m.lambda ?? 0);
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
      let team = plan.teams.get(s.group);
      if (!team) plan.teams.set(s.group, (team = new Set()));
      for (const x of net.seatEdges[j]!) if (val[x.edge] === 1) team.add(x.inspector);
    });
  }
}
