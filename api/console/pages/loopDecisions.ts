/**
 * 审批决定 and their pushes in the console (docs/approvals.md, step 2), and the 函告 a supervising
 * department sends about one (step 4):
 *
 *   GET  /console/decisions[?year=&kind=&offset=]   decisions (officers: the bureau's own, or pushed to the department)
 *   GET  /console/decisions/new                     the form of an approval bureau's officer
 *   POST /console/decisions                         records it (POST /approval-decisions): pushed by the
 *                                                   list in force; a 告知承诺 also creates its verification
 *   GET  /console/decisions/:id                     one decision, its pushes and verifications (403 outside the case)
 *   POST /console/decisions/import                  a file of decisions (POST /approval-decisions/import; all or nothing)
 *   POST /console/disputes                          函告 by a department the decision was pushed to
 */
import { ApiCallError, field, type ConsolePage, type FormBody, type PageContext } from "../framework.ts";
import { beijing, html, options, todayBeijing, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { ALL, OFFICER, WRITERS, csrf, pageOffset, pager, td } from "./shared.ts";
import { LIMIT, deadline, formError, forwardUpload, idField, loopUser, oneOf, problemRows, stepBadge, submit, type DecisionView, type DisputeView, type Paged, type PushView } from "./loopShared.ts";
import { DECISION_KIND_LABELS, DECISION_OUTCOME_LABELS, DISPUTE_KIND_LABELS } from "../../../src/approvals/values.ts";

interface DecisionDetail extends DecisionView {
  pushes: PushView[];
  verifications: { id: number; departmentId: number; outcome: string | null }[];
}
interface Recorded {
  recorded: number;
  unchanged: number;
  pushes: number;
  verifications: number;
  decisions: { decisionNo: string; id: number; status: string; pushes: number[]; verifications: number[] }[];
}

const labelled = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const DECISION_LABELS = { decisionNo: "办件编号/决定文书号", entityCode: "统一社会信用代码", approvalCode: "审批事项", kind: "审批方式", decision: "审批结果", decidedOn: "决定日期", approvingBody: "实施机关", licenceNo: "许可证号", commitment: "承诺内容", decisions: "审批决定" };
const DISPUTE_LABELS = { kind: "函告事由", letterNo: "函号", letter: "函告内容", verificationId: "据以函告的核查", decisionId: "审批决定" };

function importForm(ctx: PageContext, me: Awaited<ReturnType<typeof loopUser>>, v: FormBody, error: ApiCallError | null): Html {
  const box = html`${errorBox(formError(error), { ...DECISION_LABELS, file: "文件", bureauId: "行政审批部门" })}${problemRows(error)}`;
  if (!me.bureau && ctx.role !== "admin") return box;
  const bureaus = me.departments.filter((d) => d.kind === "approval" && d.active);
  return html`<section aria-labelledby="import-title"><h2 id="import-title">导入审批决定（XLSX 或 CSV）</h2>${box}
<form method="post" action="${CONSOLE}/decisions/import" enctype="multipart/form-data" class="form" data-busy>${csrf(ctx.session.csrfToken)}
${ctx.role === "admin" ? html`<div class="field"><label for="bureauId">行政审批部门</label><select id="bureauId" name="bureauId" required data-message="请选择行政审批部门">${options([{ value: "", label: "（请选择）" }, ...bureaus.map((b) => ({ value: b.id, label: b.name }))], field(v, "bureauId"))}</select></div>` : ""}
<div class="field"><label for="file">文件</label><input id="file" name="file" type="file" required accept=".xlsx,.csv" aria-describedby="file-h" data-message="请选择审批决定文件（XLSX 或 CSV）"><small id="file-h">第 1 行为表头：办件编号*、统一社会信用代码*、审批事项编码*、审批方式*、审批结果*、决定日期*、实施机关、许可证号、承诺内容。</small></div>
<div class="actions"><button type="submit">检查并导入</button><span class="hint">全部成功或全部不写入：有问题时写明行号，不导入任何一行。</span></div></form></section>`;
}

async function decisionList(ctx: PageContext, v: FormBody = {}, error: ApiCallError | null = null) {
  const me = await loopUser(ctx);
  const year = /^\d{4}$/.test(ctx.query.year ?? "") ? ctx.query.year! : "";
  const kind = oneOf(ctx.query.kind, Object.keys(DECISION_KIND_LABELS));
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<Paged<DecisionView>>("/approval-decisions", { year, kind, limit: LIMIT, offset });
  const thisYear = Number(todayBeijing().slice(0, 4));
  const years = [{ value: "", label: "全部" }, ...Array.from({ length: 5 }, (_, i) => ({ value: String(thisYear - i), label: `${thisYear - i} 年` }))];
  const rows = page.items.map(
    (d) =>
      html`<tr>${td("决定文书号", html`<a href="${CONSOLE}/decisions/${d.id}">${d.decisionNo}</a>`)}${td("行政审批部门", d.bureau.name)}${td("市场主体", html`${d.entity.name}<br><code class="small">${d.entity.code}</code>`)}${td(
        "审批事项",
        d.approvalName,
      )}${td("审批方式", d.kindLabel)}${td("审批结果", d.decisionLabel)}${td("决定日期", d.decidedOn)}</tr>`,
  );
  const kept = Object.fromEntries(Object.entries({ year, kind }).filter(([, v]) => v !== ""));
  return ctx.render(
    html`<h1>审批决定与推送</h1>
<p>行政审批部门记录的审批决定（其他系统经 API 推送、文件导入或在此录入），按现行职责边界清单推送给监管部门；告知承诺的决定同时生成核查任务。${ctx.role === "officer" ? "这里列出本审批部门作出的、或推送给本部门的决定。" : ""}</p>
${me.bureau ? html`<p class="actions"><a class="button" href="${CONSOLE}/decisions/new">录入审批决定</a></p>` : ""}
<form method="get" action="${CONSOLE}/decisions" class="filters" role="search">
<div class="field"><label for="year">决定年度</label><select id="year" name="year">${options(years, year)}</select></div>
<div class="field"><label for="kind">审批方式</label><select id="kind" name="kind">${options([{ value: "", label: "全部" }, ...labelled(DECISION_KIND_LABELS)], kind)}</select></div>
<button type="submit" class="secondary">筛选</button></form>
${page.items.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">决定文书号</th><th scope="col">行政审批部门</th><th scope="col">市场主体</th><th scope="col">审批事项</th><th scope="col">审批方式</th><th scope="col">审批结果</th><th scope="col">决定日期</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有符合条件的审批决定。</p>`}
${pager(`${CONSOLE}/decisions`, kept, page.total, offset, LIMIT)}
${importForm(ctx, me, v, error)}`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

interface ListEntry {
  approvalCode: string;
  approvalName: string;
}

/** The approval items of the bureau's list in force (the only ones a decision may name). */
async function approvalItems(ctx: PageContext, bureauId: number): Promise<{ value: string; label: string }[]> {
  const lists = await ctx.api.get<{ id: number }[]>("/duty-lists", { bureau: bureauId, current: "true" });
  if (lists.length === 0) return [];
  const l = await ctx.api.get<{ entries: ListEntry[] }>(`/duty-lists/${lists[0]!.id}`);
  const seen = new Map<string, string>();
  for (const e of l.entries) if (!seen.has(e.approvalCode)) seen.set(e.approvalCode, e.approvalName);
  return [...seen].map(([value, name]) => ({ value, label: `${name}（${value}）` }));
}

async function newDecisionPage(ctx: PageContext, v: FormBody = {}, error: ApiCallError | null = null) {
  const me = await loopUser(ctx);
  if (!me.bureau) throw new ApiCallError(403, "FORBIDDEN", "只有行政审批部门的人员可以录入审批决定");
  const items = await approvalItems(ctx, me.own!.id);
  const text = (name: string, label: string, o: { required?: boolean; max: number; help?: string; message?: string }) =>
    html`<div class="field"><label for="${name}">${label}</label><input id="${name}" name="${name}" maxlength="${o.max}"${o.required ? html` required` : ""}${o.message ? html` data-message="${o.message}"` : ""} value="${field(v, name)}"${o.help ? html` aria-describedby="${name}-h"` : ""}>${o.help ? html`<small id="${name}-h">${o.help}</small>` : ""}</div>`;
  const form = items.length
    ? html`${errorBox(formError(error), DECISION_LABELS)}
<form method="post" action="${CONSOLE}/decisions" class="form" data-busy>${csrf(ctx.session.csrfToken)}
${text("decisionNo", "办件编号/决定文书号", { required: true, max: 100, help: "本审批部门内唯一；同一编号内容相同的重复录入会被识别", message: "请填写办件编号或决定文书号（最多 100 个字符）" })}
${text("entityCode", "市场主体统一社会信用代码（或注册号）", { required: true, max: 30, help: "须在检查对象名录中", message: "请填写市场主体的统一社会信用代码或注册号（最多 30 个字符）" })}
<div class="field"><label for="approvalCode">审批事项（现行职责边界清单）</label><select id="approvalCode" name="approvalCode" required data-message="请选择审批事项">${options([{ value: "", label: "（请选择）" }, ...items], field(v, "approvalCode"))}</select></div>
<div class="row"><div class="field"><label for="kind">审批方式</label><select id="kind" name="kind" required data-message="请选择审批方式">${options([{ value: "", label: "（请选择）" }, ...labelled(DECISION_KIND_LABELS)], field(v, "kind"))}</select></div>
<div class="field"><label for="decision">审批结果</label><select id="decision" name="decision" required data-message="请选择审批结果">${options([{ value: "", label: "（请选择）" }, ...labelled(DECISION_OUTCOME_LABELS)], field(v, "decision"))}</select></div>
<div class="field"><label for="decidedOn">决定日期</label><input id="decidedOn" name="decidedOn" type="date" required max="${todayBeijing()}" data-message="请填写决定日期（不晚于今天）" value="${field(v, "decidedOn")}"></div></div>
${text("approvingBody", "实施机关（下放、委托时填写）", { max: 200 })}
${text("licenceNo", "许可证号", { max: 100 })}
<div class="field"><label for="commitment">承诺内容（告知承诺；内部）</label><textarea id="commitment" name="commitment" maxlength="4000" rows="3">${field(v, "commitment")}</textarea></div>
<div class="actions"><button type="submit">记录并推送</button><span class="hint">按现行清单推送给同级监管部门（市级决定同时告知属地监管部门）；不予许可的决定只记录不推送；告知承诺的决定同时生成核查任务。</span></div></form>`
    : html`<p class="error-box" role="alert">本部门还没有现行的职责边界清单：请先在<a href="${CONSOLE}/duty-lists">职责边界清单</a>页发布，审批决定才能推送给监管部门。</p>`;
  return ctx.render(html`<p class="small"><a href="${CONSOLE}/decisions">审批决定与推送</a> › 录入</p><h1>录入审批决定（${me.own!.name}）</h1>${form}`, { status: error ? error.statusCode : 200 });
}

function pushTable(pushes: PushView[]): Html {
  if (pushes.length === 0) return html`<p>没有推送（不予许可的决定不推送）。</p>`;
  return html`<table class="cards-sm"><caption>推送（${pushes.length} 个部门）</caption><thead><tr><th scope="col">接收部门</th><th scope="col">方式</th><th scope="col">监管事项</th><th scope="col">推送时间</th><th scope="col">签收期限</th><th scope="col">签收</th><th scope="col">状态</th></tr></thead><tbody>${pushes.map(
    (p) =>
      html`<tr>${td("接收部门", p.department.name)}${td("方式", p.routeLabel)}${td("监管事项", p.supervision.map((s) => s.name).join("；"))}${td("推送时间", beijing(p.pushedAt))}${td("签收期限", deadline(p.step))}${td(
        "签收",
        p.acknowledgedAt ? beijing(p.acknowledgedAt) : "未签收",
      )}${td("状态", stepBadge(p.step))}</tr>`,
  )}</tbody></table>`;
}

function disputeForm(ctx: PageContext, d: DecisionDetail, v: FormBody, error: ApiCallError | null): Html {
  const own = d.verifications.filter((x) => x.departmentId === ctx.departmentId);
  return html`<section aria-labelledby="dispute-title" id="dispute"><h2 id="dispute-title">函告行政审批部门</h2>
<p>对审批结果有异议，或发现虚假承诺、材料造假、违反承诺时，书面函告 ${d.bureau.name}；审批部门复核卷宗和程序后反馈结果。</p>
${errorBox(formError(error), DISPUTE_LABELS)}
<form method="post" action="${CONSOLE}/disputes" class="form" data-busy>${csrf(ctx.session.csrfToken)}<input type="hidden" name="decisionId" value="${d.id}">
<div class="field"><label for="kind">函告事由</label><select id="kind" name="kind" required data-message="请选择函告事由">${options([{ value: "", label: "（请选择）" }, ...labelled(DISPUTE_KIND_LABELS)], field(v, "kind"))}</select></div>
<div class="field"><label for="letterNo">函号（可选）</label><input id="letterNo" name="letterNo" maxlength="100" value="${field(v, "letterNo")}"></div>
<div class="field"><label for="letter">函告内容（内部）</label><textarea id="letter" name="letter" required minlength="2" maxlength="8000" rows="4" data-message="请填写函告内容（至少 2 个字）">${field(v, "letter")}</textarea></div>
${own.length ? html`<div class="field"><label for="verificationId">据以函告的核查（可选）</label><select id="verificationId" name="verificationId">${options([{ value: "", label: "（无）" }, ...own.map((x) => ({ value: x.id, label: `核查 ${x.id}` }))], field(v, "verificationId") || ctx.query.verification)}</select></div>` : ""}
<div class="actions"><button type="submit">发出函告</button></div></form></section>`;
}

async function decisionPage(ctx: PageContext, v: FormBody = {}, error: ApiCallError | null = null) {
  const id = ctx.params.id ?? field(ctx.form, "decisionId");
  const d = await ctx.api.get<DecisionDetail>(`/approval-decisions/${encodeURIComponent(id)}`);
  const pushedToMe = ctx.role === "officer" && d.pushes.some((p) => p.department.id === ctx.departmentId) && ctx.departmentId !== d.bureau.id;
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/decisions">审批决定与推送</a> › ${d.decisionNo}</p>
<h1>审批决定 ${d.decisionNo}</h1>
<dl class="kv"><dt>行政审批部门</dt><dd>${d.bureau.name}（${d.levelLabel}）</dd><dt>市场主体</dt><dd>${d.entity.name}（${d.entity.code}）</dd>
<dt>审批事项</dt><dd>${d.approvalName}（${d.approvalCode}，<a href="${CONSOLE}/duty-lists/${d.listId}">清单版本</a>）</dd>
<dt>审批方式 · 结果</dt><dd>${d.kindLabel} · ${d.decisionLabel}</dd><dt>决定日期</dt><dd>${d.decidedOn}</dd>
${d.approvingBody ? html`<dt>实施机关</dt><dd>${d.approvingBody}</dd>` : ""}${d.licenceNo ? html`<dt>许可证号</dt><dd>${d.licenceNo}</dd>` : ""}
${d.commitment ? html`<dt>承诺内容（内部）</dt><dd>${d.commitment}</dd>` : ""}<dt>来源</dt><dd>${d.source === "api" ? "API 推送" : d.source === "import" ? "文件导入" : d.source}，${beijing(d.recordedAt)}</dd></dl>
${pushTable(d.pushes)}
${d.verifications.length ? html`<h2>告知承诺核查</h2><ul>${d.verifications.map((x) => html`<li><a href="${CONSOLE}/verifications/${x.id}">核查 ${x.id}</a>（${x.outcome ? "已录入结果" : "待核查"}）</li>`)}</ul>` : ""}
${pushedToMe ? disputeForm(ctx, d, v, error) : errorBox(formError(error))}`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

const opt = (f: FormBody, name: string): string | null => field(f, name) || null;

export const loopDecisionPages: ConsolePage[] = [
  { path: `${CONSOLE}/decisions`, title: "审批决定与推送", roles: ALL, nav: { group: "results", label: "审批决定与推送", order: 54 }, uses: ["GET /approval-decisions", "GET /departments"], handler: (ctx) => decisionList(ctx) },
  {
    path: `${CONSOLE}/decisions/import`,
    method: "POST",
    title: "导入审批决定",
    roles: WRITERS,
    multipart: true,
    uses: ["POST /approval-decisions/import", "GET /approval-decisions", "GET /departments"],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const b = field(ctx.form, "bureauId");
          const r = await forwardUpload<{ rows: number; recorded: number; unchanged: number; pushes: number; verifications: number; ignoredColumns: string[] }>(ctx, `/approval-decisions/import${b ? `?bureauId=${encodeURIComponent(b)}` : ""}`, "审批决定文件");
          const unused = r.ignoredColumns.length ? `；未使用的列：${r.ignoredColumns.join("、")}` : "";
          return ctx.redirect(`${CONSOLE}/decisions`, `已导入 ${r.rows} 行：新记录 ${r.recorded} 项（重复 ${r.unchanged} 项），推送 ${r.pushes} 次，生成告知承诺核查 ${r.verifications} 项${unused}。`);
        },
        (e) => decisionList(ctx, ctx.form, e),
      ),
  },
  { path: `${CONSOLE}/decisions/new`, title: "录入审批决定", roles: OFFICER, uses: ["GET /departments", "GET /duty-lists", "GET /duty-lists/:id"], handler: (ctx) => newDecisionPage(ctx) },
  {
    path: `${CONSOLE}/decisions`,
    method: "POST",
    title: "录入审批决定",
    roles: OFFICER,
    uses: ["POST /approval-decisions", "GET /departments", "GET /duty-lists", "GET /duty-lists/:id"],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const f = ctx.form;
          const decision = { decisionNo: field(f, "decisionNo"), entityCode: field(f, "entityCode"), approvalCode: field(f, "approvalCode"), kind: field(f, "kind"), decision: field(f, "decision"), decidedOn: field(f, "decidedOn"), approvingBody: opt(f, "approvingBody"), licenceNo: opt(f, "licenceNo"), commitment: opt(f, "commitment") };
          const r = await ctx.api.post<Recorded>("/approval-decisions", { decisions: [decision] });
          const one = r.decisions[0]!;
          const what = r.unchanged ? "该决定已记录过，内容相同，未重复推送" : `已记录并推送给 ${one.pushes.length} 个部门${one.verifications.length ? `，生成告知承诺核查 ${one.verifications.length} 项` : ""}`;
          return ctx.redirect(`${CONSOLE}/decisions/${one.id}`, `审批决定 ${one.decisionNo}：${what}。`);
        },
        (e) => newDecisionPage(ctx, ctx.form, e),
      ),
  },
  { path: `${CONSOLE}/decisions/:id`, title: "审批决定", roles: ALL, uses: ["GET /approval-decisions/:id"], handler: (ctx) => decisionPage(ctx) },
  {
    path: `${CONSOLE}/disputes`,
    method: "POST",
    title: "发出函告",
    roles: OFFICER,
    uses: ["POST /disputes", "GET /approval-decisions/:id"],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const f = ctx.form;
          const verification = field(f, "verificationId");
          const d = await ctx.api.post<DisputeView>("/disputes", { decisionId: idField(f, "decisionId"), kind: field(f, "kind"), letterNo: opt(f, "letterNo"), letter: field(f, "letter"), verificationId: verification ? idField(f, "verificationId") : null });
          return ctx.redirect(`${CONSOLE}/disputes/${d.id}`, `已向 ${d.decision.bureau.name} 发出函告，复核期限 ${deadline(d.review)}。`);
        },
        (e) => decisionPage(ctx, ctx.form, e),
      ),
  },
];
