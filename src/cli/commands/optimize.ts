/**
 * `ssj optimize <instance.json> [--out schedule.json]`: joint-check schedule for an instance file
 * (format: docs/optimizer.md). Prints the schedule (or writes it to --out) and a metrics summary
 * on stderr. `--batch <id>` (reading the instance from the database) is not wired yet.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { FormatError, parseInstance } from "../../../solver/model.ts";
import type { Instance } from "../../../solver/model.ts";
import { optimizeDetailed } from "../../../solver/optimize.ts";
import { scheduleMetrics } from "../../../solver/constraints.ts";

const USAGE = "usage: ssj optimize <instance.json> [--out schedule.json]";

export function readInstanceFile(path: string): Instance {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path} is not JSON: ${(e as Error).message}`);
  }
  try {
    return parseInstance(raw);
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(`${path}: ${e.message}`);
    throw e;
  }
}

export const optimizeCommand: Command = {
  name: "optimize",
  summary: "schedule drawn tasks as joint visits with random teams (进一次门、查多项事)",
  async run(args) {
    let input: string | undefined;
    let out: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--out") {
        out = args[++i];
        if (!out) throw new CliError(`--out needs a file\n${USAGE}`);
      } else if (a === "--batch") throw new CliError("--batch <id> needs the persistence layer and is not wired yet; export the batch as an instance file");
      else if (a === "--help" || a === "-h") {
        console.log(USAGE);
        return 0;
      } else if (a.startsWith("-")) throw new CliError(`unknown option ${a}\n${USAGE}`);
      else if (input) throw new CliError(`one instance file only\n${USAGE}`);
      else input = a;
    }
    if (!input) throw new CliError(USAGE);
    const instance = readInstanceFile(input);
    const t0 = performance.now();
    const { schedule, stats } = optimizeDetailed(instance);
    const ms = performance.now() - t0;
    const json = `${JSON.stringify(schedule, null, 2)}\n`;
    if (out) writeFileSync(out, json);
    else process.stdout.write(json);
    const m = scheduleMetrics(instance, schedule);
    console.error(
      `tasks ${m.tasks}, visits ${m.visits} (joint ${m.jointVisits}), lower bound ${m.lowerBound} (scheduled tasks: ${m.lowerBoundScheduled}), ` +
        `unscheduled ${m.unscheduled}, inspector load max ${m.maxInspectorLoad} mean ${m.meanInspectorLoad.toFixed(2)}, ` +
        `repairs ${stats.repairRounds}, ${(ms / 1000).toFixed(2)} s`,
    );
    return 0;
  },
};
