/**
 * The approval–supervision loop (审管联动, docs/approvals.md) as pure functions over plain data:
 * the duty list (职责边界清单), routing of decisions to supervising departments, deadlines on the
 * holiday calendar (failing closed), step classification for the overdue list, the directed tasks
 * the loop creates and their merge into the optimizer's schedule, the dispute state machine and
 * the statistics. Expert and staff panel draws for approvals live in src/panels/.
 */
export * from "./values.ts";
export * from "./types.ts";
export * from "./settings.ts";
export * from "./dutyList.ts";
export * from "./routing.ts";
export * from "./deadlines.ts";
export * from "./steps.ts";
export * from "./tasks.ts";
export * from "./disputes.ts";
export * from "./merge.ts";
export * from "./stats.ts";
export * from "./sheets.ts";
export * from "./statsExport.ts";
