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
import { dependentRound } from "./flow.ts";
import { capacityFeasibleMarginals } from "./marginals.ts";
import type { Plan } from "./plan.ts";
import { liveGroups } from "./plan.ts";

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
    const { seats, net, flow } = plan.flows.get(comp)!;
    for (const s of seats) s.cap = rules.assignmentCap / visitsPer.get(`${plan.groups[s.group]!.entity}|${s.dept}`)!;
    const integral = seats.map((_, j) => net.seatEdges[j]!.map((x) => flow[x.edge]!));
    const m = capacityFeasibleMarginals(seats, integral, (i) => inspectors[i]!, { lpMaxVariables: config.lpMaxVariables, epsilon: config.epsilon });
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
