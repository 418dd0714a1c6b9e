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
 * batch not drawn, already scheduled without --reason, …: the store's reason is printed).
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { FormatError, parseInstance } from "../../../solver/model.ts";
import type { Instance } from "../../../solver/model.ts";
import { optimizeExact } from "../../../solver/highs.ts";
import { scheduleMetrics } from "../../../solver/constraints.ts";
import { DatabaseUrlError } from "../../store/index.ts";
import { cliUser, openCliStore } from "../../store/repos/cliStore.ts";
import { RepoError } from "../../store/repos/db.ts";
import { scheduleBatch } from "../../store/repos/draws.ts";
import { getSchedule } from "../../store/repos/schedules.ts";

const USAGE = [
  "用法：ssj optimize <实例.json> [--out <排期.json>]                 （优化一份实例文件，不使用数据库）",
  "      ssj optimize --batch <批次号> [--reason <重新排期理由>] [--database-url <url>] [--token-file <文件>]   （以 SSJ_TOKEN 的用户身份为已抽取的批次排期）",
].join("\n");

export function readInstanceFile(path: string): Instance {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`无法读取 ${path}：${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path} 不是有效的 JSON：${(e as Error).message}`);
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
  summary: "联合检查排期（进一次门、查多项事）：把各部门对同一企业的检查合并为一次，安排到工作日",
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
        if (!out) throw new CliError(`--out 须给出文件\n${USAGE}`);
      } else if (a === "--batch") {
        const v = args[++i];
        const n = Number(v);
        if (!v || !Number.isInteger(n) || n < 1) throw new CliError(`--batch 须给出批次号（正整数）\n${USAGE}`);
        batch = n;
      } else if (a === "--reason") {
        reason = args[++i];
        if (!reason) throw new CliError(`--reason 须给出理由\n${USAGE}`);
      } else if (a === "--token-file") {
        tokenFile = args[++i];
        if (!tokenFile) throw new CliError(`--token-file 须给出文件\n${USAGE}`);
      }
      else if (a === "--database-url" || a.startsWith("--database-url=")) {
        databaseUrl = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
        if (!databaseUrl) throw new CliError(`--database-url 须给出连接串\n${USAGE}`);
      } else if (a === "--help" || a === "-h") {
        console.log(USAGE);
        return 0;
      } else if (a.startsWith("-")) throw new CliError(`未知选项 ${a}\n${USAGE}`);
      else if (input) throw new CliError(`一次只能优化一份实例文件\n${USAGE}`);
      else input = a;
    }
    if (batch !== undefined) {
      if (input) throw new CliError(`实例文件和 --batch 只能二选一\n${USAGE}`);
      if (out) throw new CliError(`--out 只用于实例文件；批次的排期是其抽取记录链中的一条记录（用 ssj draw manifest 导出）\n${USAGE}`);
      return optimizeStoredBatch(batch, { reason, databaseUrl, tokenFile });
    }
    if (reason || databaseUrl || tokenFile) throw new CliError(`--reason、--database-url 和 --token-file 只用于 --batch\n${USAGE}`);
    if (!input) throw new CliError(USAGE);
    const instance = readInstanceFile(input);
    const t0 = performance.now();
    const { schedule, stats, optimality } = await optimizeExact(instance);
    const ms = performance.now() - t0;
    const json = `${JSON.stringify(schedule, null, 2)}\n`;
    if (out) writeFileSync(out, json);
    else process.stdout.write(json);
    const m = scheduleMetrics(instance, schedule);
    console.error(
      `任务 ${m.tasks} 个，检查 ${m.visits} 次（联合检查 ${m.jointVisits} 次），下界 ${m.lowerBound}（已安排任务的下界 ${m.lowerBoundScheduled}），` +
        `未安排 ${m.unscheduled} 个，执法人员负担 最多 ${m.maxInspectorLoad} 平均 ${m.meanInspectorLoad.toFixed(2)}，` +
        `修复 ${stats.repairRounds} 轮，${(ms / 1000).toFixed(2)} 秒；` +
        (optimality.status === "optimal"
          ? `已证明最优（${stats.exact.components} 个分量：界 ${stats.exact.provenByBound}，精确求解 ${stats.exact.provenByMip}）`
          : `未证明最优：差距 未安排 ${optimality.unscheduledGap} 个、检查 ${optimality.visitsGap} 次（${stats.exact.unproven} 个分量达到求解上限）`),
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
