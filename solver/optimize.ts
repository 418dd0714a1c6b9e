/**
 * The joint-check optimizer: drawn tasks → joint visits with random, fair inspector teams.
 * One typed object (`Plan`, solver/plan.ts) is passed along the pipeline, one module per step
 * (docs/optimizer.md explains each step and why it is correct):
 *
 *   1. tasks.ts        windows in horizon days, eligible pools, the days each task can be staffed
 *   2. groups.ts       per entity, interval piercing groups tasks into the fewest visits
 *   3. days.ts         a day per group, balancing demand against available capacity
 *   4. feasibility.ts  per department component, max-flow proves teams exist; repair otherwise
 *   5. exact.ts        per coupled component: a bound proves the result, or an exact MIP (HiGHS)
 *   6. teams.ts        rotation, balanced load (balance.ts), capped marginals, seeded dependent rounding
 *   7. assembly.ts     the schedule, accepted by the independent checker or optimize throws
 *
 * Pure: same instance + same config = byte-identical schedule (limits are counts, never clocks).
 */
import { DEFAULT_CONFIG, DEFAULT_RULES } from "./config.ts";
import type { SolverConfig } from "./config.ts";
import { assemble } from "./assembly.ts";
import { buildContext } from "./constraints.ts";
import { chooseDays } from "./days.ts";
import { proveOrSolve } from "./exact.ts";
import { ensureFeasible } from "./feasibility.ts";
import { groupTasks } from "./groups.ts";
import type { Instance, Schedule } from "./model.ts";
import type { ComponentProof, OptimizeStats, Plan, Problem } from "./plan.ts";
import { emptyStats } from "./plan.ts";
import { buildPools } from "./pools.ts";
import { prepareTasks } from "./tasks.ts";
import { drawTeams } from "./teams.ts";

export type { ComponentProof, OptimizeStats } from "./plan.ts";

export interface OptimizeResult {
  schedule: Schedule;
  stats: OptimizeStats;
  /** Per coupled component: its result, the proven bounds, optimal or the gap (docs/optimizer.md). */
  proofs: ComponentProof[];
  /** Optimal everywhere, or the summed gap in unscheduled tasks and visits. */
  optimality: { status: "optimal" | "gap"; unscheduledGap: number; visitsGap: number };
}

/** The pure entry point: same instance + same config = byte-identical schedule. */
export function optimize(instance: Instance, config: Partial<SolverConfig> = {}): Schedule {
  return optimizeDetailed(instance, config).schedule;
}

export function newPlan(instance: Instance, configOverrides: Partial<SolverConfig> = {}): Plan {
  const config: SolverConfig = { ...DEFAULT_CONFIG, ...configOverrides };
  const ctx = buildContext(instance, DEFAULT_RULES);
  const inspIndex = new Map(instance.inspectors.map((x, i) => [x.id, i]));
  const entityIndex = new Map(instance.entities.map((e, i) => [e.id, i]));
  const problem: Problem = {
    instance,
    config,
    ctx,
    rules: ctx.rules,
    days: instance.horizon.days,
    D: instance.horizon.days.length,
    inspectors: instance.inspectors,
    inspIndex,
    entities: instance.entities,
    entityIndex,
    pools: buildPools(ctx, inspIndex, entityIndex),
  };
  return {
    problem,
    stats: emptyStats(),
    unscheduled: new Map(),
    tasks: [],
    taskInfo: new Map(),
    groups: [],
    dropped: new Set(),
    demand: new Map(),
    clusterOf: new Map(),
    flows: new Map(),
    proofs: [],
    teams: new Map(),
  };
}

export function optimizeDetailed(instance: Instance, config: Partial<SolverConfig> = {}): OptimizeResult {
  const plan = newPlan(instance, config);
  prepareTasks(plan);
  groupTasks(plan);
  chooseDays(plan);
  ensureFeasible(plan);
  proveOrSolve(plan);
  drawTeams(plan);
  const schedule = assemble(plan);
  let unscheduledGap = 0;
  let visitsGap = 0;
  for (const p of plan.proofs) {
    unscheduledGap += p.unscheduled - p.bound.unscheduled;
    if (p.unscheduled === p.bound.unscheduled) visitsGap += p.visits - p.bound.visits;
  }
  const status = plan.proofs.every((p) => p.status === "optimal") ? "optimal" : "gap";
  return { schedule, stats: plan.stats, proofs: plan.proofs, optimality: { status, unscheduledGap, visitsGap } };
}
