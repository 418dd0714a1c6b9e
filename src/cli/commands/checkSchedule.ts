/**
 * `ssj check-schedule <instance.json> <schedule.json>`: the independent feasibility checker.
 * Exit 0 when every hard constraint holds, 1 with every violation listed; metrics either way.
 */
import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { FormatError, parseSchedule } from "../../../solver/model.ts";
import { checkSchedule } from "../../../solver/constraints.ts";
import { readInstanceFile } from "./optimize.ts";

const USAGE = "usage: ssj check-schedule <instance.json> <schedule.json>";

export const checkScheduleCommand: Command = {
  name: "check-schedule",
  summary: "check a joint-check schedule against its instance (exit 1 listing every violation)",
  async run(args) {
    if (args.includes("--help") || args.includes("-h")) {
      console.log(USAGE);
      return 0;
    }
    if (args.length !== 2) throw new CliError(USAGE);
    const instance = readInstanceFile(args[0]!);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(args[1]!, "utf8"));
    } catch (e) {
      throw new CliError(`cannot read ${args[1]} as JSON: ${(e as Error).message}`);
    }
    let schedule;
    try {
      schedule = parseSchedule(raw);
    } catch (e) {
      if (e instanceof FormatError) throw new CliError(`${args[1]}: ${e.message}`);
      throw e;
    }
    const r = checkSchedule(instance, schedule);
    for (const v of r.violations) console.log(`[${v.rule}] ${v.message}`);
    const m = r.metrics;
    console.log(
      `${r.feasible ? "feasible" : `INFEASIBLE: ${r.violations.length} violation(s)`}; tasks ${m.tasks}, scheduled ${m.scheduledTasks}, unscheduled ${m.unscheduled}, ` +
        `visits ${m.visits} (joint ${m.jointVisits}), lower bound ${m.lowerBound} (scheduled tasks: ${m.lowerBoundScheduled}), ` +
        `visits/lower bound ${m.visitsPerLowerBound.toFixed(4)}, inspector load max ${m.maxInspectorLoad} mean ${m.meanInspectorLoad.toFixed(2)}`,
    );
    return r.feasible ? 0 : 1;
  },
};
