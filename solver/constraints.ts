/**
 * The hard constraints as named, separately testable rules, and the independent feasibility
 * checker `checkSchedule` built from them. The optimizer builds its inspector pools from the
 * same named eligibility predicates, but never trusts its own output: `optimize` runs
 * `checkSchedule` on every schedule before returning it.
 */
import { DEFAULT_RULES } from "./config.ts";
import { effectiveRules, visitLowerBound } from "./model.ts";
import type { Entity, Inspector, Instance, Rules, Schedule, Task, Visit } from "./model.ts";

export interface Violation {
  rule: RuleName;
  message: string;
  /** Index into schedule.visits, when the violation concerns one visit. */
  visit?: number;
}

export interface CheckContext {
  instance: Instance;
  rules: Rules;
  days: Set<string>;
  entities: Map<string, Entity>;
  inspectors: Map<string, Inspector>;
  tasks: Map<string, Task>;
  recused: Set<string>;
  unavailable: Map<string, Set<string>>;
  /** Per-run memo of resolved visits (set by `checkSchedule` for one run only). */
  memo?: WeakMap<Visit, Resolved>;
}

export function recusalKey(inspector: string, entity: string): string {
  return `${inspector}\u0000${entity}`;
}

export function buildContext(instance: Instance, defaults: Rules = DEFAULT_RULES): CheckContext {
  return {
    instance,
    rules: effectiveRules(instance, defaults),
    days: new Set(instance.horizon.days),
    entities: new Map(instance.entities.map((e) => [e.id, e])),
    inspectors: new Map(instance.inspectors.map((i) => [i.id, i])),
    tasks: new Map(instance.tasks.map((t) => [t.id, t])),
    recused: new Set(instance.recusals.map((r) => recusalKey(r.inspector, r.entity))),
    unavailable: new Map(instance.inspectors.map((i) => [i.id, new Set(i.unavailable)])),
  };
}

/** Named eligibility rules: may `inspector` serve on a visit to `entity` on `day`? */
export const eligibility = {
  /** member-department: the inspector belongs to the department of one of the visit's tasks. */
  department: (inspector: Inspector, departments: ReadonlySet<string>): boolean => departments.has(inspector.department),
  /** member-district: the inspector covers the entity's district. */
  district: (inspector: Inspector, entity: Entity): boolean => inspector.districts.includes(entity.district),
  /** member-recusal: the inspector is not recused for the entity (回避). */
  recusal: (ctx: CheckContext, inspector: Inspector, entity: Entity): boolean => !ctx.recused.has(recusalKey(inspector.id, entity.id)),
  /** member-availability: the inspector is not unavailable that day. */
  availability: (ctx: CheckContext, inspector: Inspector, day: string): boolean => !ctx.unavailable.get(inspector.id)?.has(day),
  /** qualification: the inspector holds every qualification in `requires`. */
  qualified: (inspector: Inspector, requires: readonly string[]): boolean => requires.every((q) => inspector.qualifications.includes(q)),
  /** daily-capacity / total-capacity: an inspector with no capacity can serve on no visit. */
  capacity: (inspector: Inspector): boolean => inspector.dailyCapacity >= 1 && inspector.totalCapacity >= 1,
  /** pinned-team: a task with a pinned team admits only its team's officers. */
  pinned: (task: Task, inspector: Inspector): boolean => task.team === undefined || task.team.includes(inspector.id),
};

export type RuleName =
  | "task-coverage"
  | "visit-entity"
  | "visit-day"
  | "team-members"
  | "member-department"
  | "member-district"
  | "member-recusal"
  | "member-availability"
  | "min-per-department"
  | "min-team"
  | "min-solo-department"
  | "qualification"
  | "pinned-team"
  | "daily-capacity"
  | "total-capacity";

export interface ConstraintRule {
  name: RuleName;
  description: string;
  check(ctx: CheckContext, schedule: Schedule): Violation[];
}

interface Resolved {
  tasks: Task[];
  team: Inspector[];
}
/**
 * A visit's known tasks and inspectors. `checkSchedule` gives each run its own memo (ctx.memo), so
 * a schedule mutated between two checks is resolved afresh; a rule called on its own resolves
 * every time.
 */
function resolve(ctx: CheckContext, v: Visit): Resolved {
  let r = ctx.memo?.get(v);
  if (!r) {
    r = {
      tasks: v.tasks.map((id) => ctx.tasks.get(id)).filter((t): t is Task => t !== undefined),
      team: [...new Set(v.team)].map((id) => ctx.inspectors.get(id)).filter((i): i is Inspector => i !== undefined),
    };
    ctx.memo?.set(v, r);
  }
  return r;
}
/** Known tasks / inspectors of a visit (unknown ids are reported by their own rules). */
function visitTasks(ctx: CheckContext, v: Visit): Task[] {
  return resolve(ctx, v).tasks;
}
function visitTeam(ctx: CheckContext, v: Visit): Inspector[] {
  return resolve(ctx, v).team;
}
function perVisit(ctx: CheckContext, schedule: Schedule, rule: RuleName, f: (v: Visit, i: number) => string[]): Violation[] {
  const out: Violation[] = [];
  schedule.visits.forEach((v, i) => {
    for (const message of f(v, i)) out.push({ rule, message: `visit ${i} (${v.entity} on ${v.day}): ${message}`, visit: i });
  });
  return out;
}

export const constraintRules: readonly ConstraintRule[] = [
  {
    name: "task-coverage",
    description: "every task appears exactly once: in one visit or unscheduled; no unknown task ids",
    check(ctx, schedule) {
      const seen = new Map<string, number>();
      const out: Violation[] = [];
      const note = (id: string, where: string) => {
        if (!ctx.tasks.has(id)) out.push({ rule: "task-coverage", message: `unknown task '${id}' in ${where}` });
        seen.set(id, (seen.get(id) ?? 0) + 1);
      };
      schedule.visits.forEach((v, i) => v.tasks.forEach((t) => note(t, `visit ${i}`)));
      schedule.unscheduled.forEach((u) => note(u.task, "unscheduled"));
      for (const t of ctx.instance.tasks) {
        const n = seen.get(t.id) ?? 0;
        if (n === 0) out.push({ rule: "task-coverage", message: `task ${t.id} is missing` });
        if (n > 1) out.push({ rule: "task-coverage", message: `task ${t.id} appears ${n} times` });
      }
      return out;
    },
  },
  {
    name: "visit-entity",
    description: "a visit names a known entity, carries at least one task, and all its tasks concern that entity",
    check: (ctx, s) =>
      perVisit(ctx, s, "visit-entity", (v) => {
        const m: string[] = [];
        if (!ctx.entities.has(v.entity)) m.push(`unknown entity '${v.entity}'`);
        if (v.tasks.length === 0) m.push("visit carries no task");
        for (const t of visitTasks(ctx, v)) if (t.entity !== v.entity) m.push(`task ${t.id} concerns entity ${t.entity}`);
        return m;
      }),
  },
  {
    name: "visit-day",
    description: "a visit's day is a horizon day inside each of its tasks' windows",
    check: (ctx, s) =>
      perVisit(ctx, s, "visit-day", (v) => {
        const m: string[] = [];
        if (!ctx.days.has(v.day)) m.push(`day ${v.day} is not a horizon day`);
        for (const t of visitTasks(ctx, v))
          if (v.day < t.window.from || v.day > t.window.to) m.push(`day is outside task ${t.id}'s window ${t.window.from}..${t.window.to}`);
        return m;
      }),
  },
  {
    name: "team-members",
    description: "team members are known inspectors, each appearing once per team",
    check: (ctx, s) =>
      perVisit(ctx, s, "team-members", (v) => {
        const m: string[] = [];
        const seen = new Set<string>();
        for (const id of v.team) {
          if (!ctx.inspectors.has(id)) m.push(`unknown inspector '${id}'`);
          if (seen.has(id)) m.push(`inspector ${id} appears twice`);
          seen.add(id);
        }
        return m;
      }),
  },
  {
    name: "member-department",
    description: "each team member belongs to the department of one of the visit's tasks",
    check: (ctx, s) =>
      perVisit(ctx, s, "member-department", (v) => {
        const deps = new Set(visitTasks(ctx, v).map((t) => t.department));
        return visitTeam(ctx, v)
          .filter((i) => !eligibility.department(i, deps))
          .map((i) => `inspector ${i.id} (department ${i.department}) belongs to no department of the visit`);
      }),
  },
  {
    name: "member-district",
    description: "each team member covers the entity's district",
    check: (ctx, s) =>
      perVisit(ctx, s, "member-district", (v) => {
        const e = ctx.entities.get(v.entity);
        if (!e) return [];
        return visitTeam(ctx, v)
          .filter((i) => !eligibility.district(i, e))
          .map((i) => `inspector ${i.id} does not cover district ${e.district}`);
      }),
  },
  {
    name: "member-recusal",
    description: "no team member is recused for the entity (回避)",
    check: (ctx, s) =>
      perVisit(ctx, s, "member-recusal", (v) => {
        const e = ctx.entities.get(v.entity);
        if (!e) return [];
        return visitTeam(ctx, v)
          .filter((i) => !eligibility.recusal(ctx, i, e))
          .map((i) => `inspector ${i.id} is recused for ${e.id}`);
      }),
  },
  {
    name: "member-availability",
    description: "no team member is unavailable on the visit's day",
    check: (ctx, s) =>
      perVisit(ctx, s, "member-availability", (v) =>
        visitTeam(ctx, v)
          .filter((i) => !eligibility.availability(ctx, i, v.day))
          .map((i) => `inspector ${i.id} is unavailable on ${v.day}`),
      ),
  },
  {
    name: "min-per-department",
    description: "for each department of the visit's tasks, at least minPerDepartment of its officers",
    check: (ctx, s) =>
      perVisit(ctx, s, "min-per-department", (v) => {
        const team = visitTeam(ctx, v);
        const deps = [...new Set(visitTasks(ctx, v).map((t) => t.department))];
        return deps
          .map((d) => [d, team.filter((i) => i.department === d).length] as const)
          .filter(([, n]) => n < ctx.rules.minPerDepartment)
          .map(([d, n]) => `department ${d} has ${n} officer(s), needs ${ctx.rules.minPerDepartment}`);
      }),
  },
  {
    name: "min-team",
    description: "at least minTeam officers in all",
    check: (ctx, s) =>
      perVisit(ctx, s, "min-team", (v) => {
        const n = visitTeam(ctx, v).length;
        return n < ctx.rules.minTeam ? [`team has ${n} officer(s), needs ${ctx.rules.minTeam}`] : [];
      }),
  },
  {
    name: "min-solo-department",
    description: "a visit whose tasks are all of one department has at least minSoloDepartment of its officers",
    check: (ctx, s) =>
      perVisit(ctx, s, "min-solo-department", (v) => {
        const deps = [...new Set(visitTasks(ctx, v).map((t) => t.department))];
        if (deps.length !== 1) return [];
        const n = visitTeam(ctx, v).filter((i) => i.department === deps[0]).length;
        return n < ctx.rules.minSoloDepartment ? [`single-department visit has ${n} officer(s) of ${deps[0]}, needs ${ctx.rules.minSoloDepartment}`] : [];
      }),
  },
  {
    name: "qualification",
    description: "for each task, a team member of its department holds every qualification the task requires",
    check: (ctx, s) =>
      perVisit(ctx, s, "qualification", (v) => {
        const team = visitTeam(ctx, v);
        return visitTasks(ctx, v)
          .filter((t) => !team.some((i) => i.department === t.department && eligibility.qualified(i, t.requires)))
          .map((t) => `no officer of ${t.department} holds [${t.requires.join(", ")}] for task ${t.id}`);
      }),
  },
  {
    name: "pinned-team",
    description: "a task with a pinned team (chosen by a verifiable draw) is visited by exactly that team of its department",
    check: (ctx, s) =>
      perVisit(ctx, s, "pinned-team", (v) => {
        const team = visitTeam(ctx, v);
        return visitTasks(ctx, v)
          .filter((t) => t.team !== undefined)
          .filter((t) => {
            const got = team.filter((i) => i.department === t.department).map((i) => i.id).sort();
            return got.join("\u0000") !== [...new Set(t.team)].sort().join("\u0000");
          })
          .map((t) => `task ${t.id}: officers of ${t.department} on the visit are not its pinned team [${t.team!.join(", ")}]`);
      }),
  },
  {
    name: "daily-capacity",
    description: "no inspector has more than dailyCapacity visits a day",
    check(ctx, schedule) {
      const count = new Map<string, Map<string, number>>();
      for (const v of schedule.visits)
        for (const id of new Set(v.team)) {
          let m = count.get(id);
          if (!m) count.set(id, (m = new Map()));
          m.set(v.day, (m.get(v.day) ?? 0) + 1);
        }
      const out: Violation[] = [];
      for (const [id, m] of count) {
        const i = ctx.inspectors.get(id);
        if (!i) continue;
        for (const [day, n] of m)
          if (n > i.dailyCapacity) out.push({ rule: "daily-capacity", message: `inspector ${id} has ${n} visits on ${day}, capacity ${i.dailyCapacity}` });
      }
      return out;
    },
  },
  {
    name: "total-capacity",
    description: "no inspector has more than totalCapacity visits in the horizon",
    check(ctx, schedule) {
      const count = inspectorLoads(schedule);
      const out: Violation[] = [];
      for (const [id, n] of count) {
        const i = ctx.inspectors.get(id);
        if (i && n > i.totalCapacity) out.push({ rule: "total-capacity", message: `inspector ${id} has ${n} visits, capacity ${i.totalCapacity}` });
      }
      return out;
    },
  },
];

function inspectorLoads(schedule: Schedule): Map<string, number> {
  const count = new Map<string, number>();
  for (const v of schedule.visits) for (const id of new Set(v.team)) count.set(id, (count.get(id) ?? 0) + 1);
  return count;
}

export interface ScheduleMetrics {
  tasks: number;
  scheduledTasks: number;
  unscheduled: number;
  visits: number;
  /** Visits carrying tasks of two or more departments. */
  jointVisits: number;
  /** Σ over entities of the minimum number of days piercing its task windows. */
  lowerBound: number;
  /** The same bound over the tasks the schedule actually schedules. */
  lowerBoundScheduled: number;
  /** visits / lowerBound (1 when both are 0). */
  visitsPerLowerBound: number;
  maxInspectorLoad: number;
  /** Mean visits per inspector over all inspectors of the instance. */
  meanInspectorLoad: number;
}

export function scheduleMetrics(instance: Instance, schedule: Schedule): ScheduleMetrics {
  const loads = inspectorLoads(schedule);
  const lowerBound = visitLowerBound(instance);
  let jointVisits = 0;
  const taskDept = new Map(instance.tasks.map((t) => [t.id, t.department]));
  for (const v of schedule.visits) if (new Set(v.tasks.map((t) => taskDept.get(t))).size > 1) jointVisits++;
  const totalLoad = [...loads.values()].reduce((a, b) => a + b, 0);
  const scheduledTasks = schedule.visits.reduce((a, v) => a + v.tasks.length, 0);
  const scheduledIds = new Set(schedule.visits.flatMap((v) => v.tasks));
  const lowerBoundScheduled = visitLowerBound({ ...instance, tasks: instance.tasks.filter((t) => scheduledIds.has(t.id)) });
  return {
    tasks: instance.tasks.length,
    scheduledTasks,
    unscheduled: schedule.unscheduled.length,
    visits: schedule.visits.length,
    jointVisits,
    lowerBound,
    lowerBoundScheduled,
    visitsPerLowerBound: lowerBound === 0 ? (schedule.visits.length === 0 ? 1 : Infinity) : schedule.visits.length / lowerBound,
    maxInspectorLoad: Math.max(0, ...loads.values()),
    meanInspectorLoad: instance.inspectors.length === 0 ? 0 : totalLoad / instance.inspectors.length,
  };
}

export interface CheckResult {
  feasible: boolean;
  violations: Violation[];
  metrics: ScheduleMetrics;
}

/** Checks every hard constraint, independently of how the schedule was made. */
export function checkSchedule(instance: Instance, schedule: Schedule, defaults: Rules = DEFAULT_RULES): CheckResult {
  const ctx: CheckContext = { ...buildContext(instance, defaults), memo: new WeakMap() };
  const violations = constraintRules.flatMap((r) => r.check(ctx, schedule));
  return { feasible: violations.length === 0, violations, metrics: scheduleMetrics(instance, schedule) };
}
