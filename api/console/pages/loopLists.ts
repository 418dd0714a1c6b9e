/**
 * 职责边界清单 (审批事项 → 监管事项 → 监管部门, per bureau and level, versioned) and 法律法规变化告知
 * in the console (docs/approvals.md, step 1):
 *
 *   GET  /console/duty-lists[?bureau=&offset=]            versions of every bureau's list (public data)
 *   GET  /console/duty-lists/:id[?offset=]                one version and its lines
 *   POST /console/duty-lists/import                       a new version from XLSX/CSV (POST /duty-lists/import;
 *                                                         a refused file: every problem row listed, nothing written)
 *   GET  /console/law-change-notices[?status=&offset=]    notices sent or received (officers: own department's)
 *   POST /console/law-change-notices                      a supervising department sends one to a bureau
 *   POST /console/law-change-notices/:id/resolve          the bureau answers: no revision needed
 *
 * A revision a notice causes is published by the import form with the notice chosen: the notice
 * becomes 已修订清单 and names that version.
 */
import { ApiCallError, field, type ConsolePage, type FormBody, type PageContext } from "../framework.ts";
import { beijing, html, options, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { ALL, OFFICER, WRITERS, badge, csrf, pageOffset, pager, td } from "./shared.ts";
import { formError, forwardUpload, idField, loopUser, oneOf, problemRows, slice, submit, type DeptRef, type LoopUser } from "./loopShared.ts";

interface DutyEntry {
  id: number;
  approvalCode: string;
  approvalName: string;
  approvalBasis: string | null;
  supervisionCode: string | null;
  supervisionName: string;
  boundary: string | null;
  department: DeptRef;
  itemId: number | null;
  forwardUp: boolean;
}
interface DutyList {
  id: number;
  bureau: DeptRef;
  version: number;
  status: string;
  statusLabel: string;
  reason: string;
  noticeId: number | null;
  source: string;
  digest: string;
  publishedAt: string;
  supersededAt: string | null;
  entries?: DutyEntry[];
}
interface Notice {
  id: number;
  department: DeptRef;
  bureau: DeptRef;
  law: string;
  summary: string;
  effectiveOn: string | null;
  sentAt: string;
  status: string;
  statusLabel: string;
  resolutionNote: string | null;
  resolvedAt: string | null;
  revision: { id: number; version: number } | null;
}
interface Imported {
  id: number;
  version: number;
  entries: number;
  rows: number;
  ignoredColumns: string[];
  bureau: DeptRef;
}

const NOTICE_STATUSES = ["open", "revised", "noChange"];
const NOTICE_BADGE: Record<string, string> = { open: "b-warn", revised: "b-ok", noChange: "b-info" };
const IMPORT_LABELS = { file: "文件", reason: "理由", noticeId: "法律法规变化告知", bureauId: "行政审批部门" };
const NOTICE_LABELS = { bureauId: "行政审批部门", law: "法律法规", summary: "变化内容", effectiveOn: "施行日期", note: "理由" };

function listTable(lists: DutyList[]): Html {
  if (lists.length === 0) return html`<p>还没有发布职责边界清单。</p>`;
  return html`<table class="cards-sm"><thead><tr><th scope="col">行政审批部门</th><th scope="col">版本</th><th scope="col">状态</th><th scope="col">理由</th><th scope="col">来源</th><th scope="col">发布时间</th></tr></thead><tbody>${lists.map(
    (l) =>
      html`<tr>${td("行政审批部门", l.bureau.name)}${td("版本", html`<a href="${CONSOLE}/duty-lists/${l.id}">第 ${l.version} 版</a>`)}${td("状态", badge(l.statusLabel, l.status === "current" ? "b-ok" : "b-info"))}${td(
        "理由",
        html`${l.reason}${l.noticeId ? html`<br><a class="small" href="${CONSOLE}/law-change-notices#notice-${l.noticeId}">因法律法规变化告知 ${l.noticeId} 修订</a>` : ""}`,
      )}${td("来源", l.source)}${td("发布时间", beijing(l.publishedAt))}</tr>`,
  )}</tbody></table>`;
}

function importForm(ctx: PageContext, me: LoopUser, notices: Notice[], v: FormBody, error: ApiCallError | null): Html {
  if (!me.bureau && ctx.role !== "admin") return html`${errorBox(formError(error), IMPORT_LABELS)}${problemRows(error)}`;
  const bureaus = me.departments.filter((d) => d.kind === "approval" && d.active);
  const open = notices.filter((n) => n.status === "open" && (ctx.role === "admin" || n.bureau.id === me.own?.id));
  return html`<section aria-labelledby="import-title"><h2 id="import-title">发布新版本（导入 XLSX 或 CSV）</h2>
${errorBox(formError(error), IMPORT_LABELS)}${problemRows(error)}
<form method="post" action="${CONSOLE}/duty-lists/import" enctype="multipart/form-data" class="form" data-busy>${csrf(ctx.session.csrfToken)}
${ctx.role === "admin" ? html`<div class="field"><label for="bureauId">行政审批部门</label><select id="bureauId" name="bureauId" required data-message="请选择行政审批部门">${options([{ value: "", label: "（请选择）" }, ...bureaus.map((b) => ({ value: b.id, label: b.name }))], field(v, "bureauId"))}</select></div>` : ""}
<div class="field"><label for="file">清单文件</label><input id="file" name="file" type="file" required accept=".xlsx,.csv" aria-describedby="file-h" data-message="请选择清单文件（XLSX 或 CSV）"><small id="file-h">第 1 行为表头：审批事项编码*、审批事项名称*、审批依据、监管事项编码、监管事项名称*、职责边界、监管部门*（编码或全称）、核查事项编码、转送上级（是/否）。</small></div>
<div class="field"><label for="reason">发布或修订的理由（公开）</label><input id="reason" name="reason" required minlength="2" maxlength="500" value="${field(v, "reason")}" data-message="请填写发布或修订的理由（2–500 个字）"></div>
<div class="field"><label for="noticeId">因法律法规变化而修订（可选）</label><select id="noticeId" name="noticeId">${options(
    [{ value: "", label: "（不是因告知而修订）" }, ...open.map((n) => ({ value: n.id, label: `告知 ${n.id}：${n.department.name} · ${n.law}` }))],
    field(v, "noticeId"),
  )}</select></div>
<div class="actions"><button type="submit">检查并发布</button><span class="hint">整个文件先逐行检查：有问题时逐行列出，不发布；没有问题时发布为新版本，现行版本即被替代。</span></div></form></section>`;
}

async function listsPage(ctx: PageContext, v: FormBody = {}, error: ApiCallError | null = null) {
  const me = await loopUser(ctx);
  const bureau = /^\d+$/.test(ctx.query.bureau ?? "") ? Number(ctx.query.bureau) : undefined;
  const offset = pageOffset(ctx.query);
  const [all, notices] = await Promise.all([ctx.api.get<DutyList[]>("/duty-lists", { bureau }), ctx.api.get<Notice[]>("/law-change-notices")]);
  const page = slice(all, offset);
  const bureaus = me.departments.filter((d) => d.kind === "approval");
  return ctx.render(
    html`<h1>职责边界清单</h1>
<p>每个行政审批部门的清单列出：审批事项 → 监管事项 → 同级行业监管部门（职责边界），按版本发布、依法公开（<a href="/duty-lists">公开数据</a>）。审批决定按现行版本推送。法律法规变化时，监管部门书面告知审批部门（<a href="${CONSOLE}/law-change-notices">法律法规变化告知</a>），审批部门发布修订版本或说明无需修订。</p>
<form method="get" action="${CONSOLE}/duty-lists" class="filters" role="search"><div class="field"><label for="bureau">行政审批部门</label><select id="bureau" name="bureau">${options(
      [{ value: "", label: "全部" }, ...bureaus.map((b) => ({ value: b.id, label: b.name }))],
      bureau,
    )}</select></div><button type="submit" class="secondary">筛选</button></form>
${listTable(page.items)}
${pager(`${CONSOLE}/duty-lists`, bureau ? { bureau: String(bureau) } : {}, page.total, offset, 50)}
${importForm(ctx, me, notices, v, error)}`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

async function listPage(ctx: PageContext) {
  const l = await ctx.api.get<DutyList>(`/duty-lists/${ctx.params.id}`);
  const offset = pageOffset(ctx.query);
  const page = slice(l.entries ?? [], offset);
  const rows = page.items.map(
    (e) =>
      html`<tr>${td("审批事项", html`${e.approvalName}<br><code class="small">${e.approvalCode}</code>${e.approvalBasis ? html`<br><span class="small">依据：${e.approvalBasis}</span>` : ""}`)}${td(
        "监管事项",
        html`${e.supervisionName}${e.supervisionCode ? html`<br><code class="small">${e.supervisionCode}</code>` : ""}`,
      )}${td("职责边界", e.boundary ?? "—")}${td("监管部门", e.department.name)}${td("核查事项", e.itemId ?? "—")}${td("转送上级", e.forwardUp ? "是" : "否")}</tr>`,
  );
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/duty-lists">职责边界清单</a> › ${l.bureau.name} 第 ${l.version} 版</p>
<h1>${l.bureau.name} 职责边界清单 第 ${l.version} 版</h1>
<dl class="kv"><dt>状态</dt><dd>${badge(l.statusLabel, l.status === "current" ? "b-ok" : "b-info")}${l.supersededAt ? html`（${beijing(l.supersededAt)} 被替代）` : ""}</dd>
<dt>理由</dt><dd>${l.reason}</dd>${l.noticeId ? html`<dt>引起修订的告知</dt><dd><a href="${CONSOLE}/law-change-notices#notice-${l.noticeId}">法律法规变化告知 ${l.noticeId}</a></dd>` : ""}
<dt>来源</dt><dd>${l.source}</dd><dt>发布时间</dt><dd>${beijing(l.publishedAt)}</dd><dt>摘要（SHA-256）</dt><dd><code class="small">${l.digest}</code></dd></dl>
${page.total
  ? html`<table class="cards-sm"><caption>清单条目（${page.total} 行）</caption><thead><tr><th scope="col">审批事项</th><th scope="col">监管事项</th><th scope="col">职责边界</th><th scope="col">监管部门</th><th scope="col">核查事项</th><th scope="col">转送上级</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>本版本没有条目。</p>`}
${pager(`${CONSOLE}/duty-lists/${l.id}`, {}, page.total, offset, 50)}`,
    { wide: true },
  );
}

/** The upload forwarded to POST /duty-lists/import with the form's reason, notice and bureau. */
function forwardImport(ctx: PageContext): Promise<Imported> {
  const q = new URLSearchParams({ reason: field(ctx.form, "reason") });
  for (const k of ["noticeId", "bureauId"]) if (field(ctx.form, k)) q.set(k, field(ctx.form, k));
  return forwardUpload<Imported>(ctx, `/duty-lists/import?${q.toString()}`, "清单文件");
}

// ── 法律法规变化告知 ──────────────────────────────────────────────────────────────────────────

function resolveForm(ctx: PageContext, n: Notice): Html {
  return html`<details><summary>答复：无需修订清单</summary><form method="post" action="${CONSOLE}/law-change-notices/${n.id}/resolve" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="field"><label for="note-${n.id}">无需修订的理由</label><textarea id="note-${n.id}" name="note" required minlength="2" maxlength="2000" rows="2" data-message="请说明无需修订的理由（至少 2 个字）"></textarea></div>
<div class="actions"><button type="submit" class="secondary">答复无需修订</button></div></form></details>
<p class="small">需要修订时：在<a href="${CONSOLE}/duty-lists">职责边界清单</a>页导入修订后的清单，并选择此告知。</p>`;
}

function noticeTable(ctx: PageContext, me: LoopUser, list: Notice[]): Html {
  if (list.length === 0) return html`<p>没有法律法规变化告知。</p>`;
  return html`<table class="cards-sm"><thead><tr><th scope="col">编号</th><th scope="col">发出部门 → 审批部门</th><th scope="col">法律法规</th><th scope="col">变化内容</th><th scope="col">发出时间</th><th scope="col">处理</th></tr></thead><tbody>${list.map((n) => {
    const mine = me.bureau && me.own?.id === n.bureau.id && n.status === "open";
    return html`<tr id="notice-${n.id}">${td("编号", n.id)}${td("发出部门 → 审批部门", html`${n.department.name} → ${n.bureau.name}`)}${td("法律法规", html`${n.law}${n.effectiveOn ? html`<br><span class="small">施行 ${n.effectiveOn}</span>` : ""}`)}${td(
      "变化内容",
      n.summary,
    )}${td("发出时间", beijing(n.sentAt))}${td(
      "处理",
      html`${badge(n.statusLabel, NOTICE_BADGE[n.status] ?? "b-info")}${n.revision ? html`<br><a href="${CONSOLE}/duty-lists/${n.revision.id}">修订为第 ${n.revision.version} 版</a>` : ""}${n.resolutionNote ? html`<br><span class="small">${n.resolutionNote}</span>` : ""}${
        mine ? resolveForm(ctx, n) : ""
      }`,
    )}</tr>`;
  })}</tbody></table>`;
}

function sendForm(ctx: PageContext, me: LoopUser, v: FormBody, error: ApiCallError | null): Html {
  if (!me.supervisor) return errorBox(formError(error), NOTICE_LABELS);
  const bureaus = me.departments.filter((d) => d.kind === "approval" && d.active);
  return html`<section aria-labelledby="send-title"><h2 id="send-title">书面告知行政审批部门：法律法规变化</h2>
${errorBox(formError(error), NOTICE_LABELS)}
<form method="post" action="${CONSOLE}/law-change-notices" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="field"><label for="bureauId">行政审批部门</label><select id="bureauId" name="bureauId" required data-message="请选择行政审批部门">${options([{ value: "", label: "（请选择）" }, ...bureaus.map((b) => ({ value: b.id, label: b.name }))], field(v, "bureauId"))}</select></div>
<div class="field"><label for="law">法律法规名称及文号</label><input id="law" name="law" required minlength="2" maxlength="500" value="${field(v, "law")}" data-message="请填写法律法规名称及文号（2–500 个字）"></div>
<div class="field"><label for="summary">变化内容及对清单的影响</label><textarea id="summary" name="summary" required minlength="2" maxlength="4000" rows="3" data-message="请填写变化内容及对清单的影响（至少 2 个字）">${field(v, "summary")}</textarea></div>
<div class="field"><label for="effectiveOn">施行日期（可选）</label><input id="effectiveOn" name="effectiveOn" type="date" value="${field(v, "effectiveOn")}"></div>
<div class="actions"><button type="submit">发出告知</button></div></form></section>`;
}

async function noticesPage(ctx: PageContext, v: FormBody = {}, error: ApiCallError | null = null) {
  const me = await loopUser(ctx);
  const status = oneOf(ctx.query.status, NOTICE_STATUSES);
  const offset = pageOffset(ctx.query);
  const page = slice(await ctx.api.get<Notice[]>("/law-change-notices", { status }), offset);
  const who = ctx.role === "officer" ? "本部门发出或收到的" : "全部";
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/duty-lists">职责边界清单</a> › 法律法规变化告知</p>
<h1>法律法规变化告知</h1>
<p>法律法规变化影响职责边界清单时，行业监管部门书面告知行政审批部门；审批部门发布修订版本（告知即为“已修订清单”）或答复无需修订。这里列出${who}告知。</p>
<form method="get" action="${CONSOLE}/law-change-notices" class="filters" role="search"><div class="field"><label for="status">处理状态</label><select id="status" name="status">${options(
      [{ value: "", label: "全部" }, { value: "open", label: "待处理" }, { value: "revised", label: "已修订清单" }, { value: "noChange", label: "无需修订" }],
      status,
    )}</select></div><button type="submit" class="secondary">筛选</button></form>
${noticeTable(ctx, me, page.items)}
${pager(`${CONSOLE}/law-change-notices`, status ? { status } : {}, page.total, offset, 50)}
${sendForm(ctx, me, v, error)}`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

const LIST_USES = ["GET /duty-lists", "GET /law-change-notices", "GET /departments"];
const NOTICE_USES = ["GET /law-change-notices", "GET /departments"];

export const loopListPages: ConsolePage[] = [
  { path: `${CONSOLE}/duty-lists`, title: "职责边界清单", roles: ALL, nav: { group: "results", label: "职责边界清单", order: 52 }, uses: LIST_USES, handler: (ctx) => listsPage(ctx) },
  { path: `${CONSOLE}/duty-lists/:id`, title: "职责边界清单", roles: ALL, uses: ["GET /duty-lists/:id"], handler: listPage },
  {
    path: `${CONSOLE}/duty-lists/import`,
    method: "POST",
    title: "导入职责边界清单",
    roles: WRITERS,
    multipart: true,
    uses: ["POST /duty-lists/import", ...LIST_USES],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const r = await forwardImport(ctx);
          const unused = r.ignoredColumns.length ? `；未使用的列：${r.ignoredColumns.join("、")}` : "";
          return ctx.redirect(`${CONSOLE}/duty-lists/${r.id}`, `已发布 ${r.bureau.name} 职责边界清单第 ${r.version} 版：读取 ${r.rows} 行，${r.entries} 个条目${unused}。`);
        },
        (e) => listsPage(ctx, ctx.form, e),
      ),
  },
  { path: `${CONSOLE}/law-change-notices`, title: "法律法规变化告知", roles: ALL, nav: { group: "results", label: "法律法规变化告知", order: 53 }, uses: NOTICE_USES, handler: (ctx) => noticesPage(ctx) },
  {
    path: `${CONSOLE}/law-change-notices`,
    method: "POST",
    title: "发出法律法规变化告知",
    roles: OFFICER,
    uses: ["POST /law-change-notices", ...NOTICE_USES],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const f = ctx.form;
          const n = await ctx.api.post<Notice>("/law-change-notices", { bureauId: idField(f, "bureauId"), law: field(f, "law"), summary: field(f, "summary"), effectiveOn: field(f, "effectiveOn") || null });
          return ctx.redirect(`${CONSOLE}/law-change-notices#notice-${n.id}`, `已向 ${n.bureau.name} 发出法律法规变化告知（编号 ${n.id}）。`);
        },
        (e) => noticesPage(ctx, ctx.form, e),
      ),
  },
  {
    path: `${CONSOLE}/law-change-notices/:id/resolve`,
    method: "POST",
    title: "答复法律法规变化告知",
    roles: OFFICER,
    uses: ["POST /law-change-notices/:id/resolve", ...NOTICE_USES],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          await ctx.api.post(`/law-change-notices/${ctx.params.id}/resolve`, { note: field(ctx.form, "note") });
          return ctx.redirect(`${CONSOLE}/law-change-notices#notice-${ctx.params.id}`, `已答复告知 ${ctx.params.id}：无需修订清单。`);
        },
        (e) => noticesPage(ctx, {}, e),
      ),
  },
];
