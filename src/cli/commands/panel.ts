/**
 * `ssj panel …`: the experts-and-staff draw of an approval (专家和人员抽取, docs/approvals.md) from
 * the command line, acting as an authenticated user (SSJ_TOKEN or --token-file) under exactly the
 * API's rules (src/store/repos/panels.ts).
 *
 *   ssj panel list | ssj panel show <panelId>
 *   ssj panel commit <panelId> --commit-reveal | --source <s> --reference <r> [--reserves n]
 *   ssj panel secret <drawId> --hash <hex> | ssj panel reveal <drawId> --secret-file <file>
 *   ssj panel external <drawId> --value <v> --published-at <iso>
 *   ssj panel run <drawId> | ssj panel void <drawId> --reason <text>
 *   ssj panel substitute <drawId> --seat <id> --out <证件号> --reason <text>
 *   ssj panel manifest <drawId> [--public] [--out <file>]            for `ssj verify`
 *
 * `ssj verify` recognises panel manifests (printPanelOutcome below). Exit 0 on success; 1 when the
 * store refuses; 2 for usage.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { runAsCliUser, subcommandArgs, type CliUser, type SubcommandArgs } from "../args.ts";
import type { Store } from "../../store/index.ts";
import {
  commitPanelDraw,
  enterPanelExternal,
  getPanel,
  listPanels,
  panelManifestText,
  revealPanelSecret,
  runPanelDraw,
  submitPanelSecret,
  substitutePanel,
  voidPanelDraw,
  type PanelDrawView,
  type PanelView,
} from "../../store/repos/panels.ts";
import { verifyPanelManifest, type PanelManifest, type PanelVerifyOutcome } from "../../panels/index.ts";

const USAGE = [
  "用法：ssj panel list | ssj panel show <事由号>",
  "      ssj panel commit <事由号> (--commit-reveal | --source <来源> --reference <期号>) [--reserves <候补人数>]",
  "      ssj panel secret <抽取号> --hash <64位十六进制> | ssj panel reveal <抽取号> --secret-file <文件>",
  "      ssj panel external <抽取号> --value <数值> --published-at <公布时刻>",
  "      ssj panel run <抽取号> | ssj panel void <抽取号> --reason <理由>",
  "      ssj panel substitute <抽取号> --seat <席位> --out <证件号> --reason <理由>",
  "      ssj panel manifest <抽取号> [--public] [--out <文件>]",
  "以用户身份执行：环境变量 SSJ_TOKEN 或 --token-file <文件> 给出该用户的令牌。",
].join("\n");
const FLAGS = ["commit-reveal", "source", "reference", "reserves", "hash", "secret-file", "value", "published-at", "reason", "seat", "out", "public", "json", "token-file"] as const;



function printDraw(v: PanelDrawView): void {
  console.log(`  抽取 ${v.id}（第 ${v.attempt} 次）：${v.statusLabel}`);
  console.log(`    承诺值 ${v.commitment}（${v.frozenAt} 冻结并公布）`);
  for (const c of v.secretCommitments) console.log(`    ${c.department}：${c.hash}${c.revealed ? "（已公开）" : ""}`);
  if (v.seed) console.log(`    种子   ${v.seed}`);
  console.log(`    链头   ${v.head}（${v.records.length} 条记录）`);
  for (const s of v.seats ?? []) console.log(`    席位 ${s.seat}：${s.persons.join("、") || "（无）"}${s.shortfall > 0 ? `，缺 ${s.shortfall} 人` : ""}`);
  if (v.voidReason) console.log(`    已作废：${v.voidReason}（${v.voidedAt}）`);
}

function printPanel(p: PanelView): void {
  console.log(`事由 ${p.id}：${p.purposeLabel}「${p.name}」，办件 ${p.applicationNo}，${p.day}，${p.seats.length} 个席位`);
  p.draws.forEach(printDraw);
}

/** `ssj verify` on a panel manifest: prints what was proven; returns the exit code. */
export function printPanelOutcome(doc: unknown, opts: { expectedCommitment?: string; expectedHead?: string }): number {
  const o: PanelVerifyOutcome = verifyPanelManifest(doc as PanelManifest, opts);
  if (!o.ok) {
    console.log(`不一致：${o.path}：${o.message}（规则 ${o.rule}）`);
    return 1;
  }
  const s = o.summary;
  console.log(`一致：专家和人员抽取 ${s.panel} 第 ${s.attempt} 次（${o.kind === "full" ? "完整清单，审计核验" : "公开清单，公众核验"}）`);
  console.log(`  承诺值 ${s.commitment}`);
  if (s.seed) console.log(`  种子   ${s.seed}`);
  console.log(`  链头   ${s.head}（${s.records} 条记录；${s.seats} 个席位，抽中 ${s.drawn} 人）`);
  console.log("已证明：");
  for (const p of o.proven) console.log(`  ✓ ${p}`);
  if (o.notProven.length > 0) {
    console.log("公开清单不能证明、只有完整清单（由审计/纪检持有）才能证明：");
    for (const p of o.notProven) console.log(`  · ${p}`);
  }
  for (const w of o.warnings) console.log(`注意：${w}`);
  return 0;
}

async function runSub(sub: string, id: number, cli: SubcommandArgs, store: Store, user: CliUser): Promise<void> {
  const flags = cli.flags;
  const json = flags.json === "true";
  const out = (v: PanelDrawView | PanelView) => (json ? console.log(JSON.stringify(v, null, 2)) : "draws" in v ? printPanel(v) : printDraw(v));
  switch (sub) {
    case "list":
      for (const p of await listPanels(store, user)) out(p);
      return;
    case "show":
      return out(await getPanel(store, id, user));
    case "commit": {
      const seed = flags["commit-reveal"] === "true" ? { mode: "commitReveal" as const } : { mode: "external" as const, source: cli.need("source"), reference: cli.need("reference") };
      const reserves = flags.reserves ? Number(flags.reserves) : 2;
      if (!Number.isInteger(reserves) || reserves < 0 || reserves > 20) throw new CliError("--reserves 须为 0–20 的整数");
      return out(await commitPanelDraw(store, id, seed, user, reserves));
    }
    case "secret":
      return out(await submitPanelSecret(store, id, cli.need("hash"), user));
    case "reveal":
      return out(await revealPanelSecret(store, id, readFileSync(cli.need("secret-file"), "utf8").trim(), user));
    case "external":
      return out(await enterPanelExternal(store, id, cli.need("value"), new Date(cli.need("published-at")).toISOString(), user));
    case "run":
      return out(await runPanelDraw(store, id, user));
    case "void":
      return out(await voidPanelDraw(store, id, cli.need("reason"), user));
    case "substitute": {
      const r = await substitutePanel(store, id, { seat: cli.need("seat"), out: cli.need("out"), reason: cli.need("reason") }, user);
      console.log(r.in ? `递补：${r.in}（第 ${r.seq} 条记录，链头 ${r.head}）` : `席位已无可递补人员（第 ${r.seq} 条记录，链头 ${r.head}）`);
      return;
    }
    case "manifest": {
      const text = await panelManifestText(store, id, flags.public === "true" ? "public" : "full", user);
      if (flags.out && flags.out !== "true") {
        writeFileSync(flags.out, text);
        console.log(`已写入 ${flags.out}（${text.length} 个字符）；核验：ssj verify ${flags.out}`);
      } else process.stdout.write(text + "\n");
      return;
    }
  }
}

export const panelCommand: Command = {
  name: "panel",
  summary: "行政审批的专家和人员抽取（现场踏勘、技术审查、听证论证、验收）：承诺、种子、抽取一次、递补、作废、清单",
  async run(args) {
    const subs = ["list", "show", "commit", "secret", "reveal", "external", "run", "void", "substitute", "manifest"];
    const cli = subcommandArgs(args, { flags: FLAGS, subs, usage: USAGE });
    const id = cli.sub === "list" ? 0 : cli.id(0, cli.sub === "show" || cli.sub === "commit" ? "事由号" : "抽取号");
    return runAsCliUser("panel", cli, (store, user) => runSub(cli.sub, id, cli, store, user));
  },
};
