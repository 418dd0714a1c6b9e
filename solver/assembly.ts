/**
 * Pipeline step 7, assembly: the schedule in the exchange format (docs/optimizer.md), checked.
 *
 *   assemble(plan) → Schedule { visits (by day, then first task's position), unscheduled (instance order) }
 *
 * The independent checker `checkSchedule` must accept it, or the optimizer throws: it never
 * returns a schedule the checker rejects.
 */
import { checkSchedule } from "./constraints.ts";
import type { Schedule, Unscheduled, Visit } from "./model.ts";
import type { Plan } from "./plan.ts";
import { liveGroups } from "./plan.ts";

export function assemble(plan: Plan): Schedule {
  const { instance, entities, days, inspectors } = plan.problem;
  const groups = liveGroups(plan);
  const visits: Visit[] = groups
    .map((g) => ({
      order: g.tasks[0]!,
      visit: {
        entity: entities[g.entity]!.id,
        day: days[g.day]!,
        tasks: g.tasks.map((t) => instance.tasks[t]!.id),
        team: [...(plan.teams.get(g.id) ?? [])].sort((a, b) => a - b).map((i) => inspectors[i]!.id),
      },
    }))
    .sort((a, b) => (a.visit.day < b.visit.day ? -1 : a.visit.day > b.visit.day ? 1 : a.order - b.order))
    .map((x) => x.visit);
  const unscheduled: Unscheduled[] = [...plan.unscheduled.entries()].sort((a, b) => a[0] - b[0]).map(([t, reason]) => ({ task: instance.tasks[t]!.id, reason }));
  const schedule: Schedule = { visits, unscheduled };
  plan.stats.groups = groups.length;
  const check = checkSchedule(instance, schedule);
  if (!check.feasible)
    throw new Error(`internal: the optimizer produced an infeasible schedule:\n${check.violations.slice(0, 20).map((v) => `  [${v.rule}] ${v.message}`).join("\n")}`);
  return schedule;
}
