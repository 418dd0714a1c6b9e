/** The joint-check optimizer's public surface (pure: no I/O, no database, no clock). */
export { optimize, optimizeDetailed } from "./optimize.ts";
export type { OptimizeResult, OptimizeStats } from "./optimize.ts";
export { checkSchedule, constraintRules, eligibility, scheduleMetrics } from "./constraints.ts";
export type { CheckResult, ConstraintRule, RuleName, ScheduleMetrics, Violation } from "./constraints.ts";
export { FormatError, parseInstance, parseSchedule, visitLowerBound } from "./model.ts";
export type { Entity, Horizon, Inspector, Instance, Recusal, Rules, Schedule, Task, TaskKind, Unscheduled, Visit } from "./model.ts";
export { DEFAULT_CONFIG, DEFAULT_RULES } from "./config.ts";
export type { SolverConfig } from "./config.ts";
