/**
 * 审管联动 (docs/approvals.md) in the console: the pushes waiting for 签收 with the button that signs
 * for them, the overdue list (未履职、慢履职), and the statistics per department and year. Every
 * figure comes from the loop's API as the signed-in user sees it (an officer: the own department's
 * pushes and steps; administrators and auditors: all).
 *
 *   GET  /console/approvals                          待签收推送 + 逾期事项（paged: ?offset=, ?overdueOffset=）
 *   POST /console/approvals/pushes/:id/acknowledge   签收 (officer of the receiving department)
 *   GET  /console/approvals/stats?year=YYYY          统计（督查考核）
 *   GET  /console/approvals/stats/2026.xlsx · .csv   the same statistics as a file (各部门含层级、按层级、入企检查、检查频次)
 */
import { ApiCallError, type ConsolePage, type PageContext } from "../framework.ts";
import { beijing, html, options, todayBeijing, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { ALL, OFFICER, actionButton, badge, pageOffset, pager, td } from "./shared.ts";
import { send } from "./exports.ts";
import { statsSheets, type NamedLoopStats } from "../../../src/approvals/statsExport.ts";

const LIMIT = 50;

interface Step {
  dueOn: string | null;
  doneOn: string | null;
  status: string;
  statusLabel: string;
}
interface Push {
  id: number;
  department: { id: number; code: string; name: string };
  routeLabel: string;
  pushedAt: string;
  acknowledgedAt: string | null;
  step: Step;
  decision: { decisionNo: string; bureau: { name: string }; entity: { code: string; name: string }; approvalName: string; kindLabel: string; decisionLabel: string; decidedOn: string };
}
interface OverdueItem {
  kindLabel: string;
  subject: string;
  departmentId: number;
  dueOn: string | null;
  doneOn: string | null;
  status: string;
  statusLabel: string;
  decisionNo: string | null;
  entityCode: string;
}
interface Counts {
  total: number;
  pending: number;
  onTime: number;
  late: number;
  overdue: number;
  noDeadline: number;
}
interface LoopStats {
  year: number;
  today: string;
  departments: {
    departmentId: number;
    department: { code: string; name: string; kind: string };
    pushes: Counts;
    verifications: Counts & { outcomes: Record<string, number> };
    disputesSent: { total: number };
    reviews: Counts;
    alerts: Counts;
  }[];
  visits: { total: number; joint: number; jointShare: string; duplicatesAvoided: number; entitiesOverCap: number | null };
}

const STEP_BADGE: Record<string, string> = { pending: "b-info", onTime: "b-ok", late: "b-warn", overdue: "b-bad", noDeadline: "b-warn" };
const stepBadge = (s: { status: string; statusLabel: string }): Html => badge(s.statusLabel, STEP_BADGE[s.status] ?? "b-info");

function pushTable(ctx: PageContext, pushes: Push[]): Html {
  if (pushes.length === 0) return html`<p>没有待签收的审批结果推送。</p>`;
  const rows = pushes.map((p) => {
    const mine = ctx.role === "officer" && ctx.departmentId === p.department.id;
    const action = mine ? actionButton(`${CONSOLE}/approvals/pushes/${p.id}/acknowledge`, "签收", ctx.session.csrfToken) : "";
    return html`<tr>${td("决定文书号", html`${p.decision.decisionNo}<br><span class="small">${p.decision.bureau.name}</span>`)}${td("市场主体", html`${p.decision.entity.name}<br><code class="small">${p.decision.entity.code}</code>`)}${td(
      "审批事项",
      html`${p.decision.approvalName}（${p.decision.kindLabel}，${p.decision.decisionLabel}，${p.decision.decidedOn}）`,
    )}${td("接收部门", html`${p.department.name}<br><span class="small">${p.routeLabel}</span>`)}${td("推送时间", beijing(p.pushedAt))}${td("签收期限", p.step.dueOn ?? "期限未定")}${td("状态", stepBadge(p.step))}${td("操作", action)}</tr>`;
  });
  return html`<table class="cards-sm"><thead><tr><th scope="col">决定文书号</th><th scope="col">市场主体</th><th scope="col">审批事项</th><th scope="col">接收部门</th><th scope="col">推送时间</th><th scope="col">签收期限</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function overdueTable(items: OverdueItem[], names: Map<number, string>): Html {
  if (items.length === 0) return html`<p>没有逾期或期限未定的环节。</p>`;
  return html`<table class="cards-sm"><thead><tr><th scope="col">环节</th><th scope="col">事项</th><th scope="col">应办部门</th><th scope="col">期限</th><th scope="col">办结</th><th scope="col">状态</th></tr></thead><tbody>${items.map(
    (i) =>
      html`<tr>${td("环节", i.kindLabel)}${td("事项", html`${i.subject}${i.decisionNo ? html`<br><span class="small">${i.decisionNo}</span>` : ""}<br><code class="small">${i.entityCode}</code>`)}${td("应办部门", names.get(i.departmentId) ?? i.departmentId)}${td(
        "期限",
        i.dueOn ?? "期限未定",
      )}${td("办结", i.doneOn ?? "—")}${td("状态", stepBadge(i))}</tr>`,
  )}</tbody></table>`;
}

async function loopPage(ctx: PageContext, error?: ApiCallError | null): Promise<ReturnType<PageContext["render"]>> {
  const offset = pageOffset(ctx.query);
  const overdueOffset = pageOffset({ offset: ctx.query.overdueOffset ?? "0" });
  const [pushes, overdue, depts] = await Promise.all([
    ctx.api.get<{ total: number; items: Push[] }>("/pushes", { pending: "true", limit: LIMIT, offset }),
    ctx.api.get<{ total: number; items: OverdueItem[] }>("/approvals/overdue", { limit: LIMIT, offset: overdueOffset }),
    ctx.api.get<{ id: number; name: string }[]>("/departments"),
  ]);
  const names = new Map(depts.map((d) => [d.id, d.name]));
  const who = ctx.role === "officer" ? "推送给本部门的（审批部门：本部门发出的）" : "全部部门的";
  return ctx.render(
    html`<h1>审管联动</h1>
<p>行政审批部门作出的审批决定按职责边界清单推送给监管部门，监管部门须在期限内签收（期限按工作日和官方节假日表计算）。这里列出${who}待签收推送和逾期环节。<a href="${CONSOLE}/approvals/stats">查看统计（督查考核）</a></p>
${errorBox(error ?? null, {})}
<section aria-labelledby="push-title"><h2 id="push-title">待签收的审批结果推送（${pushes.total} 件）</h2>
${pushTable(ctx, pushes.items)}
${pager(`${CONSOLE}/approvals`, {}, pushes.total, offset, LIMIT)}</section>
<section aria-labelledby="overdue-title"><h2 id="overdue-title">逾期事项（未履职、慢履职，${overdue.total} 项）</h2>
<p class="hint">逾期未签收、未核查、未复核、未反馈的环节，逾期办结的环节，以及因缺少节假日数据而期限未定的环节。</p>
${overdueTable(overdue.items, names)}
${overdueNav(overdue.total, overdueOffset)}</section>`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

/** The overdue list's own paging (its offset travels as ?overdueOffset=, the pushes' as ?offset=). */
function overdueNav(total: number, offset: number): Html {
  const link = (o: number) => `${CONSOLE}/approvals?overdueOffset=${o}`;
  const to = Math.min(total, offset + LIMIT);
  return html`<nav class="pager" aria-label="逾期事项分页"><span>第 ${total === 0 ? 0 : offset + 1}–${to} 项，共 ${total} 项</span>
${offset > 0 ? html`<a href="${link(Math.max(0, offset - LIMIT))}" rel="prev">上一页</a>` : ""}${to < total ? html`<a href="${link(offset + LIMIT)}" rel="next">下一页</a>` : ""}</nav>`;
}

const ratio = (c: Counts): string => {
  const done = c.onTime + c.late;
  return done > 0 ? `${Math.round((100 * c.onTime) / done)}%` : "—";
};

async function statsPage(ctx: PageContext) {
  const thisYear = Number(todayBeijing().slice(0, 4));
  const asked = Number(ctx.query.year);
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : thisYear;
  const s = await ctx.api.get<LoopStats>("/approvals/stats", { year });
  const years = Array.from({ length: 5 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: `${y} 年` }));
  const counts = (c: Counts) => html`${c.total}（按时 ${c.onTime}，逾期办结 ${c.late}，逾期未办 ${c.overdue}，未到期 ${c.pending}${c.noDeadline ? html`，期限未定 ${c.noDeadline}` : ""}）`;
  const rows = s.departments.map(
    (d) =>
      html`<tr>${td("部门", html`${d.department.name}${d.department.kind === "approval" ? html`<br><span class="small">行政审批部门</span>` : ""}`)}${td("签收推送", counts(d.pushes))}${td("按时签收率", ratio(d.pushes), "num")}${td(
        "告知承诺核查",
        counts(d.verifications),
      )}${td("函告", d.disputesSent.total, "num")}${td("复核", counts(d.reviews))}${td("风险预警反馈", counts(d.alerts))}</tr>`,
  );
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/approvals">审管联动</a> › 统计</p>
<h1>审管联动统计（${s.year} 年）</h1>
<form method="get" action="${CONSOLE}/approvals/stats" class="filters"><div class="field"><label for="year">年度</label><select id="year" name="year">${options(years, year)}</select></div><button type="submit" class="secondary">查看</button></form>
<p>导出 ${s.year} 年统计（各部门及层级、按层级合计、入企检查、每户检查次数）：<a href="${CONSOLE}/approvals/stats/${s.year}.xlsx" download>Excel（.xlsx）</a> · <a href="${CONSOLE}/approvals/stats/${s.year}.csv" download>CSV</a></p>
<div class="cards">
<div class="card"><div class="n">${s.visits.total}</div><div class="k">入企检查次数</div></div>
<div class="card"><div class="n">${s.visits.joint}</div><div class="k">联合检查次数</div></div>
<div class="card"><div class="n">${s.visits.duplicatesAvoided}</div><div class="k">合并减少的入企次数</div></div>
${s.visits.entitiesOverCap !== null ? html`<div class="card"><div class="n">${s.visits.entitiesOverCap}</div><div class="k">超过年度检查上限的市场主体</div></div>` : ""}
</div>
${s.departments.length
  ? html`<table class="cards-sm"><caption>各部门环节办理情况（统计日 ${s.today}）</caption><thead><tr><th scope="col">部门</th><th scope="col">签收推送</th><th scope="col" class="num">按时签收率</th><th scope="col">告知承诺核查</th><th scope="col" class="num">函告</th><th scope="col">复核</th><th scope="col">风险预警反馈</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>该年度没有审管联动记录。</p>`}`,
    { wide: true },
  );
}

/** The statistics as a file, from the same API answer the page shows (exports.ts: XLSX or CSV). */
async function statsFile(ctx: PageContext) {
  const m = /^(\d{4})\.(xlsx|csv)$/.exec(ctx.params.file ?? "");
  if (!m) throw new ApiCallError(404, "NOT_FOUND", "导出文件应为 <年度>.xlsx 或 <年度>.csv");
  const s = await ctx.api.get<NamedLoopStats>("/approvals/stats", { year: m[1]! });
  return send(ctx, `审管联动统计-${s.year}`, m[2]!, statsSheets(s));
}

export const approvalPages: ConsolePage[] = [
  { path: `${CONSOLE}/approvals`, title: "审管联动", roles: ALL, nav: { group: "results", label: "审管联动", order: 50 }, uses: ["GET /pushes", "GET /approvals/overdue", "GET /departments"], handler: (ctx) => loopPage(ctx) },
  {
    path: `${CONSOLE}/approvals/pushes/:id/acknowledge`,
    method: "POST",
    title: "签收推送",
    roles: OFFICER,
    uses: ["POST /pushes/:id/acknowledge", "GET /pushes", "GET /approvals/overdue", "GET /departments"],
    handler: async (ctx) => {
      try {
        await ctx.api.post(`/pushes/${ctx.params.id}/acknowledge`);
        return ctx.redirect(`${CONSOLE}/approvals`, "已签收。需转送上级部门的已同时转送。");
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401) return loopPage(ctx, e);
        throw e;
      }
    },
  },
  { path: `${CONSOLE}/approvals/stats`, title: "审管联动统计", roles: ALL, nav: { group: "results", label: "审管联动统计", order: 51 }, uses: ["GET /approvals/stats"], handler: statsPage },
  { path: `${CONSOLE}/approvals/stats/:file`, title: "导出审管联动统计", roles: ALL, uses: ["GET /approvals/stats"], handler: statsFile },
];
