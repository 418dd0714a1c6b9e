/**
 * The loop's steps after a decision, in the console (docs/approvals.md, steps 3, 4, 6): each list
 * shows the deadline and standing of its step (逾期 marked), each record its form for the party
 * whose turn it is. The API decides who may act (a department outside the case: 403).
 *
 *   GET  /console/verifications[?open=1]        告知承诺核查 with deadlines
 *   GET  /console/verifications/:id             one, its outcome form (the verifying department), the feedback
 *   POST /console/verifications/:id/outcome     承诺属实 / 不属实 / 未履行承诺 + findings, check day
 *   GET  /console/disputes[?state=]             函告 → 复核 with the review deadline and the feedback
 *   GET  /console/disputes/:id                  one; the bureau's 复核 form, the department's 签收 form
 *   POST /console/disputes/:id/review           复核 outcome and note (the bureau)
 *   POST /console/disputes/:id/acknowledge      签收 of the outcome, follow-up items (the department)
 *   GET  /console/alerts[?open=1]               风险预警 with deadlines
 *   GET  /console/alerts/:id                    one and its feedback form
 *   POST /console/alerts/:id/feedback           处置结果 (及时反馈处理结果)
 *   POST /console/alerts/import                 a file of the 互联网+监管 system's alerts (POST /risk-alerts/import)
 *   POST /console/loop-schedule                 the open 核查 / 预警 / 后续监管 tasks into visits (POST /approvals/schedule:
 *                                               joined to planned visits on the same entity, else new ones)
 */
import { ApiCallError, field, fields, type ConsolePage, type FormBody, type PageContext } from "../framework.ts";
import { beijing, html, options, raw, todayBeijing, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { ALL, OFFICER, WRITERS, csrf, pageOffset, pager, td, type Item } from "./shared.ts";
import { LIMIT, deadline, formError, forwardUpload, problemRows, stepBadge, submit, type AlertView, type DisputeView, type Paged, type VerificationView } from "./loopShared.ts";
import { ALERT_HANDLING_LABELS, REVIEW_OUTCOME_LABELS, VERIFICATION_OUTCOME_LABELS } from "../../../src/approvals/values.ts";

const labelled = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const yesFilter = (ctx: PageContext, name: string) => (ctx.query[name] === "1" ? "1" : "");
const filterForm = (action: string, name: string, label: string, value: string) =>
  html`<form method="get" action="${action}" class="filters" role="search"><div class="field"><label><input type="checkbox" name="${name}" value="1"${value ? raw(" checked") : ""}> ${label}</label></div><button type="submit" class="secondary">筛选</button></form>`;
const crumbs = (href: string, label: string, here: string) => html`<p class="small"><a href="${CONSOLE}/${href}">${label}</a> › ${here}</p>`;
const decisionCell = (d: VerificationView["decision"]) => html`<a href="${CONSOLE}/decisions/${d.id}">${d.decisionNo}</a><br><span class="small">${d.approvalName}</span>`;
const entityCell = (e: { name: string; code: string }) => html`${e.name}<br><code class="small">${e.code}</code>`;
const mineOf = (ctx: PageContext, departmentId: number) => ctx.role === "officer" && ctx.departmentId === departmentId;

// ── 告知承诺核查 ─────────────────────────────────────────────────────────────────────────────

interface Scheduled {
  runId: number | null;
  tasks: number;
  joined: number;
  created: number;
  unscheduled: { taskId: number; taskNo: string; reason: string }[];
}

/** 进一次门、查多项事: the loop's open directed tasks into the schedule (officers: their own department's). */
function scheduleForm(ctx: PageContext, f: FormBody = {}, error: ApiCallError | null = null): Html {
  if (ctx.role === "auditor") return html``;
  return html`<section aria-labelledby="sched-title"><h2 id="sched-title">并入检查排期（进一次门、查多项事）</h2>
<p>把${ctx.role === "officer" ? "本部门" : "各部门"}未完成的告知承诺核查、风险预警和复核后续监管任务排入检查：能并入同一市场主体已排期检查的并入（日期和人员不变），其余新排。</p>
${errorBox(formError(error), { from: "开始日期", to: "结束日期", departmentId: "部门" })}
<form method="post" action="${CONSOLE}/loop-schedule" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="row"><div class="field"><label for="from">开始日期</label><input id="from" name="from" type="date" required value="${field(f, "from")}" data-message="请填写开始日期"></div>
<div class="field"><label for="to">结束日期</label><input id="to" name="to" type="date" required value="${field(f, "to")}" data-message="请填写结束日期"></div></div>
<div class="actions"><button type="submit">排期</button><span class="hint">排期记录（输入摘要即种子）保存，不能重抽。</span></div></form></section>`;
}

async function scheduleResult(ctx: PageContext, r: Scheduled) {
  return ctx.render(
    html`${crumbs("verifications", "告知承诺核查", "并入检查排期")}
<h1>并入检查排期</h1>
<div class="cards"><div class="card"><div class="n">${r.tasks}</div><div class="k">参与排期的任务</div></div><div class="card"><div class="n">${r.joined}</div><div class="k">并入已排期的检查</div></div><div class="card"><div class="n">${r.created}</div><div class="k">新排的检查</div></div><div class="card"><div class="n">${r.unscheduled.length}</div><div class="k">未能排期</div></div></div>
${r.unscheduled.length
  ? html`<table class="cards-sm"><caption>未能排期的任务</caption><thead><tr><th scope="col">任务</th><th scope="col">原因</th></tr></thead><tbody>${r.unscheduled.map((u) => html`<tr>${td("任务", html`<a href="${CONSOLE}/tasks/${u.taskId}">${u.taskNo}</a>`)}${td("原因", u.reason)}</tr>`)}</tbody></table>`
  : ""}
<p><a href="${CONSOLE}/tasks">检查任务</a> · <a href="${CONSOLE}/verifications">告知承诺核查</a></p>`,
  );
}

async function verificationList(ctx: PageContext, f: FormBody = {}, error: ApiCallError | null = null) {
  const open = yesFilter(ctx, "open");
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<Paged<VerificationView>>("/verifications", { open: open ? "true" : undefined, limit: LIMIT, offset });
  const rows = page.items.map(
    (v) =>
      html`<tr>${td("核查", html`<a href="${CONSOLE}/verifications/${v.id}">核查 ${v.id}</a><br><span class="small">${v.task.taskNo}</span>`)}${td("审批决定", decisionCell(v.decision))}${td("市场主体", entityCell(v.decision.entity))}${td(
        "核查部门",
        v.department.name,
      )}${td("期限", deadline(v.step))}${td("状态", stepBadge(v.step))}${td("结果", v.outcomeLabel ? html`${v.outcomeLabel}<br><span class="small">已反馈 ${v.feedbackTo.name}</span>` : "待核查")}</tr>`,
  );
  return ctx.render(
    html`<h1>告知承诺核查</h1>
<p>告知承诺的审批决定为监管部门（属地优先）生成核查任务（定向检查，与双随机任务合并入企），期限默认为决定之日起两个月；核查结果推送同级行政审批部门。${ctx.role === "officer" ? "这里列出本部门的核查，或本审批部门决定的核查。" : ""}</p>
${filterForm(`${CONSOLE}/verifications`, "open", "只看未录入结果的", open)}
${page.items.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">核查</th><th scope="col">审批决定</th><th scope="col">市场主体</th><th scope="col">核查部门</th><th scope="col">期限</th><th scope="col">状态</th><th scope="col">结果</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有符合条件的核查。</p>`}
${pager(`${CONSOLE}/verifications`, open ? { open } : {}, page.total, offset, LIMIT)}
${scheduleForm(ctx, f, error)}`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

function outcomeForm(ctx: PageContext, v: VerificationView, f: FormBody, error: ApiCallError | null): Html {
  const chosen = field(f, "outcome");
  return html`<section aria-labelledby="outcome-title"><h2 id="outcome-title">录入核查结果</h2>
${errorBox(formError(error), { outcome: "核查结果", findings: "核查发现", checkedOn: "核查日期" })}
<form method="post" action="${CONSOLE}/verifications/${v.id}/outcome" class="form" data-busy data-confirm="核查结果录入后不能更改，并即推送 ${v.feedbackTo.name}。确定录入？">${csrf(ctx.session.csrfToken)}
<fieldset><legend>核查结果</legend><div class="checks">${labelled(VERIFICATION_OUTCOME_LABELS).map(
    (o) => html`<label><input type="radio" name="outcome" value="${o.value}" required${chosen === o.value ? raw(" checked") : ""}> ${o.label}</label>`,
  )}</div></fieldset>
<div class="field"><label for="findings">核查发现（承诺不属实、未履行承诺时必填；内部，不公示）</label><textarea id="findings" name="findings" maxlength="4000" rows="3">${field(f, "findings")}</textarea></div>
<div class="field"><label for="checkedOn">核查日期</label><input id="checkedOn" name="checkedOn" type="date" required min="${v.decision.decidedOn}" max="${todayBeijing()}" value="${field(f, "checkedOn")}" data-message="核查日期不早于决定日期、不晚于今天" aria-describedby="co-h"><small id="co-h">不早于决定日期（${v.decision.decidedOn}），不晚于今天</small></div>
<div class="actions"><button type="submit">录入并反馈审批部门</button></div></form></section>`;
}

async function verificationPage(ctx: PageContext, f: FormBody = {}, error: ApiCallError | null = null) {
  const v = await ctx.api.get<VerificationView>(`/verifications/${ctx.params.id}`);
  const mine = mineOf(ctx, v.department.id);
  const broken = v.outcome === "false" || v.outcome === "unfulfilled";
  return ctx.render(
    html`${crumbs("verifications", "告知承诺核查", `核查 ${v.id}`)}
<h1>告知承诺核查 ${v.id}</h1>
<dl class="kv"><dt>审批决定</dt><dd>${decisionCell(v.decision)}（${v.decision.bureau.name}，${v.decision.decidedOn}）</dd><dt>市场主体</dt><dd>${v.decision.entity.name}（${v.decision.entity.code}）</dd>
${v.decision.commitment ? html`<dt>承诺内容（内部）</dt><dd>${v.decision.commitment}</dd>` : ""}
<dt>核查部门</dt><dd>${v.department.name}</dd><dt>核查任务</dt><dd><a href="${CONSOLE}/tasks/${v.task.id}">${v.task.taskNo}</a>（${v.task.windowStart} 至 ${v.task.windowEnd}）</dd>
<dt>期限</dt><dd>${deadline(v.step)}${v.nominalDueOn !== v.step.dueOn ? html`<span class="small">（按月计算为 ${v.nominalDueOn}，遇节假日顺延）</span>` : ""} ${stepBadge(v.step)}</dd>
${v.outcome ? html`<dt>核查结果</dt><dd>${v.outcomeLabel}（${beijing(v.recordedAt)} 录入）</dd>${v.findings ? html`<dt>核查发现（内部）</dt><dd>${v.findings}</dd>` : ""}<dt>反馈</dt><dd>已推送 ${v.feedbackTo.name}</dd>` : html`<dt>反馈</dt><dd>录入结果后推送 ${v.feedbackTo.name}</dd>`}</dl>
${mine && !v.outcome ? outcomeForm(ctx, v, f, error) : errorBox(formError(error))}
${mine && broken ? html`<p><a href="${CONSOLE}/decisions/${v.decision.id}?verification=${v.id}#dispute">据此核查函告行政审批部门</a></p>` : ""}`,
    { status: error ? error.statusCode : 200 },
  );
}

// ── 函告 → 复核 ────────────────────────────────────────────────────────────────────────────────

const STATES = ["sent", "reviewed", "closed"];

async function disputeList(ctx: PageContext) {
  const state = STATES.includes(ctx.query.state ?? "") ? ctx.query.state! : "";
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<Paged<DisputeView>>("/disputes", { state, limit: LIMIT, offset });
  const rows = page.items.map(
    (d) =>
      html`<tr>${td("函告", html`<a href="${CONSOLE}/disputes/${d.id}">函告 ${d.id}</a>${d.letterNo ? html`<br><span class="small">${d.letterNo}</span>` : ""}`)}${td("审批决定", decisionCell(d.decision))}${td("发函部门", d.department.name)}${td("事由", d.kindLabel)}${td(
        "发函时间",
        beijing(d.sentAt),
      )}${td("复核期限", html`${deadline(d.review)}<br>${stepBadge(d.review)}`)}${td("复核结果", d.outcomeLabel ?? "待复核")}${td("签收反馈", d.feedbackAck ? html`${deadline(d.feedbackAck)}<br>${stepBadge(d.feedbackAck)}` : "—")}</tr>`,
  );
  return ctx.render(
    html`<h1>函告与复核</h1>
<p>监管部门对审批结果有异议，或发现虚假承诺、材料造假、违反承诺时函告行政审批部门；审批部门在期限内复核（审查卷宗和程序）并反馈，监管部门签收；撤销、责令整改、依法处置时生成后续监管任务。逾期的环节标有 ⚠。</p>
<form method="get" action="${CONSOLE}/disputes" class="filters" role="search"><div class="field"><label for="state">状态</label><select id="state" name="state">${options(
      [{ value: "", label: "全部" }, { value: "sent", label: "已函告待复核" }, { value: "reviewed", label: "已复核待签收" }, { value: "closed", label: "已签收" }],
      state,
    )}</select></div><button type="submit" class="secondary">筛选</button></form>
${page.items.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">函告</th><th scope="col">审批决定</th><th scope="col">发函部门</th><th scope="col">事由</th><th scope="col">发函时间</th><th scope="col">复核期限</th><th scope="col">复核结果</th><th scope="col">签收反馈</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有符合条件的函告。</p>`}
${pager(`${CONSOLE}/disputes`, state ? { state } : {}, page.total, offset, LIMIT)}`,
    { wide: true },
  );
}

function reviewForm(ctx: PageContext, d: DisputeView, f: FormBody, error: ApiCallError | null): Html {
  return html`<section aria-labelledby="review-title"><h2 id="review-title">复核并反馈</h2>
${errorBox(formError(error), { outcome: "复核结果", note: "复核意见" })}
<form method="post" action="${CONSOLE}/disputes/${d.id}/review" class="form" data-busy data-confirm="复核结果录入后不能更改，并即反馈 ${d.department.name}。确定？">${csrf(ctx.session.csrfToken)}
<div class="field"><label for="outcome">复核结果</label><select id="outcome" name="outcome" required data-message="请选择复核结果">${options([{ value: "", label: "（请选择）" }, ...labelled(REVIEW_OUTCOME_LABELS)], field(f, "outcome"))}</select></div>
<div class="field"><label for="note">复核意见（审查卷宗和程序的结论）</label><textarea id="note" name="note" required minlength="2" maxlength="8000" rows="4" data-message="请填写复核意见（至少 2 个字）">${field(f, "note")}</textarea></div>
<div class="actions"><button type="submit">录入复核结果</button><span class="hint">期限 ${deadline(d.review)}</span></div></form></section>`;
}

function ackForm(ctx: PageContext, d: DisputeView, items: Item[], f: FormBody, error: ApiCallError | null): Html {
  const chosen = new Set(fields(f, "itemIds"));
  const followUp = d.outcome !== "maintain";
  return html`<section aria-labelledby="ack-title"><h2 id="ack-title">签收复核结果</h2>
${errorBox(formError(error), { itemIds: "后续监管检查事项" })}
<form method="post" action="${CONSOLE}/disputes/${d.id}/acknowledge" class="form" data-busy>${csrf(ctx.session.csrfToken)}
${followUp && items.length
  ? html`<fieldset><legend>后续监管检查的本部门抽查事项（可选）</legend><div class="checks">${items.map((it) => html`<label><input type="checkbox" name="itemIds" value="${it.id}"${chosen.has(String(it.id)) ? raw(" checked") : ""}> ${it.name}</label>`)}</div></fieldset>`
  : ""}
<div class="actions"><button type="submit">签收</button><span class="hint">${followUp ? "签收后生成后续监管任务（定向检查）。" : "复核维持原决定：签收后本件办结。"}期限 ${d.feedbackAck ? deadline(d.feedbackAck) : ""}</span></div></form></section>`;
}

async function disputePage(ctx: PageContext, f: FormBody = {}, error: ApiCallError | null = null) {
  const d = await ctx.api.get<DisputeView>(`/disputes/${ctx.params.id}`);
  const bureauTurn = mineOf(ctx, d.decision.bureau.id) && d.state === "sent";
  const deptTurn = mineOf(ctx, d.department.id) && d.state === "reviewed";
  const items = deptTurn && d.outcome !== "maintain" ? await ctx.api.get<Item[]>(`/departments/${d.department.id}/items`) : [];
  return ctx.render(
    html`${crumbs("disputes", "函告与复核", `函告 ${d.id}`)}
<h1>函告 ${d.id}${d.letterNo ? `（${d.letterNo}）` : ""}</h1>
<dl class="kv"><dt>审批决定</dt><dd>${decisionCell(d.decision)}（${d.decision.bureau.name}）</dd><dt>市场主体</dt><dd>${d.decision.entity.name}（${d.decision.entity.code}）</dd>
<dt>发函部门</dt><dd>${d.department.name}，${beijing(d.sentAt)}</dd><dt>事由</dt><dd>${d.kindLabel}${d.verificationId ? html`（据 <a href="${CONSOLE}/verifications/${d.verificationId}">核查 ${d.verificationId}</a>）` : ""}</dd>
<dt>函告内容（内部）</dt><dd>${d.letter}</dd><dt>状态</dt><dd>${d.stateLabel}</dd>
<dt>复核</dt><dd>期限 ${deadline(d.review)} ${stepBadge(d.review)}${d.outcome ? html`<br>${d.outcomeLabel}（${beijing(d.reviewedAt)}）：${d.reviewNote}` : ""}</dd>
${d.feedbackAck ? html`<dt>签收复核结果</dt><dd>期限 ${deadline(d.feedbackAck)} ${stepBadge(d.feedbackAck)}</dd>` : ""}
${d.followUpTask ? html`<dt>后续监管任务</dt><dd><a href="${CONSOLE}/tasks/${d.followUpTask.id}">${d.followUpTask.taskNo}</a>（${d.followUpTask.windowStart} 至 ${d.followUpTask.windowEnd}）</dd>` : ""}</dl>
${bureauTurn ? reviewForm(ctx, d, f, error) : deptTurn ? ackForm(ctx, d, items, f, error) : errorBox(formError(error))}`,
    { status: error ? error.statusCode : 200 },
  );
}

// ── 风险预警 ──────────────────────────────────────────────────────────────────────────────────

function alertImport(ctx: PageContext, error: ApiCallError | null): Html {
  const box = html`${errorBox(formError(error), { file: "文件" })}${problemRows(error)}`;
  if (ctx.role === "auditor") return box;
  return html`<section aria-labelledby="import-title"><h2 id="import-title">导入风险预警（XLSX 或 CSV）</h2>${box}
<form method="post" action="${CONSOLE}/alerts/import" enctype="multipart/form-data" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="field"><label for="file">互联网+监管系统导出的预警文件</label><input id="file" name="file" type="file" required accept=".xlsx,.csv" aria-describedby="file-h" data-message="请选择预警文件（XLSX 或 CSV）"><small id="file-h">第 1 行为表头：预警编号*、来源系统*、统一社会信用代码*、负责部门*（编码或全称）、预警类型*、预警等级*、预警内容*、预警日期*。${ctx.role === "officer" ? "只能导入本部门负责的预警。" : ""}</small></div>
<div class="actions"><button type="submit">检查并导入</button><span class="hint">全部成功或全部不写入；同一预警编号重复导入会被识别。</span></div></form></section>`;
}

async function alertList(ctx: PageContext, error: ApiCallError | null = null) {
  const open = yesFilter(ctx, "open");
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<Paged<AlertView>>("/risk-alerts", { open: open ? "true" : undefined, limit: LIMIT, offset });
  const rows = page.items.map(
    (a) =>
      html`<tr>${td("预警", html`<a href="${CONSOLE}/alerts/${a.id}">${a.externalId}</a><br><span class="small">${a.source}</span>`)}${td("市场主体", entityCell(a.entity))}${td("负责部门", a.department.name)}${td(
        "类型 · 等级",
        `${a.category} · ${a.levelLabel}`,
      )}${td("预警日期", a.raisedOn)}${td("处置期限", deadline(a.step))}${td("状态", stepBadge(a.step))}${td("处置结果", a.handlingLabel ?? "待反馈")}</tr>`,
  );
  return ctx.render(
    html`<h1>风险预警</h1>
<p>互联网+监管系统推送的风险预警成为负责部门的定向检查任务，按预警等级的工作日期限处置并反馈处理结果。${ctx.role === "officer" ? "这里列出本部门的预警。" : ""}</p>
${filterForm(`${CONSOLE}/alerts`, "open", "只看未反馈的", open)}
${page.items.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">预警</th><th scope="col">市场主体</th><th scope="col">负责部门</th><th scope="col">类型 · 等级</th><th scope="col">预警日期</th><th scope="col">处置期限</th><th scope="col">状态</th><th scope="col">处置结果</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有符合条件的预警。</p>`}
${pager(`${CONSOLE}/alerts`, open ? { open } : {}, page.total, offset, LIMIT)}
${alertImport(ctx, error)}`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

function feedbackForm(ctx: PageContext, a: AlertView, f: FormBody, error: ApiCallError | null): Html {
  return html`<section aria-labelledby="fb-title"><h2 id="fb-title">反馈处置结果</h2>
${errorBox(formError(error), { handling: "处置结果", feedback: "处理情况", handledOn: "处置日期" })}
<form method="post" action="${CONSOLE}/alerts/${a.id}/feedback" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="field"><label for="handling">处置结果</label><select id="handling" name="handling" required data-message="请选择处置结果">${options([{ value: "", label: "（请选择）" }, ...labelled(ALERT_HANDLING_LABELS)], field(f, "handling"))}</select></div>
<div class="field"><label for="feedback">处理情况</label><textarea id="feedback" name="feedback" required minlength="2" maxlength="8000" rows="3" data-message="请填写处理情况（至少 2 个字）">${field(f, "feedback")}</textarea></div>
<div class="field"><label for="handledOn">处置日期（默认今天）</label><input id="handledOn" name="handledOn" type="date" min="${a.raisedOn}" max="${todayBeijing()}" value="${field(f, "handledOn")}" data-message="处置日期不早于预警日期、不晚于今天"></div>
<div class="actions"><button type="submit">反馈</button><span class="hint">期限 ${deadline(a.step)}</span></div></form></section>`;
}

async function alertPage(ctx: PageContext, f: FormBody = {}, error: ApiCallError | null = null) {
  const a = await ctx.api.get<AlertView>(`/risk-alerts/${ctx.params.id}`);
  return ctx.render(
    html`${crumbs("alerts", "风险预警", a.externalId)}
<h1>风险预警 ${a.externalId}</h1>
<dl class="kv"><dt>来源</dt><dd>${a.source}，${beijing(a.receivedAt)} 接收</dd><dt>市场主体</dt><dd>${a.entity.name}（${a.entity.code}）</dd><dt>负责部门</dt><dd>${a.department.name}</dd>
<dt>类型 · 等级</dt><dd>${a.category} · ${a.levelLabel}</dd><dt>预警内容（内部，不公示）</dt><dd>${a.detail}</dd><dt>预警日期</dt><dd>${a.raisedOn}</dd>
<dt>检查任务</dt><dd><a href="${CONSOLE}/tasks/${a.task.id}">${a.task.taskNo}</a></dd><dt>处置期限</dt><dd>${deadline(a.step)}（${a.workingDays} 个工作日） ${stepBadge(a.step)}</dd>
${a.handling ? html`<dt>处置结果</dt><dd>${a.handlingLabel}（${beijing(a.handledAt)}）：${a.feedback}</dd>` : ""}</dl>
${mineOf(ctx, a.department.id) && !a.handling ? feedbackForm(ctx, a, f, error) : errorBox(formError(error))}`,
    { status: error ? error.statusCode : 200 },
  );
}

const idList = (f: FormBody, name: string) => fields(f, name).map((s) => (/^\d{1,10}$/.test(s) ? Number(s) : s));
const V_USES = ["GET /verifications/:id"];
const D_USES = ["GET /disputes/:id", "GET /departments/:id/items"];
const A_USES = ["GET /risk-alerts/:id"];

export const loopStepPages: ConsolePage[] = [
  { path: `${CONSOLE}/verifications`, title: "告知承诺核查", roles: ALL, nav: { group: "results", label: "告知承诺核查", order: 55 }, uses: ["GET /verifications"], handler: (ctx) => verificationList(ctx) },
  {
    path: `${CONSOLE}/loop-schedule`,
    method: "POST",
    title: "并入检查排期",
    roles: WRITERS,
    uses: ["POST /approvals/schedule", "GET /verifications"],
    handler: (ctx) =>
      submit(
        ctx,
        async () => scheduleResult(ctx, await ctx.api.post<Scheduled>("/approvals/schedule", { from: field(ctx.form, "from"), to: field(ctx.form, "to") })),
        (e) => verificationList(ctx, ctx.form, e),
      ),
  },
  { path: `${CONSOLE}/verifications/:id`, title: "告知承诺核查", roles: ALL, uses: V_USES, handler: (ctx) => verificationPage(ctx) },
  {
    path: `${CONSOLE}/verifications/:id/outcome`,
    method: "POST",
    title: "录入核查结果",
    roles: OFFICER,
    uses: ["POST /verifications/:id/outcome", ...V_USES],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const f = ctx.form;
          const v = await ctx.api.post<VerificationView>(`/verifications/${ctx.params.id}/outcome`, { outcome: field(f, "outcome"), findings: field(f, "findings") || null, checkedOn: field(f, "checkedOn") });
          return ctx.redirect(`${CONSOLE}/verifications/${v.id}`, `核查结果“${v.outcomeLabel}”已录入，并已反馈 ${v.feedbackTo.name}。`);
        },
        (e) => verificationPage(ctx, ctx.form, e),
      ),
  },
  { path: `${CONSOLE}/disputes`, title: "函告与复核", roles: ALL, nav: { group: "results", label: "函告与复核", order: 56 }, uses: ["GET /disputes"], handler: disputeList },
  { path: `${CONSOLE}/disputes/:id`, title: "函告", roles: ALL, uses: D_USES, handler: (ctx) => disputePage(ctx) },
  {
    path: `${CONSOLE}/disputes/:id/review`,
    method: "POST",
    title: "复核函告",
    roles: OFFICER,
    uses: ["POST /disputes/:id/review", ...D_USES],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const d = await ctx.api.post<DisputeView>(`/disputes/${ctx.params.id}/review`, { outcome: field(ctx.form, "outcome"), note: field(ctx.form, "note") });
          return ctx.redirect(`${CONSOLE}/disputes/${d.id}`, `复核结果“${d.outcomeLabel}”已录入，并已反馈 ${d.department.name}。`);
        },
        (e) => disputePage(ctx, ctx.form, e),
      ),
  },
  {
    path: `${CONSOLE}/disputes/:id/acknowledge`,
    method: "POST",
    title: "签收复核结果",
    roles: OFFICER,
    uses: ["POST /disputes/:id/acknowledge", ...D_USES],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const itemIds = idList(ctx.form, "itemIds");
          const d = await ctx.api.post<DisputeView>(`/disputes/${ctx.params.id}/acknowledge`, itemIds.length ? { itemIds } : {});
          return ctx.redirect(`${CONSOLE}/disputes/${d.id}`, d.followUpTask ? `已签收复核结果，生成后续监管任务 ${d.followUpTask.taskNo}。` : "已签收复核结果。");
        },
        (e) => disputePage(ctx, ctx.form, e),
      ),
  },
  { path: `${CONSOLE}/alerts`, title: "风险预警", roles: ALL, nav: { group: "results", label: "风险预警", order: 57 }, uses: ["GET /risk-alerts"], handler: (ctx) => alertList(ctx) },
  {
    path: `${CONSOLE}/alerts/import`,
    method: "POST",
    title: "导入风险预警",
    roles: WRITERS,
    multipart: true,
    uses: ["POST /risk-alerts/import", "GET /risk-alerts"],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const r = await forwardUpload<{ received: number; unchanged: number }>(ctx, "/risk-alerts/import", "预警文件");
          return ctx.redirect(`${CONSOLE}/alerts`, `已接收预警 ${r.received} 条（重复 ${r.unchanged} 条），已生成定向检查任务。`);
        },
        (e) => alertList(ctx, e),
      ),
  },
  { path: `${CONSOLE}/alerts/:id`, title: "风险预警", roles: ALL, uses: A_USES, handler: (ctx) => alertPage(ctx) },
  {
    path: `${CONSOLE}/alerts/:id/feedback`,
    method: "POST",
    title: "反馈预警处置结果",
    roles: OFFICER,
    uses: ["POST /risk-alerts/:id/feedback", ...A_USES],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const f = ctx.form;
          const a = await ctx.api.post<AlertView>(`/risk-alerts/${ctx.params.id}/feedback`, { handling: field(f, "handling"), feedback: field(f, "feedback"), ...(field(f, "handledOn") ? { handledOn: field(f, "handledOn") } : {}) });
          return ctx.redirect(`${CONSOLE}/alerts/${a.id}`, `已反馈预警 ${a.externalId} 的处置结果：${a.handlingLabel}。`);
        },
        (e) => alertPage(ctx, ctx.form, e),
      ),
  },
];
