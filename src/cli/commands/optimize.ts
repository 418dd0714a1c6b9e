/**
 * `ssj optimize`: the joint-check schedule (format: docs/optimizer.md).
 *
 *   ssj optimize <instance.json> [--out schedule.json]
 *       Optimizes an instance file; prints the schedule (or writes it to --out) and a metrics
 *       summary on stderr. Touches no database.
 *   ssj optimize --batch <id> [--replace] [--out schedule.json] [--database-url <url>]
 *       Optimizes a drawn batch on the database (--database-url, else DATABASE_URL, else
 *       data/ssj.db) through the store's repo (src/store/repos/schedules.ts, as
 *       `POST /batches/:id/optimize`): instance from the batch, seed = the draw's public seed, the
 *       run and its joint checks with their teams stored in one audited transaction. Prints the
 *       run id and a summary (visits, joint visits, lower bound, unscheduled by reason); --out
 *       writes the stored schedule (canonical JSON, byte-exact). --replace cancels the batch's
 *       planned joint checks and re-plans.
 *
 * Exit 0 on success; 2 for usage, unreadable input, or a refusal by the store (unknown batch,
 * batch not drawn, already scheduled without --replace, …: the store's reason is printed).
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { FormatError, parseInstance } from "../../../solver/model.ts";
import type { Instance } from "../../../solver/model.ts";
import type { Schedule } from "../../../solver/model.ts";
import { optimizeDetailed } from "../../../solver/optimize.ts";
import { scheduleMetrics } from "../../../solver/constraints.ts";
import { DatabaseUrlError } from "../../store/index.ts";
import { cliActor, openCliStore } from "../../store/repos/cliStore.ts";
import { RepoError } from "../../store/repos/db.ts";
import { instanceFor, optimizeBatch } from "../../store/repos/schedules.ts";

const USAGE = [
  "usage: ssj optimize <instance.json> [--out schedule.json]",
  "       ssj optimize --batch <id> [--replace] [--out schedule.json] [--database-url <url>]",
].join("\n");

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
    let batch: number | undefined;
    let replace = false;
    let databaseUrl: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--out") {
        out = args[++i];
        if (!out) throw new CliError(`--out needs a file\n${USAGE}`);
      } else if (a === "--batch") {
        const v = args[++i];
        const n = Number(v);
        if (!v || !Number.isInteger(n) || n < 1) throw new CliError(`--batch needs a batch id (a positive whole number)\n${USAGE}`);
        batch = n;
      } else if (a === "--replace") replace = true;
      else if (a === "--database-url" || a.startsWith("--database-url=")) {
        databaseUrl = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
        if (!databaseUrl) throw new CliError(`--database-url needs a value\n${USAGE}`);
      } else if (a === "--help" || a === "-h") {
        console.log(USAGE);
        return 0;
      } else if (a.startsWith("-")) throw new CliError(`unknown option ${a}\n${USAGE}`);
      else if (input) throw new CliError(`one instance file only\n${USAGE}`);
      else input = a;
    }
    if (batch !== undefined) {
      if (input) throw new CliError(`give an instance file or --batch, not both\n${USAGE}`);
      return optimizeStoredBatch(batch, { replace, out, databaseUrl });
    }
    if (replace || databaseUrl) throw new CliError(`--replace and --database-url go with --batch\n${USAGE}`);
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

/** `--batch`: the store's optimizeBatch, then a summary of the stored run. */
async function optimizeStoredBatch(batchId: number, opts: { replace: boolean; out?: string; databaseUrl?: string }): Promise<number> {
  let store: Awaited<ReturnType<typeof openCliStore>>;
  try {
    store = await openCliStore(opts.databaseUrl);
  } catch (e) {
    if (e instanceof DatabaseUrlError) throw new CliError(e.message);
    throw e;
  }
  try {
    const t0 = performance.now();
    let view: Awaited<ReturnType<typeof optimizeBatch>>;
    try {
      view = await optimizeBatch(store, batchId, { replace: opts.replace }, cliActor());
    } catch (e) {
      if (e instanceof RepoError) {
        const hint = e.code === "ALREADY_SCHEDULED" ? " (re-plan with --replace)" : "";
        throw new CliError(`batch ${batchId}: ${e.message} [${e.code}]${hint}`);
      }
      throw e;
    }
    const ms = performance.now() - t0;
    // The run is reached through its joint checks; when nothing could be scheduled there are none,
    // and the run id is the one the repo wrote to the audit log.
    let runId = view.run?.id;
    if (runId === undefined) {
      const entry = await store.prisma.auditLog.findFirstOrThrow({ where: { action: "batch.optimize", subject: `batch:${batchId}` }, orderBy: { seq: "desc" } });
      runId = (JSON.parse(entry.payload) as { runId: number }).runId;
    }
    const run = await store.prisma.optimizationRun.findUniqueOrThrow({ where: { id: runId } });
    const schedule = JSON.parse(run.schedule) as Schedule;
    // The instance the run was made from (the batch's tasks are now "scheduled", still included).
    const { instance } = await instanceFor(store.prisma, store, batchId);
    const m = scheduleMetrics(instance, schedule);
    if (opts.out) writeFileSync(opts.out, run.schedule);
    console.log(`optimization run ${run.id} of batch ${batchId} (seed ${run.seed}, ${run.solverVersion}, instance sha256 ${run.instanceDigest})`);
    console.log(
      `  tasks ${m.tasks}, visits ${m.visits} (joint ${m.jointVisits}), lower bound ${m.lowerBound} (scheduled tasks: ${m.lowerBoundScheduled}), ` +
        `unscheduled ${m.unscheduled}, inspector load max ${m.maxInspectorLoad} mean ${m.meanInspectorLoad.toFixed(2)}, ${(ms / 1000).toFixed(2)} s`,
    );
    const reasons = new Map<string, number>();
    for (const u of schedule.unscheduled) reasons.set(u.reason || "(no reason given)", (reasons.get(u.reason || "(no reason given)") ?? 0) + 1);
    for (const [reason, n] of [...reasons].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) console.log(`  unscheduled ${n}: ${reason}`);
    if (opts.out) console.log(`wrote ${opts.out}: the stored schedule (run ${run.id})`);
    return 0;
  } finally {
    await store.close();
  }
}
