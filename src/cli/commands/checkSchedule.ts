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

const USAGE = "用法：ssj check-schedule <实例.json> <排期.json>";

export const checkScheduleCommand: Command = {
  name: "check-schedule",
  summary: "独立核查联合检查排期是否满足实例的全部硬约束（不满足时退出码 1 并列出每一处）",
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
      throw new CliError(`无法把 ${args[1]} 读作 JSON：${(e as Error).message}`);
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
      `${r.feasible ? "可行" : `不可行：违反约束 ${r.violations.length} 处`}；任务 ${m.tasks} 个，已安排 ${m.scheduledTasks} 个，未安排 ${m.unscheduled} 个，` +
        `检查 ${m.visits} 次（联合检查 ${m.jointVisits} 次），下界 ${m.lowerBound}（已安排任务的下界 ${m.lowerBoundScheduled}），` +
        `检查次数/下界 ${m.visitsPerLowerBound.toFixed(4)}，执法人员负担 最多 ${m.maxInspectorLoad} 平均 ${m.meanInspectorLoad.toFixed(2)}`,
    );
    return r.feasible ? 0 : 1;
  },
};
