/**
 * `ssj draw …`: a batch's draw ceremony from the command line, acting as an authenticated user
 * (SSJ_TOKEN, or --token-file) under exactly the API's rules (src/store/repos/draws.ts): the lead
 * department runs the ceremony, each department commits and reveals only its own secret, an
 * administrator can never hold a department's secret.
 *
 *   ssj draw commit <batchId> --commit-reveal | --source <s> --reference <r>   freeze, publish the commitment
 *   ssj draw secret <drawId> --hash <hex>                  commit-reveal: SHA-256 of your department's secret
 *   ssj draw reveal <drawId> --secret-file <file>          commit-reveal: your department's secret
 *   ssj draw external <drawId> --value <v> --published-at <iso>
 *   ssj draw run <drawId>                                  draw once (refused afterwards)
 *   ssj draw void <drawId> --reason <text>                 void with a public reason
 *   ssj draw show <drawId> | ssj draw list <batchId>
 *   ssj draw manifest <drawId> [--public] [--out <file>]   the manifest, for `ssj verify`
 *
 * Exit 0 on success; 1 when the store refuses (the reason is printed); 2 for usage.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { runAsCliUser, subcommandArgs } from "../args.ts";
import {
  commitDraw,
  enterExternalValue,
  getDraw,
  listBatchDraws,
  manifestText,
  revealSecret,
  runDraw,
  submitSecret,
  voidDraw,
  type DrawView,
} from "../../store/repos/draws.ts";

const USAGE = [
  "用法：ssj draw commit <批次号> (--commit-reveal | --source <来源> --reference <期号>)",
  "      ssj draw secret <抽取号> --hash <64位十六进制>        （本部门秘密值的 SHA-256，秘密值用 ssj secret new 生成）",
  "      ssj draw reveal <抽取号> --secret-file <文件>",
  "      ssj draw external <抽取号> --value <数值> --published-at <公布时刻>",
  "      ssj draw run <抽取号> | ssj draw void <抽取号> --reason <理由>",
  "      ssj draw show <抽取号> | ssj draw list <批次号> | ssj draw manifest <抽取号> [--public] [--out <文件>]",
  "以用户身份执行：环境变量 SSJ_TOKEN 或 --token-file <文件> 给出该用户的令牌。",
].join("\n");

const FLAGS = ["commit-reveal", "source", "reference", "hash", "secret-file", "value", "published-at", "reason", "out", "public", "json", "token-file"] as const;



function print(v: DrawView, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(v, null, 2));
    return;
  }
  console.log(`抽取 ${v.id}（批次 ${v.batchId}，第 ${v.attempt} 次）：${v.statusLabel}`);
  console.log(`  承诺值   ${v.commitment}（${v.frozenAt ?? v.createdAt} 冻结并公布）`);
  const plan = v.seedPlan as { mode?: string; departments?: string[]; source?: string; reference?: string } | null;
  if (plan) console.log(`  种子方案 ${plan.mode === "commitReveal" ? `各部门承诺—公开：${plan.departments?.join("、")}` : `外部公开随机数：${plan.source} ${plan.reference}`}`);
  for (const c of v.secretCommitments) console.log(`    ${c.department}：${c.hash}${c.revealed ? "（已公开）" : ""}`);
  if (v.seed) console.log(`  种子     ${v.seed}`);
  console.log(`  链头     ${v.head}（${v.records.length} 条记录）`);
  console.log(`  名录 ${v.summary.pool}，排除 ${v.summary.excluded}` + (v.summary.selected !== null ? `，抽中 ${v.summary.selected}` : "") + (v.summary.tasks !== null ? `，任务 ${v.summary.tasks}` : ""));
  if (v.voidReason) console.log(`  已作废：${v.voidReason}（${v.voidedAt}）`);
}

export const drawCommand: Command = {
  name: "draw",
  summary: "以用户身份执行批次的抽取仪式（承诺、种子、抽取一次、作废、清单），规则与 API 相同",
  async run(args) {
    const subs = ["commit", "secret", "reveal", "external", "run", "void", "show", "list", "manifest"];
    const cli = subcommandArgs(args, { flags: FLAGS, subs, usage: USAGE });
    const { sub, flags } = cli;
    const id = cli.id(0, sub === "commit" || sub === "list" ? "批次号" : "抽取号");
    const json = flags.json === "true";
    return runAsCliUser("draw", cli, async (store, user) => {
      switch (sub) {
        case "commit": {
          const seed = flags["commit-reveal"] === "true" ? { mode: "commitReveal" as const } : { mode: "external" as const, source: cli.need("source"), reference: cli.need("reference") };
          print(await commitDraw(store, id, seed, user), json);
          break;
        }
        case "secret":
          // Always the user's own department (none for an administrator: the store refuses that).
          print(await submitSecret(store, id, user.departmentId ?? 0, cli.need("hash"), user), json);
          break;
        case "reveal": {
          const secret = readFileSync(cli.need("secret-file"), "utf8").trim();
          print(await revealSecret(store, id, user.departmentId ?? 0, secret, user), json);
          break;
        }
        case "external":
          print(await enterExternalValue(store, id, cli.need("value"), new Date(cli.need("published-at")).toISOString(), user), json);
          break;
        case "run":
          print(await runDraw(store, id, user), json);
          break;
        case "void":
          print(await voidDraw(store, id, cli.need("reason"), user), json);
          break;
        case "show":
          print(await getDraw(store, id, user), json);
          break;
        case "list":
          for (const v of await listBatchDraws(store, id, user)) print(v, json);
          break;
        case "manifest": {
          const text = await manifestText(store, id, flags.public === "true" ? "public" : "full", user);
          if (flags.out && flags.out !== "true") {
            writeFileSync(flags.out, text);
            console.log(`已写入 ${flags.out}（${text.length} 个字符）；核验：ssj verify ${flags.out}`);
          } else process.stdout.write(text + "\n");
          break;
        }
      }
    });
  },
};
