/**
 * 抽查计划 and 批次: the annual plan, its batches through a guided form (lead and partner
 * departments, each department's items, 定向 conditions, quotas per risk class with the cap shown
 * and enforced as it is typed, window), approval (= publication), editing or deleting a batch
 * while nothing is committed, and the batch page from which the ceremony starts.
 */
import { ApiCallError, field, fields, intField, type ConsolePage, type FormBody, type PageContext } from "../framework.ts";
import { html, options, raw, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import {
  ALL,
  BATCH_STATUS,
  DRAW_BADGE,
  KIND_LABEL,
  RISK_CLASSES,
  RISK_LABEL,
  SIZE_LABEL,
  WRITERS,
  actionButton,
  badge,
  csrf,
  hidden,
  planBadge,
  td,
  type Batch,
  type BatchDept,
  type Conditions,
  type Department,
  type Draw,
  type Item,
  type Plan,
  type PlanDetail,
} from "./shared.ts";
import { EXEMPT_KINDS, type FrequencyCaps } from "./capsConfig.ts";

interface DrawRules {
  generalRatioCap: Record<string, string>;
  capPerMille: Record<string, number>;
}

const thisYear = () => new Date().getFullYear();

async function departmentsById(ctx: PageContext): Promise<Map<number, Department>> {
  return new Map((await ctx.api.get<Department[]>("/departments")).map((d) => [d.id, d]));
}

// ── plans ──────────────────────────────────────────────────────────────────────────────────────

function planForm(ctx: PageContext, depts: Department[], values: FormBody, error?: ApiCallError | null): Html {
  const year = field(values, "year") || String(thisYear());
  return html`<section aria-labelledby="new-plan"><h2 id="new-plan">新建年度抽查计划</h2>
${errorBox(error, { year: "年度", name: "计划名称", departmentId: "部门" })}
<form method="post" action="${CONSOLE}/plans" class="form">
${csrf(ctx.session.csrfToken)}
<div class="row">
${ctx.role === "admin"
  ? html`<div class="field"><label for="departmentId">牵头部门</label><select id="departmentId" name="departmentId" required>${options(depts.map((d) => ({ value: d.id, label: d.name })), field(values, "departmentId"))}</select></div>`
  : ""}
<div class="field"><label for="year">年度</label><input id="year" name="year" type="number" min="2000" max="2100" required value="${year}"></div>
<div class="field"><label for="name">计划名称</label><input id="name" name="name" required maxlength="200" value="${field(values, "name")}" placeholder="如 2026 年度食品经营联合抽查计划"></div>
</div>
<div class="actions"><button type="submit">建立计划</button></div>
</form></section>`;
}

async function plansPage(ctx: PageContext, values: FormBody = {}, error?: ApiCallError | null) {
  const year = ctx.query.year && /^\d{4}$/.test(ctx.query.year) ? ctx.query.year : "";
  const [plans, depts] = await Promise.all([ctx.api.get<Plan[]>("/plans", { year }), departmentsById(ctx)]);
  const rows = plans
    .slice()
    .reverse()
    .map(
      (p) => html`<tr>${td("计划", html`<a href="${CONSOLE}/plans/${p.id}">${p.name}</a>`)}${td("年度", p.year)}${td("牵头部门", depts.get(p.departmentId)?.name ?? p.departmentId)}${td("状态", planBadge(p.status))}</tr>`,
    );
  return ctx.render(
    html`<h1>抽查计划</h1>
<form method="get" action="${CONSOLE}/plans" class="filters" role="search">
<div class="field"><label for="f-year">年度</label><input id="f-year" name="year" type="number" min="2000" max="2100" value="${year}"></div>
<button type="submit" class="secondary">筛选</button></form>
${plans.length
  ? html`<table class="cards-sm"><caption>共 ${plans.length} 个计划</caption><thead><tr><th scope="col">计划</th><th scope="col">年度</th><th scope="col">牵头部门</th><th scope="col">状态</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>还没有抽查计划。</p>`}
${ctx.role !== "auditor" ? planForm(ctx, [...depts.values()], values, error) : ""}`,
    { status: error ? error.statusCode : 200 },
  );
}

async function planDetail(ctx: PageContext) {
  const plan = await ctx.api.get<PlanDetail>(`/plans/${ctx.params.id}`);
  const depts = await departmentsById(ctx);
  const canWrite = ctx.role !== "auditor" && plan.status !== "closed";
  const rows = plan.batches.map(
    (b) => html`<tr>${td("批次编号", b.code)}${td("名称", html`<a href="${CONSOLE}/batches/${b.id}">${b.name}</a>`)}${td("状态", BATCH_STATUS[b.status] ?? b.status)}</tr>`,
  );
  return ctx.render(html`<p class="small"><a href="${CONSOLE}/plans">抽查计划</a> › ${plan.name}</p>
<h1>${plan.name}</h1>
<dl class="kv"><dt>年度</dt><dd>${plan.year}</dd><dt>牵头部门</dt><dd>${depts.get(plan.departmentId)?.name ?? ""}</dd><dt>状态</dt><dd>${planBadge(plan.status)}</dd></dl>
${plan.status === "draft" ? html`<p class="note">草稿计划不公开，也不能抽取。编好批次后批准计划：计划及其全部批次立即公示，之后不能退回草稿。</p>` : ""}
<h2>批次</h2>
${plan.batches.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">批次编号</th><th scope="col">名称</th><th scope="col">状态</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>本计划还没有批次。</p>`}
<div class="actions">
${canWrite ? html`<a class="btn" href="${CONSOLE}/plans/${plan.id}/batches/new">新建批次</a>` : ""}
${canWrite && plan.status === "draft" && plan.batches.length > 0
  ? actionButton(`${CONSOLE}/plans/${plan.id}/status`, "批准并公示计划", ctx.session.csrfToken, { fields: { status: "approved" }, confirm: "批准后计划及其全部批次立即公示，不能退回草稿。确定批准？" })
  : ""}
${canWrite && plan.status === "approved" ? actionButton(`${CONSOLE}/plans/${plan.id}/status`, "关闭计划", ctx.session.csrfToken, { fields: { status: "closed" }, secondary: true, confirm: "关闭后不能再新增批次或抽取；公示记录保留。确定关闭？" }) : ""}
<a href="${CONSOLE}/exports/plans/${plan.id}.xlsx">导出计划（XLSX）</a> <a href="${CONSOLE}/exports/plans/${plan.id}.csv">导出计划（CSV）</a>
</div>`);
}

// ── the batch form ─────────────────────────────────────────────────────────────────────────────

interface BatchFormModel {
  action: string;
  plan: PlanDetail;
  lead: Department;
  partners: Department[];
  allDepartments: Department[];
  items: Map<number, Item[]>;
  rules: DrawRules;
  /** Each department's yearly frequency cap (shown beside its fieldset). */
  caps: Map<number, FrequencyCaps>;
  values: FormBody;
  error?: ApiCallError | null;
  editing?: Batch;
}

const q = (d: number, k: string, part: "mode" | "value") => `d${d}_q${k}_${part}`;

function quotaRows(m: BatchFormModel, d: Department): Html {
  return html`<table><caption>抽取数量（每个风险类别；留空 = 该类别不抽取）</caption>
<thead><tr><th scope="col">风险类别</th><th scope="col">方式</th><th scope="col">数值</th></tr></thead><tbody>
${RISK_CLASSES.map((k) => {
  const mode = field(m.values, q(d.id, k, "mode")) || "ratio";
  const hintId = `h-${d.id}-${k}`;
  return html`<tr data-quota>
<th scope="row">${RISK_LABEL[k]}</th>
<td><label class="sr" for="${q(d.id, k, "mode")}">${k} 类方式</label><select id="${q(d.id, k, "mode")}" name="${q(d.id, k, "mode")}">${options(
    [
      { value: "ratio", label: "比例（‰）" },
      { value: "count", label: "数量（户）" },
    ],
    mode,
  )}</select></td>
<td><label class="sr" for="${q(d.id, k, "value")}">${k} 类数值</label><input id="${q(d.id, k, "value")}" name="${q(d.id, k, "value")}" inputmode="numeric" pattern="[0-9]*" size="6" value="${field(m.values, q(d.id, k, "value"))}" data-cap="${m.rules.capPerMille[k] ?? -1}" data-dept="${d.id}" aria-describedby="${hintId}">
<small id="${hintId}" class="hint">一般检查事项上限 ${m.rules.capPerMille[k]}‰（${m.rules.generalRatioCap[k]}）</small></td></tr>`;
})}
</tbody></table>`;
}

/** The department's yearly frequency cap, as the draw will apply it. */
function capNote(c: FrequencyCaps | undefined): Html {
  if (!c?.configured) return html``;
  const exempt = c.exemptions.map((e) => EXEMPT_KINDS.find(([k]) => k === e.kind)?.[1] ?? e.kind).join("、");
  return html`<p class="hint">同一企业年度检查频次上限：本层级 ${c.maxPerYear} 次${c.maxPerYearAllLevels !== null ? `，与上下级合计 ${c.maxPerYearAllLevels} 次` : ""}${exempt ? `（${exempt}不计入）` : ""}。本年度已达上限的企业抽取时列为本部门的排除对象（理由公示），不会被抽到。</p>`;
}

function departmentFieldset(m: BatchFormModel, d: Department, role: "lead" | "partner"): Html {
  const chosen = new Set(fields(m.values, `d${d.id}_items`));
  const list = m.items.get(d.id) ?? [];
  return html`<fieldset data-dept="${d.id}"><legend>${role === "lead" ? "牵头部门" : "配合部门"}：${d.name}</legend>
${list.length === 0 ? html`<p class="error-box">该部门的抽查事项清单为空：请管理员先导入事项清单。</p>` : ""}
${capNote(m.caps.get(d.id))}
<div class="field"><span class="label" id="items-${d.id}">检查事项（至少选一项；只有全部为一般事项时比例受上限约束）</span>
<div class="checks" role="group" aria-labelledby="items-${d.id}">${list.map(
    (it) => html`<label><input type="checkbox" name="d${d.id}_items" value="${it.id}" data-kind="${it.importance}"${chosen.has(String(it.id)) ? raw(" checked") : ""}> ${it.name}（${it.importance === "key" ? "重点" : "一般"}；${it.legalBasis}）</label>`,
  )}</div></div>
${conditionInputs(m.values, `d${d.id}_`, `本部门定向条件（可选，只用于定向批次；留空 = 用上面批次的定向条件）`)}
${quotaRows(m, d)}
</fieldset>`;
}

/** List separators the form accepts: commas (half or full width), 、 and spaces. */
const SEP = "[,，、\\s]+";
const DISTRICT = "\\d{2,6}";
const INDUSTRY = "[A-Ta-t][0-9]{0,4}|[0-9]{1,4}";
/** HTML `pattern` of a list of codes (the browser checks it as it is typed). */
const listPattern = (one: string) => `\\s*(${one})(${SEP}(${one}))*[,，、\\s]*`;

/** The four 定向 condition inputs, named `${prefix}districts` … (prefix "" for the batch's own). */
function conditionInputs(v: FormBody, prefix: string, legend: string): Html {
  const id = (k: string) => `${prefix}${k}`;
  const kinds = new Set(fields(v, id("kinds")));
  const sizes = new Set(fields(v, id("sizes")));
  const own = prefix !== "";
  const body = html`<div class="row">
<div class="field"><label for="${id("districts")}">区划代码</label><input id="${id("districts")}" name="${id("districts")}" value="${field(v, id("districts"))}" placeholder="如 610102, 610104" pattern="${listPattern(DISTRICT)}" title="2–6 位数字的区划代码，用逗号分隔" aria-describedby="${id("districts")}-h"><small id="${id("districts")}-h">2–6 位区划代码，用逗号分隔（按前缀匹配）</small></div>
<div class="field"><label for="${id("industries")}">行业代码</label><input id="${id("industries")}" name="${id("industries")}" value="${field(v, id("industries"))}" placeholder="如 H62, F52" pattern="${listPattern(INDUSTRY)}" title="GB/T 4754 行业代码或其前缀：门类字母 A–T 和/或数字，用逗号分隔" aria-describedby="${id("industries")}-h"><small id="${id("industries")}-h">GB/T 4754 代码或其前缀，逗号分隔</small></div>
</div>
<div class="field"><span class="label" id="${id("kinds")}-l">主体类型</span><div class="checks" role="group" aria-labelledby="${id("kinds")}-l">${Object.entries(KIND_LABEL).map(
    ([k, label]) => html`<label><input type="checkbox" name="${id("kinds")}" value="${k}"${kinds.has(k) ? raw(" checked") : ""}> ${label}</label>`,
  )}</div></div>
<div class="field"><span class="label" id="${id("sizes")}-l">企业规模</span><div class="checks" role="group" aria-labelledby="${id("sizes")}-l">${Object.entries(SIZE_LABEL).map(
    ([k, label]) => html`<label><input type="checkbox" name="${id("sizes")}" value="${k}"${sizes.has(k) ? raw(" checked") : ""}> ${label}</label>`,
  )}</div></div>`;
  if (!own) return body;
  const open = ["districts", "industries", "kinds", "sizes"].some((k) => fields(v, id(k)).length > 0);
  return html`<details class="dept-conditions"${open ? raw(" open") : ""}><summary>${legend}</summary>${body}</details>`;
}

function conditionFields(m: BatchFormModel): Html {
  const v = m.values;
  return html`<fieldset><legend>抽查方式</legend>
<div class="checks" role="radiogroup" aria-label="定向或不定向">
<label><input type="radio" name="directed" value="0"${field(v, "directed") !== "1" ? raw(" checked") : ""}> 不定向（从全部检查对象中抽取）</label>
<label><input type="radio" name="directed" value="1"${field(v, "directed") === "1" ? raw(" checked") : ""}> 定向（只在下列条件内抽取；各条件之间为“且”，条件内为“或”；各部门还可在本部门栏内填写自己的定向条件）</label></div>
${conditionInputs(v, "", "")}
</fieldset>`;
}

const BATCH_LABELS: Record<string, string> = { code: "批次编号", name: "批次名称", windowStart: "开始日期", windowEnd: "结束日期", conditions: "定向条件", departments: "参与部门" };

function batchForm(m: BatchFormModel, token: string): Html {
  const v = m.values;
  const partnerIds = new Set(m.partners.map((p) => p.id));
  const others = m.allDepartments.filter((d) => d.id !== m.lead.id && d.active);
  return html`${errorBox(m.error, BATCH_LABELS)}
<form method="get" action="" class="form no-print" aria-labelledby="step1">
<h2 id="step1">第一步：参与部门</h2>
<p class="hint">牵头部门为计划的部门（${m.lead.name}）。选择配合部门后点“更新事项表”，下面会列出每个部门的抽查事项和抽取数量。</p>
<div class="field"><span class="label" id="partners-l">配合部门</span><div class="checks" role="group" aria-labelledby="partners-l">${others.map(
    (d) => html`<label><input type="checkbox" name="partners" value="${d.id}"${partnerIds.has(d.id) ? raw(" checked") : ""}> ${d.name}</label>`,
  )}</div></div>
<div class="actions"><button type="submit" class="secondary">更新事项表</button></div>
</form>
<form method="post" action="${m.action}" class="form" data-busy>
${csrf(token)}
${m.partners.map((p) => hidden("partners", p.id))}
<h2>第二步：批次内容</h2>
<fieldset><legend>基本信息</legend>
<div class="row">
<div class="field"><label for="code">批次编号</label><input id="code" name="code" required maxlength="60" value="${field(v, "code")}" placeholder="如 2026-SJ-01"></div>
<div class="field"><label for="name">批次名称</label><input id="name" name="name" required maxlength="200" value="${field(v, "name")}" placeholder="如 餐饮服务联合抽查"></div>
</div>
<div class="row">
<div class="field"><label for="windowStart">检查开始日期</label><input id="windowStart" name="windowStart" type="date" required value="${field(v, "windowStart")}"></div>
<div class="field"><label for="windowEnd">检查结束日期</label><input id="windowEnd" name="windowEnd" type="date" required value="${field(v, "windowEnd")}"></div>
</div></fieldset>
${conditionFields(m)}
${departmentFieldset(m, m.lead, "lead")}
${m.partners.map((p) => departmentFieldset(m, p, "partner"))}
<div class="actions"><button type="submit">${m.editing ? "保存批次" : "建立批次"}</button><span class="hint" data-busy-text hidden>正在保存…</span></div>
</form>`;
}

const splitList = (s: string) => s.split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);

const CODE_RULES = { districts: new RegExp(`^(${DISTRICT})$`), industries: new RegExp(`^(${INDUSTRY})$`) } as const;
const CHOICES = { kinds: KIND_LABEL, sizes: SIZE_LABEL } as const;
const CONDITION_LABEL = { districts: "区划代码", industries: "行业代码", kinds: "主体类型", sizes: "企业规模" } as const;

/** The 定向 conditions of the inputs named `${prefix}…`, and the first problem with them (named). */
export function conditionsOf(values: FormBody, prefix: string, who: string): { conditions: Conditions; problem: string | null } {
  const conditions: Conditions = {};
  let problem: string | null = null;
  for (const k of ["districts", "industries"] as const) {
    const list = [...new Set(splitList(field(values, `${prefix}${k}`)).map((x) => (k === "industries" ? x.toUpperCase() : x)))];
    const bad = list.find((x) => !CODE_RULES[k].test(x));
    if (bad !== undefined) problem ??= `${who}${CONDITION_LABEL[k]}“${bad}”不是${k === "districts" ? " 2–6 位数字的区划代码" : " GB/T 4754 行业代码或其前缀（门类字母 A–T 和/或数字）"}`;
    if (list.length) conditions[k] = list;
  }
  for (const k of ["kinds", "sizes"] as const) {
    const list = [...new Set(fields(values, `${prefix}${k}`))];
    const bad = list.find((x) => !(x in CHOICES[k]));
    if (bad !== undefined) problem ??= `${who}${CONDITION_LABEL[k]}“${bad}”不是可选的值`;
    if (list.length) conditions[k] = list;
  }
  return { conditions, problem };
}

/** The API body of a batch from the form; problems the page can name before calling the API. */
export function batchBody(values: FormBody, deptIds: { lead: number; partners: number[] }, rules: DrawRules, items: Map<number, Item[]>, names: Map<number, string> = new Map()) {
  const problems: { message: string; field: string }[] = [];
  const batchConditions = conditionsOf(values, "", "定向条件：");
  if (batchConditions.problem) problems.push({ message: batchConditions.problem, field: "conditions" });
  const conditions = batchConditions.conditions;
  const directed = field(values, "directed") === "1";
  const departments = [deptIds.lead, ...deptIds.partners].map((id, i) => {
    const itemIds = fields(values, `d${id}_items`).map(Number);
    const samplingRules = RISK_CLASSES.flatMap((k) => {
      const n = intField(values, q(id, k, "value"));
      if (n === undefined) return [];
      return [field(values, q(id, k, "mode")) === "count" ? { riskClass: k, count: n } : { riskClass: k, ratioPerMille: n }];
    });
    const who = `${names.get(id) ?? `部门 ${id}`}的`;
    const own = conditionsOf(values, `d${id}_`, who);
    if (own.problem) problems.push({ message: own.problem, field: `departments.${i}.conditions` });
    const has = Object.keys(own.conditions).length > 0;
    if (has && !directed) problems.push({ message: `${who}定向条件只用于定向批次：请在“抽查方式”中选“定向”，或清空本部门的条件`, field: `departments.${i}.conditions` });
    return { departmentId: id, role: i === 0 ? ("lead" as const) : ("partner" as const), itemIds, samplingRules, ...(has ? { conditions: own.conditions } : {}) };
  });
  if (directed && Object.keys(conditions).length === 0) {
    const i = departments.findIndex((d) => !d.conditions);
    if (i >= 0) problems.push({ message: `定向批次：请填写批次的定向条件，或为每个部门填写本部门的定向条件（${names.get(departments[i]!.departmentId) ?? `部门 ${departments[i]!.departmentId}`}还没有）`, field: "conditions" });
  }
  departments.forEach((d) => {
    const list = items.get(d.departmentId) ?? [];
    const name = names.get(d.departmentId) ?? `部门 ${d.departmentId}`;
    if (d.itemIds.length === 0) problems.push({ message: `${name}：至少选择一个检查事项`, field: "departments" });
    const allGeneral = d.itemIds.length > 0 && d.itemIds.every((id) => list.find((it) => it.id === id)?.importance === "general");
    for (const r of d.samplingRules) {
      const v = "ratioPerMille" in r ? r.ratioPerMille! : r.count!;
      if (!Number.isInteger(v) || v < 0) problems.push({ message: `${r.riskClass} 类的数值须为不小于 0 的整数`, field: "departments" });
      else if ("ratioPerMille" in r && v > 1000) problems.push({ message: `${r.riskClass} 类比例最多 1000‰`, field: "departments" });
      else if ("ratioPerMille" in r && allGeneral && v > (rules.capPerMille[r.riskClass] ?? 1000))
        problems.push({ message: `一般检查事项 ${r.riskClass} 类比例 ${v}‰ 超过上限 ${rules.capPerMille[r.riskClass]}‰（${rules.generalRatioCap[r.riskClass]}）`, field: "departments" });
    }
    if (d.samplingRules.length === 0) problems.push({ message: "每个部门至少为一个风险类别填写抽取比例或数量", field: "departments" });
  });
  const body = { code: field(values, "code"), name: field(values, "name"), directed, conditions, windowStart: field(values, "windowStart"), windowEnd: field(values, "windowEnd"), departments };
  return { body, problem: problems[0] ?? null };
}

async function batchFormModel(ctx: PageContext, plan: PlanDetail, partnerIds: number[], values: FormBody, action: string, editing?: Batch): Promise<BatchFormModel> {
  const depts = await ctx.api.get<Department[]>("/departments");
  const byId = new Map(depts.map((d) => [d.id, d]));
  const lead = byId.get(plan.departmentId)!;
  const partners = partnerIds.filter((id) => id !== lead.id && byId.has(id)).map((id) => byId.get(id)!);
  const items = new Map<number, Item[]>();
  await Promise.all([lead, ...partners].map(async (d) => items.set(d.id, await ctx.api.get<Item[]>(`/departments/${d.id}/items`))));
  const [rules, caps] = await Promise.all([ctx.api.get<DrawRules>("/draw-rules"), ctx.api.get<FrequencyCaps[]>("/frequency-caps")]);
  return { action, plan, lead, partners, allDepartments: depts, items, rules, caps: new Map(caps.map((c) => [c.departmentId, c])), values, editing };
}

const idList = (v: string[]) => v.map(Number).filter((n) => Number.isInteger(n) && n > 0);

async function saveBatch(ctx: PageContext, plan: PlanDetail, editing?: Batch) {
  const partners = idList(fields(ctx.form, "partners"));
  const action = editing ? `${CONSOLE}/batches/${editing.id}/edit` : `${CONSOLE}/plans/${plan.id}/batches/new`;
  const m = await batchFormModel(ctx, plan, partners, ctx.form, action, editing);
  const names = new Map([m.lead, ...m.partners].map((d) => [d.id, d.name]));
  const { body, problem } = batchBody(ctx.form, { lead: m.lead.id, partners: m.partners.map((p) => p.id) }, m.rules, m.items, names);
  const title = editing ? `修改批次：${editing.name}` : "新建批次";
  const show = (error: ApiCallError) => ctx.render(html`<h1>${title}</h1>${batchForm({ ...m, error }, ctx.session.csrfToken)}`, { status: error.statusCode, title });
  if (problem) return show(new ApiCallError(422, "INVALID_BATCH", problem.message, problem.field));
  try {
    const saved = editing ? await ctx.api.put<Batch>(`/batches/${editing.id}`, body) : await ctx.api.post<Batch>(`/plans/${plan.id}/batches`, body);
    return ctx.redirect(`${CONSOLE}/batches/${saved.id}`, editing ? "批次已保存。" : "批次已建立。");
  } catch (e) {
    if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 403) return show(e);
    throw e;
  }
}

/** Form values of a stored batch (to edit it). */
function valuesOf(b: Batch): FormBody {
  const v: FormBody = {
    code: b.code,
    name: b.name,
    windowStart: b.windowStart,
    windowEnd: b.windowEnd,
    directed: b.directed ? "1" : "0",
    districts: (b.conditions.districts ?? []).join(", "),
    industries: (b.conditions.industries ?? []).join(", "),
    kinds: b.conditions.kinds ?? [],
    sizes: b.conditions.sizes ?? [],
  };
  for (const d of b.departments) {
    v[`d${d.departmentId}_items`] = d.itemIds.map(String);
    const c = d.conditions ?? {};
    v[`d${d.departmentId}_districts`] = (c.districts ?? []).join(", ");
    v[`d${d.departmentId}_industries`] = (c.industries ?? []).join(", ");
    v[`d${d.departmentId}_kinds`] = c.kinds ?? [];
    v[`d${d.departmentId}_sizes`] = c.sizes ?? [];
    for (const r of d.samplingRules) {
      v[q(d.departmentId, r.riskClass, "mode")] = r.count !== null ? "count" : "ratio";
      v[q(d.departmentId, r.riskClass, "value")] = String(r.count ?? r.ratioPerMille ?? "");
    }
  }
  return v;
}

// ── the batch page ─────────────────────────────────────────────────────────────────────────────

function quotaText(r: { riskClass: string; ratioPerMille: number | null; count: number | null }): string {
  return `${r.riskClass} 类 ${r.count !== null ? `${r.count} 户` : `${r.ratioPerMille}‰`}`;
}

function conditionsText(b: Batch): string {
  if (!b.directed) return "不定向（全部检查对象）";
  if (Object.keys(b.conditions).length === 0) return "定向：按各部门的定向条件（见下表）";
  return `定向：${conditionParts(b.conditions)}`;
}

/** A department's scope: its own conditions, or the batch's. */
function scopeText(b: Batch, d: BatchDept): string {
  if (!b.directed) return "全部检查对象";
  return d.conditions ? `本部门条件：${conditionParts(d.conditions)}` : `批次条件：${conditionParts(b.conditions)}`;
}

function conditionParts(c: Conditions): string {
  const parts = [
    c.districts?.length ? `区划 ${c.districts.join("、")}` : "",
    c.industries?.length ? `行业 ${c.industries.join("、")}` : "",
    c.kinds?.length ? `类型 ${c.kinds.map((k) => KIND_LABEL[k] ?? k).join("、")}` : "",
    c.sizes?.length ? `规模 ${c.sizes.map((k) => SIZE_LABEL[k] ?? k).join("、")}` : "",
  ].filter(Boolean);
  return parts.join("；");
}

async function batchPage(ctx: PageContext) {
  const b = await ctx.api.get<Batch>(`/batches/${ctx.params.id}`);
  const [plan, draws] = await Promise.all([ctx.api.get<PlanDetail>(`/plans/${b.planId}`).catch(() => null), ctx.api.get<Draw[]>(`/batches/${b.id}/draws`)]);
  const items = new Map<number, Item[]>();
  await Promise.all(b.departments.map(async (d) => items.set(d.departmentId, await ctx.api.get<Item[]>(`/departments/${d.departmentId}/items`))));
  const isLead = ctx.role === "admin" || (ctx.role === "officer" && ctx.departmentId === b.planDepartmentId);
  const live = draws.find((d) => d.status !== "void");
  const editable = draws.length === 0 && isLead && plan?.status !== "closed";
  const deptRows = b.departments.map((d) => {
    const list = items.get(d.departmentId) ?? [];
    return html`<tr>${td("部门", html`${d.departmentName}${d.role === "lead" ? "（牵头）" : "（配合）"}`)}${td(
      "检查事项",
      html`<ul>${d.itemIds.map((id) => {
        const it = list.find((x) => x.id === id);
        return html`<li>${it ? html`${it.name}（${it.importance === "key" ? "重点" : "一般"}）<br><span class="small muted">${it.legalBasis}</span>` : id}</li>`;
      })}</ul>`,
    )}${td("抽查范围", scopeText(b, d))}${td("抽取数量", d.samplingRules.map(quotaText).join("；") || "—")}</tr>`;
  });
  const drawRows = draws.map(
    (d) => html`<tr>${td("抽取", html`<a href="${CONSOLE}/draws/${d.id}">第 ${d.attempt} 次（编号 ${d.id}）</a>`)}${td("状态", badge(d.statusLabel, DRAW_BADGE[d.status] ?? ""))}${td(
      "承诺值",
      html`<code class="hash">${d.commitment}</code>`,
    )}${td("作废理由", d.voidReason ?? "")}</tr>`,
  );
  const commitForm =
    isLead && !live && plan?.status === "approved"
      ? html`<section aria-labelledby="commit-title"><h2 id="commit-title">开始抽取：冻结输入并公布承诺值</h2>
<p>冻结本批次的名录、排除对象、各部门事项和数量、执法人员及回避关系，计算承诺值并<strong>立即公示</strong>。之后任何人都不能改变这些输入；种子在承诺之后才产生。</p>
<form method="post" action="${CONSOLE}/batches/${b.id}/commit" class="form" data-busy data-confirm="冻结输入并公示承诺值后，本次抽取只能完成或作废（理由公开）。确定开始？">
${csrf(ctx.session.csrfToken)}
<fieldset><legend>种子方案（承诺时确定，不能更改）</legend>
<div class="checks" role="radiogroup" aria-label="种子方案">
<label><input type="radio" name="mode" value="commitReveal" checked> 承诺—公开：各参与部门在本部门浏览器中生成秘密值，先提交其哈希，全部提交后再公开，合成种子（推荐）</label>
<label><input type="radio" name="mode" value="external"> 外部公开随机数：事先指定一期冻结之后才公布的公开数值（如彩票开奖号码）</label></div>
<div class="row"><div class="field"><label for="source">外部随机数来源</label><input id="source" name="source" maxlength="200" placeholder="如 中国福利彩票 双色球"></div>
<div class="field"><label for="reference">期号</label><input id="reference" name="reference" maxlength="200" placeholder="如 2026140 期"></div></div>
</fieldset>
<div class="actions"><button type="submit">冻结输入并公布承诺值</button><span class="hint" data-busy-text hidden>正在冻结输入（名录较大时需要几秒）…</span></div>
</form></section>`
      : isLead && !live && plan?.status === "draft"
        ? html`<p class="note">计划尚未批准：批准计划（即公示）后才能抽取。<a href="${CONSOLE}/plans/${b.planId}">去批准</a></p>`
        : "";
  return ctx.render(html`<p class="small"><a href="${CONSOLE}/plans">抽查计划</a> › <a href="${CONSOLE}/plans/${b.planId}">${plan?.name ?? `计划 ${b.planId}`}</a> › ${b.name}</p>
<h1>批次：${b.name}</h1>
<dl class="kv"><dt>批次编号</dt><dd>${b.code}</dd><dt>检查时间</dt><dd>${b.windowStart} 至 ${b.windowEnd}</dd><dt>抽查方式</dt><dd>${conditionsText(b)}</dd><dt>状态</dt><dd>${BATCH_STATUS[b.status] ?? b.status}</dd></dl>
<table class="cards-sm"><caption>参与部门、检查事项、抽查范围和抽取数量</caption><thead><tr><th scope="col">部门</th><th scope="col">检查事项</th><th scope="col">抽查范围</th><th scope="col">抽取数量</th></tr></thead><tbody>${deptRows}</tbody></table>
<div class="actions">
${editable ? html`<a class="btn secondary" href="${CONSOLE}/batches/${b.id}/edit">修改批次</a>` : ""}
${editable && plan?.status === "draft" ? actionButton(`${CONSOLE}/batches/${b.id}/delete`, "删除批次", ctx.session.csrfToken, { secondary: true, confirm: "删除后不能恢复。确定删除此批次？" }) : ""}
${live?.status === "drawn" ? html`<a class="btn" href="${CONSOLE}/batches/${b.id}/schedule">排期与日历</a>` : ""}
<a href="${CONSOLE}/tasks?batch=${b.id}">本批次任务</a>
<a href="${CONSOLE}/exports/batches/${b.id}.xlsx">导出批次（XLSX）</a> <a href="${CONSOLE}/exports/batches/${b.id}.csv">（CSV）</a>
</div>
<h2>抽取记录</h2>
${draws.length ? html`<table class="cards-sm"><thead><tr><th scope="col">抽取</th><th scope="col">状态</th><th scope="col">承诺值</th><th scope="col">作废理由</th></tr></thead><tbody>${drawRows}</tbody></table>` : html`<p>尚未抽取。</p>`}
${commitForm}`);
}

export const planPages: ConsolePage[] = [
  { path: `${CONSOLE}/plans`, title: "抽查计划", roles: ALL, nav: { group: "plans", label: "抽查计划", order: 10 }, uses: ["GET /plans", "GET /departments"], handler: (ctx) => plansPage(ctx) },
  {
    path: `${CONSOLE}/plans`,
    method: "POST",
    title: "抽查计划",
    roles: WRITERS,
    uses: ["POST /plans", "GET /plans", "GET /departments"],
    handler: async (ctx) => {
      const body: Record<string, unknown> = { year: intField(ctx.form, "year"), name: field(ctx.form, "name") };
      if (ctx.role === "admin") body.departmentId = intField(ctx.form, "departmentId");
      try {
        const p = await ctx.api.post<Plan>("/plans", body);
        return ctx.redirect(`${CONSOLE}/plans/${p.id}`, "计划已建立（草稿）。下一步：新建批次。");
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 403) return plansPage(ctx, ctx.form, e);
        throw e;
      }
    },
  },
  { path: `${CONSOLE}/plans/:id`, title: "抽查计划", roles: ALL, uses: ["GET /plans/:id", "GET /departments"], handler: planDetail },
  {
    path: `${CONSOLE}/plans/:id/status`,
    method: "POST",
    title: "计划状态",
    roles: WRITERS,
    uses: ["POST /plans/:id/status"],
    handler: async (ctx) => {
      const status = field(ctx.form, "status");
      await ctx.api.post(`/plans/${ctx.params.id}/status`, { status });
      return ctx.redirect(`${CONSOLE}/plans/${ctx.params.id}`, status === "approved" ? "计划已批准并公示。" : "计划已关闭。");
    },
  },
  {
    path: `${CONSOLE}/plans/:id/batches/new`,
    title: "新建批次",
    roles: WRITERS,
    uses: ["GET /plans/:id", "GET /departments", "GET /departments/:id/items", "GET /draw-rules", "GET /frequency-caps"],
    handler: async (ctx) => {
      const plan = await ctx.api.get<PlanDetail>(`/plans/${ctx.params.id}`);
      const partners = idList(String(ctx.request.url.split("?")[1] ?? "").split("&").filter((p) => p.startsWith("partners=")).map((p) => decodeURIComponent(p.slice(9))));
      const m = await batchFormModel(ctx, plan, partners, {}, `${CONSOLE}/plans/${plan.id}/batches/new`);
      return ctx.render(html`<p class="small"><a href="${CONSOLE}/plans/${plan.id}">${plan.name}</a> › 新建批次</p><h1>新建批次</h1>${batchForm(m, ctx.session.csrfToken)}`);
    },
  },
  {
    path: `${CONSOLE}/plans/:id/batches/new`,
    method: "POST",
    title: "新建批次",
    roles: WRITERS,
    uses: ["GET /plans/:id", "GET /departments", "GET /departments/:id/items", "GET /draw-rules", "GET /frequency-caps", "POST /plans/:id/batches"],
    handler: async (ctx) => saveBatch(ctx, await ctx.api.get<PlanDetail>(`/plans/${ctx.params.id}`)),
  },
  { path: `${CONSOLE}/batches/:id`, title: "批次", roles: ALL, uses: ["GET /batches/:id", "GET /plans/:id", "GET /batches/:id/draws", "GET /departments/:id/items"], handler: batchPage },
  {
    path: `${CONSOLE}/batches/:id/edit`,
    title: "修改批次",
    roles: WRITERS,
    uses: ["GET /batches/:id", "GET /plans/:id", "GET /departments", "GET /departments/:id/items", "GET /draw-rules", "GET /frequency-caps"],
    handler: async (ctx) => {
      const b = await ctx.api.get<Batch>(`/batches/${ctx.params.id}`);
      const plan = await ctx.api.get<PlanDetail>(`/plans/${b.planId}`);
      const fromQuery = String(ctx.request.url.split("?")[1] ?? "").split("&").filter((p) => p.startsWith("partners=")).map((p) => decodeURIComponent(p.slice(9)));
      const partners = fromQuery.length ? idList(fromQuery) : b.departments.filter((d) => d.role === "partner").map((d) => d.departmentId);
      const m = await batchFormModel(ctx, plan, partners, valuesOf(b), `${CONSOLE}/batches/${b.id}/edit`, b);
      return ctx.render(html`<p class="small"><a href="${CONSOLE}/batches/${b.id}">${b.name}</a> › 修改</p><h1>修改批次：${b.name}</h1>${batchForm(m, ctx.session.csrfToken)}`);
    },
  },
  {
    path: `${CONSOLE}/batches/:id/edit`,
    method: "POST",
    title: "修改批次",
    roles: WRITERS,
    uses: ["GET /batches/:id", "GET /plans/:id", "GET /departments", "GET /departments/:id/items", "GET /draw-rules", "GET /frequency-caps", "PUT /batches/:id"],
    handler: async (ctx) => {
      const b = await ctx.api.get<Batch>(`/batches/${ctx.params.id}`);
      return saveBatch(ctx, await ctx.api.get<PlanDetail>(`/plans/${b.planId}`), b);
    },
  },
  {
    path: `${CONSOLE}/batches/:id/delete`,
    method: "POST",
    title: "删除批次",
    roles: WRITERS,
    uses: ["GET /batches/:id", "DELETE /batches/:id"],
    handler: async (ctx) => {
      const b = await ctx.api.get<Batch>(`/batches/${ctx.params.id}`);
      await ctx.api.del(`/batches/${b.id}`);
      return ctx.redirect(`${CONSOLE}/plans/${b.planId}`, `批次“${b.name}”已删除。`);
    },
  },
  {
    path: `${CONSOLE}/batches/:id/commit`,
    method: "POST",
    title: "冻结输入",
    roles: WRITERS,
    uses: ["POST /batches/:id/draws"],
    handler: async (ctx) => {
      const seed = field(ctx.form, "mode") === "external" ? { mode: "external", source: field(ctx.form, "source"), reference: field(ctx.form, "reference") } : { mode: "commitReveal" };
      const d = await ctx.api.post<Draw>(`/batches/${ctx.params.id}/draws`, { seed });
      return ctx.redirect(`${CONSOLE}/draws/${d.id}`, "输入已冻结，承诺值已公示。");
    },
  },
];
