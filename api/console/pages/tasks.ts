/**
 * 检查任务与结果 (谁检查、谁录入、谁公开): the task list (filtered and paged on the server), one
 * task with its result form (the standard categories, checked as they are ticked) and publishing,
 * and the deadline list (overdue, due within 5 working days).
 */
import { ApiCallError, field, fields, type ConsolePage, type PageContext } from "../framework.ts";
import { beijing, html, options, raw, todayBeijing, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { DIRECTED_KIND_LABELS } from "../../../src/publication/results.ts";
import { LOOP_DIRECTED_KIND_LABELS } from "../../../src/approvals/values.ts";
import { ALL, OFFICER, TASK_STATUS, actionButton, badge, csrf, pageOffset, pager, td, type Category, type Department, type Item, type Task } from "./shared.ts";

const KIND_LABELS: Record<string, string> = { ...DIRECTED_KIND_LABELS, ...LOOP_DIRECTED_KIND_LABELS, unspecified: "未注明" };
const directedKindLabel = (k: string | null | undefined): string => (k ? (KIND_LABELS[k] ?? k) : "未注明");

const LIMIT = 50;

function resultBadge(t: Task): Html {
  if (!t.result) return badge("未录入", "b-warn");
  if (!t.result.publication) return badge("已录入未公示", "b-info");
  return badge("已公示", "b-ok");
}

async function taskList(ctx: PageContext) {
  const q = ctx.query;
  const status = ["open", "scheduled", "done", "cancelled"].includes(q.status ?? "") ? q.status! : "";
  const num = (s: string | undefined) => (s && /^\d+$/.test(s) ? s : "");
  const filters = { status, batch: num(q.batch), draw: num(q.draw), department: ctx.role === "officer" ? "" : num(q.department) };
  const offset = pageOffset(q);
  const [page, depts] = await Promise.all([
    ctx.api.get<{ total: number; items: Task[] }>("/tasks", { ...filters, limit: LIMIT, offset }),
    ctx.api.get<Department[]>("/departments"),
  ]);
  const names = new Map(depts.map((d) => [d.id, d.name]));
  const rows = page.items.map(
    (t) => html`<tr>${td("任务编号", html`<a href="${CONSOLE}/tasks/${t.id}">${t.taskNo}</a>`)}${td("检查对象", html`${t.entity.name}<br><code class="small">${t.entity.code}</code>`)}${td(
      "部门",
      names.get(t.departmentId) ?? t.departmentId,
    )}${td("类型", t.kind === "directed" ? "定向检查" : "双随机")}${td("时间窗口", `${t.windowStart} 至 ${t.windowEnd}`)}${td("状态", TASK_STATUS[t.status] ?? t.status)}${td("结果", resultBadge(t))}</tr>`,
  );
  const kept = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ""));
  return ctx.render(
    html`<h1>检查任务</h1>
<form method="get" action="${CONSOLE}/tasks" class="filters" role="search">
<div class="field"><label for="status">任务状态</label><select id="status" name="status">${options(
      [{ value: "", label: "全部" }, ...Object.entries(TASK_STATUS).map(([value, label]) => ({ value, label }))],
      status,
    )}</select></div>
${ctx.role !== "officer" ? html`<div class="field"><label for="department">部门</label><select id="department" name="department">${options([{ value: "", label: "全部部门" }, ...depts.map((d) => ({ value: d.id, label: d.name }))], filters.department)}</select></div>` : ""}
<div class="field"><label for="batch">批次编号（数字）</label><input id="batch" name="batch" inputmode="numeric" value="${filters.batch}" size="6"></div>
<div class="field"><label for="draw">抽取编号</label><input id="draw" name="draw" inputmode="numeric" value="${filters.draw}" size="6"></div>
<button type="submit" class="secondary">筛选</button></form>
<p class="actions"><a href="${CONSOLE}/exports/tasks.xlsx?${new URLSearchParams(kept).toString()}">导出任务和结果（XLSX）</a><a href="${CONSOLE}/exports/tasks.csv?${new URLSearchParams(kept).toString()}">（CSV）</a></p>
${page.items.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">任务编号</th><th scope="col">检查对象</th><th scope="col">部门</th><th scope="col">类型</th><th scope="col">时间窗口</th><th scope="col">状态</th><th scope="col">结果</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有符合条件的任务。</p>`}
${pager(`${CONSOLE}/tasks`, kept, page.total, offset, LIMIT)}`,
    { wide: true },
  );
}

function categoryBoxes(cats: Category[], chosen: Set<string>): Html {
  const none = cats.find((c) => c.group === "clean");
  return html`<fieldset data-categories data-none="${none?.code ?? ""}"><legend>检查结果（可多选）</legend>
<div class="checks">${cats.map(
    (c) => html`<label${c.parent ? raw(' class="sub"') : ""}><input type="checkbox" name="categories" value="${c.code}" data-group="${c.group}"${c.parent ? raw(` data-parent="${c.parent}"`) : ""}${chosen.has(c.code) ? raw(" checked") : ""}> ${c.parent ? "└ " : ""}${c.label}</label>`,
  )}</div><p class="hint" data-status role="status"></p></fieldset>`;
}

async function taskPage(ctx: PageContext, values?: Record<string, string | string[] | undefined>, error?: ApiCallError | null) {
  const t = await ctx.api.get<Task>(`/tasks/${ctx.params.id}`);
  const [cats, items, depts] = await Promise.all([
    ctx.api.get<Category[]>("/result-categories"),
    ctx.api.get<Item[]>(`/departments/${t.departmentId}/items`),
    ctx.api.get<Department[]>("/departments"),
  ]);
  const label = new Map(cats.map((c) => [c.code, c.label]));
  const mine = ctx.role === "officer" && ctx.departmentId === t.departmentId;
  const published = t.result?.publication ?? null;
  const chosen = new Set(values ? fields(values, "categories") : t.result?.categories ?? []);
  const checkDate = values ? field(values, "checkDate") : t.result?.checkDate ?? "";
  const note = values ? field(values, "note") : t.result?.note ?? "";
  const form =
    mine && !published && t.status !== "cancelled"
      ? html`<h2>录入检查结果</h2>${errorBox(error, { categories: "检查结果", checkDate: "检查日期", note: "备注" })}
<form method="post" action="${CONSOLE}/tasks/${t.id}/result" class="form" data-busy>${csrf(ctx.session.csrfToken)}
${categoryBoxes(cats, chosen)}
<div class="row"><div class="field"><label for="checkDate">检查日期</label><input id="checkDate" name="checkDate" type="date" required min="${t.windowStart}" max="${todayBeijing()}" value="${checkDate}" aria-describedby="cd-h"><small id="cd-h">不早于任务开始（${t.windowStart}），不晚于今天</small></div></div>
<div class="field"><label for="note">备注（内部，不公示）</label><textarea id="note" name="note" maxlength="2000" rows="2">${note}</textarea></div>
<div class="actions"><button type="submit">保存结果</button><span class="hint">公示前可以修改。</span></div></form>`
      : "";
  const publish =
    mine && t.result && !published
      ? html`<h2>公示结果</h2><p>公示后结果不能修改。公示内容：检查对象名称和代码、任务编号和名称、检查日期、检查部门、检查结果；不含执法人员信息和风险类别。期限为检查后 20 个工作日。</p>
${actionButton(`${CONSOLE}/tasks/${t.id}/publish`, "公示检查结果", ctx.session.csrfToken, { confirm: "公示后不能修改。确定公示？" })}`
      : "";
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/tasks">检查任务</a> › ${t.taskNo}</p>
<h1>任务 ${t.taskNo}</h1>
<dl class="kv"><dt>检查对象</dt><dd>${t.entity.name}（${t.entity.code}）</dd><dt>部门</dt><dd>${depts.find((d) => d.id === t.departmentId)?.name ?? ""}</dd>
<dt>类型</dt><dd>${t.kind === "directed" ? `定向检查（${directedKindLabel(t.directedKind)}）` : "双随机抽查"}</dd>${t.directedReason ? html`<dt>事由（内部，不公示）</dt><dd>${t.directedReason}</dd>` : ""}
<dt>时间窗口</dt><dd>${t.windowStart} 至 ${t.windowEnd}</dd><dt>状态</dt><dd>${TASK_STATUS[t.status] ?? t.status}</dd>
<dt>检查事项</dt><dd><ul>${t.itemIds.map((id) => {
      const it = items.find((x) => x.id === id);
      return html`<li>${it ? `${it.name}（${it.legalBasis}）` : id}</li>`;
    })}</ul></dd>
${t.result ? html`<dt>检查结果</dt><dd>${t.result.categories.map((c) => label.get(c) ?? c).join("；")}（检查日期 ${t.result.checkDate}）</dd>` : ""}
${published ? html`<dt>公示</dt><dd>${beijing(published.publishedAt)} 已公示（期限 ${published.deadline}）。<a href="/public?q=${encodeURIComponent(t.entity.code)}">在公示页查看</a></dd>` : ""}</dl>
${form}${publish}`,
    { status: error ? error.statusCode : 200 },
  );
}

interface Deadlines {
  today: string;
  overdue: { taskId: number; taskNo: string; entityCode: string; entityName: string; checkDate: string; deadline: string; workingDaysLeft: number }[];
  dueSoon: { taskId: number; taskNo: string; entityCode: string; entityName: string; checkDate: string; deadline: string; workingDaysLeft: number }[];
  undetermined: { taskId: number; taskNo: string; checkDate: string; year: number; reason: string }[];
}

async function deadlinePage(ctx: PageContext) {
  const d = await ctx.api.get<Deadlines>("/results/deadlines");
  const table = (caption: string, list: Deadlines["overdue"]) =>
    list.length
      ? html`<table class="cards-sm"><caption>${caption}（${list.length} 项）</caption><thead><tr><th scope="col">任务</th><th scope="col">检查对象</th><th scope="col">检查日期</th><th scope="col">公示期限</th><th scope="col" class="num">剩余工作日</th></tr></thead><tbody>${list.map(
          (e) => html`<tr>${td("任务", html`<a href="${CONSOLE}/tasks/${e.taskId}">${e.taskNo}</a>`)}${td("检查对象", e.entityName)}${td("检查日期", e.checkDate)}${td("公示期限", e.deadline)}${td("剩余工作日", e.workingDaysLeft, "num")}</tr>`,
        )}</tbody></table>`
      : html`<p>${caption}：无。</p>`;
  return ctx.render(html`<h1>公示期限</h1>
<p>已录入、尚未公示的检查结果。公示期限为检查之日后 20 个工作日（按官方节假日表计算；起算日不计入）。今天：${d.today}。</p>
${table("已逾期", d.overdue)}
${table("5 个工作日内到期", d.dueSoon)}
${d.undetermined.length ? html`<h2>无法计算期限</h2><ul>${d.undetermined.map((u) => html`<li><a href="${CONSOLE}/tasks/${u.taskId}">${u.taskNo}</a>：${u.reason}</li>`)}</ul>` : ""}`);
}

const TASK_USES = ["GET /tasks/:id", "GET /result-categories", "GET /departments/:id/items", "GET /departments"];

export const taskPages: ConsolePage[] = [
  { path: `${CONSOLE}/tasks`, title: "检查任务", roles: ALL, nav: { group: "results", label: "检查任务与结果", order: 30 }, uses: ["GET /tasks", "GET /departments"], handler: taskList },
  { path: `${CONSOLE}/tasks/:id`, title: "检查任务", roles: ALL, uses: TASK_USES, handler: (ctx) => taskPage(ctx) },
  {
    path: `${CONSOLE}/tasks/:id/result`,
    method: "POST",
    title: "录入检查结果",
    roles: OFFICER,
    uses: ["PUT /tasks/:id/result", ...TASK_USES],
    handler: async (ctx) => {
      const body: Record<string, unknown> = { categories: fields(ctx.form, "categories"), checkDate: field(ctx.form, "checkDate") };
      const note = field(ctx.form, "note");
      if (note) body.note = note;
      try {
        await ctx.api.put(`/tasks/${ctx.params.id}/result`, body);
        return ctx.redirect(`${CONSOLE}/tasks/${ctx.params.id}`, "检查结果已保存。核对无误后请公示。");
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401 && e.statusCode !== 403) return taskPage(ctx, ctx.form, e);
        throw e;
      }
    },
  },
  {
    path: `${CONSOLE}/tasks/:id/publish`,
    method: "POST",
    title: "公示检查结果",
    roles: OFFICER,
    uses: ["POST /tasks/:id/publish", ...TASK_USES],
    handler: async (ctx) => {
      try {
        await ctx.api.post(`/tasks/${ctx.params.id}/publish`);
        return ctx.redirect(`${CONSOLE}/tasks/${ctx.params.id}`, "检查结果已公示。");
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401 && e.statusCode !== 403) return taskPage(ctx, undefined, e);
        throw e;
      }
    },
  },
  { path: `${CONSOLE}/deadlines`, title: "公示期限", roles: ALL, nav: { group: "results", label: "公示期限", order: 40 }, uses: ["GET /results/deadlines"], handler: deadlinePage },
];
