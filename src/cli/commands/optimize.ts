/**
 * `ssj optimize`: the joint-check schedule (format: docs/optimizer.md).
 *
 *   ssj optimize <instance.json> [--out schedule.json]
 *       Optimizes an instance file; prints the schedule (or writes it to --out) and a metrics
 *       summary on stderr. Touches no database.
 *   ssj optimize --batch <id> [--reason <text>] [--database-url <url>] [--token-file <file>]
 *       Schedules a drawn batch on the database as the user of SSJ_TOKEN (same rules as
 *       `POST /batches/:id/optimize`): the optimizer places the teams the draw chose on days, and the
 *       schedule is appended to the draw's record chain. A re-plan needs --reason (public).
 *
 * Exit 0 on success; 2 for usage, unreadable input, or a refusal by the store (unknown batch,
 * batch not drawn, already scheduled without --replace, …: the store's reason is printed).
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { FormatError, parseInstance } from "../../../solver/model.ts";
import type { Instance } from "../../../solver/model.ts";
import { optimizeDetailed } from "../../../solver/optimize.ts";
import { scheduleMetrics } from "../../../solver/constraints.ts";
import { DatabaseUrlError } from "../../store/index.ts";
import { cliUser, openCliStore } from "../../store/repos/cliStore.ts";
import { RepoError } from "../../store/repos/db.ts";
import { scheduleBatch } from "../../store/repos/draws.ts";
import { getSchedule } from "../../store/repos/schedules.ts";

const USAGE = [
  "usage: ssj optimize <instance.json> [--out schedule.json]",
  "       ssj optimize --batch <id> [--reason <重新排期理由>] [--database-url <url>] [--token-file <file>]   (as the user of SSJ_TOKEN)",
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
    let reason: string | undefined;
    let tokenFile: string | undefined;
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
      } else if (a === "--reason") {
        reason = args[++i];
        if (!reason) throw new CliError(`--reason needs a text\n${USAGE}`);
      } else if (a === "--token-file") {
        tokenFile = args[++i];
        if (!tokenFile) throw new CliError(`--token-file needs a file\n${USAGE}`);
      }
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
      if (out) throw new CliError(`--out goes with an instance file; a batch's schedule is a record of its draw (ssj draw manifest)\n${USAGE}`);
      return optimizeStoredBatch(batch, { reason, databaseUrl, tokenFile });
    }
    if (reason || databaseUrl || tokenFile) throw new CliError(`--reason, --database-url and --token-file go with --batch\n${USAGE}`);
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

/** `--batch`: the store's scheduleBatch (the draw's teams placed on days), then a summary. */
async function optimizeStoredBatch(batchId: number, opts: { reason?: string; databaseUrl?: string; tokenFile?: string }): Promise<number> {
  let store: Awaited<ReturnType<typeof openCliStore>>;
  try {
    store = await openCliStore(opts.databaseUrl);
  } catch (e) {
    if (e instanceof DatabaseUrlError) throw new CliError(e.message);
    throw e;
  }
  try {
    let user;
    try {
      user = await cliUser(store, opts.tokenFile);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const t0 = performance.now();
    let out: Awaited<ReturnType<typeof scheduleBatch>>;
    try {
      out = await scheduleBatch(store, batchId, opts.reason ?? null, user);
    } catch (e) {
      if (e instanceof RepoError) {
        const hint = e.code === "ALREADY_SCHEDULED" ? "（重新排期请用 --reason 说明理由）" : "";
        throw new CliError(`批次 ${batchId}：${e.message} [${e.code}]${hint}`, e.statusCode === 404 ? 2 : 1);
      }
      throw e;
    }
    const ms = performance.now() - t0;
    const view = await getSchedule(store, batchId);
    console.log(`批次 ${batchId} 已排期：抽取 ${out.drawId} 的第 ${out.seq} 条记录，链头 ${out.head}（${(ms / 1000).toFixed(2)} 秒）`);
    console.log(`  联合检查 ${out.visits} 次，未能安排 ${out.unscheduled} 个检查；检查组均为抽取确定的人员`);
    const reasons = new Map<string, number>();
    for (const u of view.unscheduled) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
    for (const [reason, n] of [...reasons].sort((x, y) => y[1] - x[1])) console.log(`  未安排 ${n} 个：${reason}`);
    return 0;
  } finally {
    await store.close();
  }
}
