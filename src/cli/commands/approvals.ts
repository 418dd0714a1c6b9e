/**
 * `ssj approvals …`: the approval–supervision loop (审管联动) from the command line, acting as an
 * authenticated user (SSJ_TOKEN or --token-file) under exactly the API's rules.
 *
 *   ssj approvals list <file> --reason <理由> [--notice <告知号>] [--bureau <部门号>]   职责边界清单 new version (XLSX/CSV)
 *   ssj approvals import <file> [--bureau <部门号>]        审批决定 (XLSX/CSV): pushed, 告知承诺 verification tasks created
 *   ssj approvals alerts <file>                            风险预警 (XLSX/CSV)
 *   ssj approvals ack <推送号>                              签收 a push to your department
 *   ssj approvals schedule --from <日期> --to <日期> [--department <部门号>]   loop tasks into the visits
 *   ssj approvals overdue [--department <部门号>]          未履职、慢履职
 *   ssj approvals stats --year <年度>                      统计
 *
 * `--json` prints the answer as JSON. Exit 0 on success; 1 when the store refuses (the reason is
 * printed); 2 for usage or an unreadable file.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "../command.ts";
import { CliError } from "../cliError.ts";
import { runAsCliUser, subcommandArgs } from "../args.ts";
import { acknowledgePush } from "../../store/repos/approvals.ts";
import { importAlertsFile, importDecisionsFile, importDutyListFile } from "../../store/repos/approvalImports.ts";
import { loopStatistics, overdueList, scheduleLoopTasks } from "../../store/repos/loopSteps.ts";

const USAGE = [
  "用法：ssj approvals list <文件> --reason <理由> [--notice <告知号>] [--bureau <部门号>]   发布职责边界清单新版本",
  "      ssj approvals import <文件> [--bureau <部门号>]     导入审批决定并推送（告知承诺同时生成核查任务）",
  "      ssj approvals alerts <文件>                         导入风险预警",
  "      ssj approvals ack <推送号>                           签收推送给本部门的审批结果",
  "      ssj approvals schedule --from <日期> --to <日期> [--department <部门号>]   核查、预警、后续监管任务并入检查",
  "      ssj approvals overdue [--department <部门号>]       逾期事项（未履职、慢履职）",
  "      ssj approvals stats --year <年度>                   审管联动统计",
  "文件为 .xlsx 或 CSV（UTF-8/GB18030），第一行为表头（列名见 docs/approvals.md）。以用户身份执行：SSJ_TOKEN 或 --token-file。",
].join("\n");

const FLAGS = ["reason", "notice", "bureau", "from", "to", "department", "year", "json", "token-file"] as const;

function readFile(path: string | undefined): Uint8Array {
  if (!path) throw new CliError(`缺少文件\n${USAGE}`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError(`无法读取 ${path}：${(e as Error).message}`);
  }
}

export const approvalsCommand: Command = {
  name: "approvals",
  summary: "审管联动：职责边界清单、审批决定导入与推送、签收、风险预警、排期、逾期与统计",
  async run(args) {
    const cli = subcommandArgs(args, { flags: FLAGS, subs: ["list", "import", "alerts", "ack", "schedule", "overdue", "stats"], usage: USAGE });
    const { sub, flags, positionals } = cli;
    const json = flags.json === "true";
    const show = (v: unknown, text: () => void) => (json ? console.log(JSON.stringify(v, null, 2)) : text());
    return runAsCliUser("approvals", cli, async (store, user) => {
      const a = { userId: user.userId, role: user.role, departmentId: user.departmentId };
      switch (sub) {
        case "list": {
          const file = positionals[0];
          const l = await importDutyListFile(store, readFile(file), { bureauId: cli.int("bureau"), reason: cli.need("reason"), noticeId: cli.int("notice") ?? null, fileName: basename(file!) }, a);
          show(l, () => console.log(`已发布 ${l.bureau.name} 职责边界清单第 ${l.version} 版：${l.entries?.length ?? 0} 行，摘要 ${l.digest}`));
          break;
        }
        case "import": {
          const t0 = Date.now();
          const r = await importDecisionsFile(store, readFile(positionals[0]), { bureauId: cli.int("bureau") }, a);
          const { decisions: _omit, ...summary } = r;
          show(summary, () => {
            console.log(`已导入 ${r.rows} 行：新记录审批决定 ${r.recorded} 件，已记录过（内容相同）${r.unchanged} 件；推送 ${r.pushes} 次，生成告知承诺核查任务 ${r.verifications} 项（${((Date.now() - t0) / 1000).toFixed(1)} 秒）`);
            if (r.ignoredColumns.length) console.log(`未使用的列：${r.ignoredColumns.join("、")}`);
          });
          break;
        }
        case "alerts": {
          const r = await importAlertsFile(store, readFile(positionals[0]), a);
          show(r, () => console.log(`已接收风险预警 ${r.received} 条（重复推送 ${r.unchanged} 条），各生成一项定向检查任务`));
          break;
        }
        case "ack": {
          const p = await acknowledgePush(store, cli.id(0, "推送号"), a);
          show(p, () => console.log(`已签收推送 ${p.id}（决定 ${p.decision.decisionNo}，${p.decision.entity.name}）：${p.step.statusLabel}${p.step.dueOn ? `，期限 ${p.step.dueOn}` : ""}`));
          break;
        }
        case "schedule": {
          const r = await scheduleLoopTasks(store, { from: cli.need("from"), to: cli.need("to"), departmentId: cli.int("department") }, a);
          show(r, () => {
            console.log(`待排任务 ${r.tasks} 项：并入已排期的检查 ${r.joined} 项，新排检查 ${r.created} 次，未能排期 ${r.unscheduled.length} 项${r.runId ? `（优化记录 ${r.runId}）` : ""}`);
            for (const u of r.unscheduled.slice(0, 20)) console.log(`  ${u.taskNo}：${u.reason}`);
          });
          break;
        }
        case "overdue": {
          const r = await overdueList(store, { departmentId: cli.int("department"), limit: 1000, offset: 0 }, a);
          show(r, () => {
            console.log(`逾期及期限未定事项 ${r.total} 项${r.total > r.items.length ? `（显示前 ${r.items.length} 项）` : ""}`);
            for (const i of r.items) console.log(`  ${i.kindLabel}  ${i.subject}  部门 ${i.departmentId}  期限 ${i.dueOn ?? "未定"}  ${i.statusLabel}${i.doneOn ? `（${i.doneOn} 办结）` : ""}  ${i.decisionNo ?? ""} ${i.entityCode}`);
          });
          break;
        }
        case "stats": {
          const yearText = cli.need("year");
          if (!/^[0-9]{4}$/.test(yearText)) throw new CliError(`--year 须为四位年份\n${USAGE}`);
          const year = Number(yearText);
          const s = await loopStatistics(store, year);
          show(s, () => {
            console.log(`${year} 年审管联动统计（截至 ${s.today}）`);
            for (const d of s.departments) {
              const p = d.pushes, v = d.verifications, al = d.alerts;
              const parts = [];
              if (p.total) parts.push(`推送 ${p.total}：按时签收 ${p.onTime}、逾期签收 ${p.late}、逾期未签收 ${p.overdue}、未到期 ${p.pending}、期限未定 ${p.noDeadline}`);
              if (v.total) parts.push(`核查 ${v.total}：按时 ${v.onTime}、逾期办结 ${v.late}、逾期未核查 ${v.overdue}、未到期 ${v.pending}；属实 ${v.outcomes.true}、不属实 ${v.outcomes.false}、未履行 ${v.outcomes.unfulfilled}`);
              if (d.disputesSent.total) parts.push(`函告 ${d.disputesSent.total}`);
              if (d.reviews.total) parts.push(`复核 ${d.reviews.total}：按时 ${d.reviews.onTime}、逾期 ${d.reviews.late + d.reviews.overdue}`);
              if (al.total) parts.push(`预警 ${al.total}：按时反馈 ${al.onTime}、逾期 ${al.late + al.overdue}、未到期 ${al.pending}`);
              console.log(`  ${d.department.name}：${parts.join("；")}`);
            }
            const vi = s.visits;
            console.log(`  入企检查 ${vi.total} 次，其中联合检查 ${vi.joint} 次（${vi.jointShare}），合并减少入企 ${vi.duplicatesAvoided} 次` + (vi.entitiesOverCap !== null ? `，超过年度上限（${vi.maxChecksPerYear} 次）的市场主体 ${vi.entitiesOverCap} 户` : ""));
          });
          break;
        }
      }
    });
  },
};
