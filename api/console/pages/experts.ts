/**
 * 专家库 and 回避 (administrators): the expert libraries searched and paged on the server, an
 * expert added or edited (specialities, districts served, days unavailable, organization),
 * disabled or enabled again; recusals (an inspector or an expert × an entity, with the reason)
 * listed, recorded and withdrawn. Everything here is private: experts' names and recusals never
 * appear on a public page. Forms check as typed (pattern + data-message, console.js) and the
 * page and the API check again, naming the field in Chinese.
 */
import { randomBytes } from "node:crypto";
import { ApiCallError, answer, field, type ConsolePage, type FormBody, type PageContext } from "../framework.ts";
import { beijing, html, options, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { ADMIN, actionButton, badge, csrf, pageOffset, pager, td, type Department } from "./shared.ts";

const LIMIT = 50;

export interface Expert {
  id: number;
  name: string;
  certificateNo: string | null;
  organization: string | null;
  department: string | null;
  specialities: string[];
  districts: string[];
  unavailable: string[];
  active: boolean;
}
interface Recusal {
  id: number;
  kind: "inspector" | "expert";
  person: { id: number; name: string; certificateNo: string | null; department: string | null };
  entity: { code: string; name: string | null };
  reason: string;
  createdAt: string;
}

const EXPERT_LABELS = { name: "姓名", certificateNo: "证件号", organization: "工作单位", departmentId: "专家库", specialities: "专业", districts: "服务区域", unavailable: "不能参加的日期", active: "状态" };
const RECUSAL_LABELS = { kind: "人员类别", certificateNo: "证件号", entityCode: "企业代码", reason: "回避理由" };
const PERSON_KIND: Record<string, string> = { inspector: "执法人员", expert: "专家" };
const DISTRICTS = "^[0-9]{2,6}([\\s,，、;；]+[0-9]{2,6})*[\\s,，、;；]*$";
const DATES = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([\\s,，、;；]+[0-9]{4}-[0-9]{2}-[0-9]{2})*[\\s,，、;；]*$";

const isRefusal = (e: unknown): e is ApiCallError => e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401 && e.statusCode !== 403;
/** "body.districts[2]" → "districts", so the error names the form's field. */
const plainField = (e: ApiCallError) => new ApiCallError(e.statusCode, e.code, e.message, e.field?.replace(/^body\./, "").replace(/\[\d+\]$/, ""), e.details);
const invalid = (name: string, message: string) => new ApiCallError(422, "VALIDATION_FAILED", message, name);

/** A list typed as text: separated by spaces, commas (，), 、 or semicolons. */
export const listOf = (text: string): string[] => [...new Set(text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean))];

const libraryName = (code: string | null, depts: Department[]) => (code === null ? "共享专家库" : depts.find((d) => d.code === code)?.name ?? code);

// ── the list ───────────────────────────────────────────────────────────────────────────────────

function filters(q: string, department: string, active: string, depts: Department[]): Html {
  return html`<form method="get" action="${CONSOLE}/experts" class="filters" role="search">
<div class="field"><label for="q">姓名、证件号或单位</label><input id="q" name="q" maxlength="100" value="${q}"></div>
<div class="field"><label for="department">专家库</label><select id="department" name="department">${options(
    [{ value: "", label: "全部" }, { value: "shared", label: "共享专家库" }, ...depts.map((d) => ({ value: d.id, label: d.name }))],
    department,
  )}</select></div>
<div class="field"><label for="active">状态</label><select id="active" name="active">${options(
    [
      { value: "", label: "全部" },
      { value: "true", label: "可抽取" },
      { value: "false", label: "已停用" },
    ],
    active,
  )}</select></div>
<button type="submit" class="secondary">查找</button></form>`;
}

function expertRow(ctx: PageContext, x: Expert, depts: Department[]): Html {
  const toggle = x.active
    ? actionButton(`${CONSOLE}/experts/${x.id}/active`, "停用", ctx.session.csrfToken, { secondary: true, fields: { active: "false" }, confirm: `停用“${x.name}”后此后的抽取不再抽到该专家（已承诺的抽取不受影响）。确定停用？` })
    : actionButton(`${CONSOLE}/experts/${x.id}/active`, "恢复可抽取", ctx.session.csrfToken, { secondary: true, fields: { active: "true" } });
  return html`<tr>${td("姓名", x.name)}${td("证件号", x.certificateNo ?? "")}${td("工作单位", x.organization ?? "")}${td("专家库", libraryName(x.department, depts))}${td("专业", x.specialities.join("、"))}${td(
    "服务区域",
    x.districts.join("、") || "不限",
  )}${td("状态", x.active ? badge("可抽取", "b-ok") : badge("已停用", "b-bad"))}${td("操作", html`<a href="${CONSOLE}/experts/${x.id}">编辑</a> ${toggle}`)}</tr>`;
}

async function expertsPage(ctx: PageContext) {
  const depts = await ctx.api.get<Department[]>("/departments");
  const q = (ctx.query.q ?? "").trim().slice(0, 100);
  const department = ctx.query.department === "shared" || /^\d+$/.test(ctx.query.department ?? "") ? ctx.query.department! : "";
  const active = ctx.query.active === "true" || ctx.query.active === "false" ? ctx.query.active : "";
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<{ total: number; items: Expert[] }>("/experts/search", { q, department, active, limit: LIMIT, offset });
  const kept: Record<string, string> = {};
  if (q) kept.q = q;
  if (department) kept.department = department;
  if (active) kept.active = active;
  return ctx.render(
    html`<h1>专家库</h1>
<p>专家参加检查组时不计入两名执法人员。专家姓名、证件号和回避只供内部抽取使用，从不公示。<a href="${CONSOLE}/experts/new">新增专家</a> · <a href="${CONSOLE}/recusals">回避登记</a></p>
${filters(q, department, active, depts)}
${page.items.length
  ? html`<table class="cards-sm"><caption>共 ${page.total} 位专家</caption><thead><tr><th scope="col">姓名</th><th scope="col">证件号</th><th scope="col">工作单位</th><th scope="col">专家库</th><th scope="col">专业</th><th scope="col">服务区域</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead><tbody>${page.items.map((x) => expertRow(ctx, x, depts))}</tbody></table>`
  : html`<p>没有符合条件的专家。</p>`}
${pager(`${CONSOLE}/experts`, kept, page.total, offset, LIMIT)}`,
    { wide: true },
  );
}

// ── add and edit ───────────────────────────────────────────────────────────────────────────────

const text = (id: string, label: string, value: string, attrs: Html, help?: string) =>
  html`<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${id}" value="${value}" ${attrs}${help ? html` aria-describedby="${id}-h"` : ""}>${help ? html`<small id="${id}-h">${help}</small>` : ""}</div>`;

function listFields(v: FormBody, x: Expert | null): Html {
  const fv = (name: string, fallback: string) => (v[name] !== undefined ? field(v, name) : fallback);
  return html`<div class="row">
${text("specialities", "专业（多个用逗号或顿号分隔）", fv("specialities", x?.specialities.join("、") ?? ""), html`required maxlength="2000" data-message="请至少填写一项专业"`, "如 食品安全、特种设备")}
${text("districts", "服务区域（区划代码前缀，可多个）", fv("districts", x?.districts.join(" ") ?? ""), html`maxlength="1000" pattern="${DISTRICTS}" data-message="区划代码前缀为 2–6 位数字，多个用空格或逗号分隔" inputmode="numeric"`, "如 4601 460105；留空为不限")}
</div><div class="row">
${text("unavailable", "不能参加的日期", fv("unavailable", x?.unavailable.join(" ") ?? ""), html`maxlength="4000" pattern="${DATES}" data-message="日期写作 年-月-日（如 2026-03-02），多个用空格或逗号分隔"`, "如 2026-03-02 2026-03-03；留空为无")}
${text("organization", "工作单位", fv("organization", x?.organization ?? ""), html`maxlength="200"`)}
</div>`;
}

function expertForm(ctx: PageContext, depts: Department[], v: FormBody, x: Expert | null, error?: ApiCallError | null): Html {
  const action = x ? `${CONSOLE}/experts/${x.id}` : `${CONSOLE}/experts`;
  const head = x
    ? html`<p>${x.name}（证件号 ${x.certificateNo ?? "无"}，${libraryName(x.department, depts)}）${x.active ? "" : badge("已停用", "b-bad")}</p>`
    : html`<div class="row">
${text("name", "姓名", field(v, "name"), html`required maxlength="100" data-message="请填写专家姓名"`)}
${text("certificateNo", "证件号", field(v, "certificateNo"), html`required maxlength="64" data-message="请填写证件号（专家在抽取清单中的编号，不公开）"`, "专家在抽取清单中的编号（不公开）")}
<div class="field"><label for="departmentId">专家库</label><select id="departmentId" name="departmentId">${options(
        [{ value: "", label: "共享专家库" }, ...depts.map((d) => ({ value: d.id, label: d.name }))],
        field(v, "departmentId"),
      )}</select></div></div>`;
  return html`${errorBox(error, EXPERT_LABELS)}
<form method="post" action="${action}" class="form" data-busy>${csrf(ctx.session.csrfToken)}${head}${listFields(v, x)}
<div class="actions"><button type="submit">${x ? "保存" : "加入专家库"}</button> <a href="${CONSOLE}/experts">返回专家库</a></div></form>`;
}

/** The form's lists, checked here first so that the message names the field. */
export function expertLists(f: FormBody): { specialities: string[]; districts: string[]; unavailable: string[] } {
  const specialities = listOf(field(f, "specialities"));
  const districts = listOf(field(f, "districts"));
  const unavailable = listOf(field(f, "unavailable"));
  if (specialities.length === 0) throw invalid("specialities", "至少要有一项专业");
  const d = districts.find((s) => !/^[0-9]{2,6}$/.test(s));
  if (d !== undefined) throw invalid("districts", `“${d}”不是 2–6 位数字的区划代码前缀`);
  const u = unavailable.find((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)));
  if (u !== undefined) throw invalid("unavailable", `“${u}”不是日期（年-月-日）`);
  return { specialities, districts, unavailable };
}

async function newExpertPage(ctx: PageContext, v: FormBody = {}, error?: ApiCallError | null) {
  const depts = await ctx.api.get<Department[]>("/departments");
  return ctx.render(html`<h1>新增专家</h1>${expertForm(ctx, depts, v, null, error)}`, { title: "新增专家", status: error ? error.statusCode : 200 });
}

async function editExpertPage(ctx: PageContext, v: FormBody = {}, error?: ApiCallError | null) {
  const [depts, x] = await Promise.all([ctx.api.get<Department[]>("/departments"), ctx.api.get<Expert>(`/experts/${Number(ctx.params.id)}`)]);
  return ctx.render(html`<h1>编辑专家</h1>${expertForm(ctx, depts, v, x, error)}
<p class="hint">姓名和证件号不可修改（已承诺的抽取以证件号记录专家）；回避在<a href="${CONSOLE}/recusals?person=${encodeURIComponent(x.certificateNo ?? x.name)}">回避登记</a>中维护。</p>`, { title: "编辑专家", status: error ? error.statusCode : 200 });
}

async function createExpert(ctx: PageContext) {
  try {
    const lists = expertLists(ctx.form);
    const dept = field(ctx.form, "departmentId");
    const body: Record<string, unknown> = { name: field(ctx.form, "name"), certificateNo: field(ctx.form, "certificateNo"), departmentId: dept ? Number(dept) : null, ...lists };
    if (field(ctx.form, "organization")) body.organization = field(ctx.form, "organization");
    const x = await ctx.api.post<Expert>("/experts", body);
    return ctx.redirect(`${CONSOLE}/experts?q=${encodeURIComponent(x.certificateNo ?? x.name)}`, `已将 ${x.name} 加入${x.department ? "部门专家库" : "共享专家库"}。`);
  } catch (e) {
    if (isRefusal(e)) return newExpertPage(ctx, ctx.form, plainField(e));
    throw e;
  }
}

async function updateExpert(ctx: PageContext) {
  try {
    const body = { ...expertLists(ctx.form), organization: field(ctx.form, "organization") || null };
    const x = await ctx.api.put<Expert>(`/experts/${Number(ctx.params.id)}`, body);
    return ctx.redirect(`${CONSOLE}/experts/${x.id}`, `已保存 ${x.name} 的资料。`);
  } catch (e) {
    if (isRefusal(e)) return editExpertPage(ctx, ctx.form, plainField(e));
    throw e;
  }
}

async function setActive(ctx: PageContext) {
  const active = field(ctx.form, "active") === "true";
  const x = await ctx.api.put<Expert>(`/experts/${Number(ctx.params.id)}`, { active });
  return ctx.redirect(`${CONSOLE}/experts?q=${encodeURIComponent(x.certificateNo ?? x.name)}`, active ? `${x.name} 已恢复为可抽取。` : `${x.name} 已停用：此后的抽取不再抽到该专家。`);
}

// ── recusals ───────────────────────────────────────────────────────────────────────────────────

function recusalForm(ctx: PageContext, v: FormBody, error?: ApiCallError | null): Html {
  return html`<section aria-labelledby="new-recusal"><h2 id="new-recusal">登记回避</h2>
${errorBox(error, RECUSAL_LABELS)}
<form method="post" action="${CONSOLE}/recusals" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="row">
<div class="field"><label for="r-kind">人员类别</label><select id="r-kind" name="kind">${options(
    [
      { value: "inspector", label: "执法人员（执法证号）" },
      { value: "expert", label: "专家（证件号）" },
    ],
    field(v, "kind") || "inspector",
  )}</select></div>
${text("certificateNo", "证件号", field(v, "certificateNo"), html`required maxlength="64" data-message="请填写执法证号或专家证件号"`)}
${text("entityCode", "企业代码", field(v, "entityCode"), html`required maxlength="23" pattern="[0-9A-Za-z]{1,23}" data-message="企业代码为 1–23 位数字和字母（统一社会信用代码或注册号）"`, "统一社会信用代码或注册号")}
</div>
<div class="field"><label for="reason">回避理由</label><textarea id="reason" name="reason" required maxlength="500" rows="2" data-message="请写明回避理由">${field(v, "reason")}</textarea></div>
<div class="actions"><button type="submit">登记回避</button></div>
<p class="hint">登记后，此后的抽取不再把该人员派往该企业；已承诺的抽取保留其冻结的名录。回避不公示。</p></form></section>`;
}

function uploadForm(ctx: PageContext, error?: ApiCallError | null): Html {
  const details = error?.details?.length ? html`<ul class="note">${error.details.map((d) => html`<li>${d.message}</li>`)}</ul>` : "";
  return html`<section aria-labelledby="upload-recusals"><h2 id="upload-recusals">从文件登记回避</h2>
${errorBox(error && { message: error.details?.length ? `文件有 ${error.details.length} 处问题，未导入（见下）` : error.message, field: "file" }, { file: "文件" })}${details}
<form method="post" action="${CONSOLE}/recusals/import" enctype="multipart/form-data" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="field"><label for="recusal-file">文件（XLSX 或 CSV）</label><input id="recusal-file" name="file" type="file" required accept=".csv,.xlsx" aria-describedby="recusal-file-h"><small id="recusal-file-h">第一行为表头：人员类别（执法人员或专家）、证件号、企业代码、回避理由</small></div>
<div class="actions"><button type="submit">上传并登记</button></div>
<p class="hint">先核对整个文件：任何一行有误（人员或企业不在名录中等）则一行也不导入，并逐行说明；已登记过的回避计为未变。</p></form></section>`;
}

/** The file forwarded to the API's multipart route as the administrator. */
async function forwardFile(ctx: PageContext, url: string): Promise<{ rows: number; created: number; unchanged: number }> {
  const file = ctx.files.file;
  if (!file) throw invalid("file", "请选择要上传的文件");
  const boundary = `----ssj${randomBytes(12).toString("hex")}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename.replace(/["\r\n]/g, "_")}"\r\nContent-Type: ${file.mimetype || "application/octet-stream"}\r\n\r\n`, "utf8"),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`, "utf8"),
  ]);
  return answer(await ctx.api.raw("POST", url, body, `multipart/form-data; boundary=${boundary}`));
}

async function importRecusals(ctx: PageContext) {
  try {
    const r = await forwardFile(ctx, "/recusals/import");
    return ctx.redirect(`${CONSOLE}/recusals`, `已从文件读取 ${r.rows} 行：新登记 ${r.created} 项回避，${r.unchanged} 项此前已登记。`);
  } catch (e) {
    if (isRefusal(e)) return recusalsPage(ctx, {}, null, e);
    throw e;
  }
}

function recusalRow(ctx: PageContext, r: Recusal): Html {
  const del = actionButton(`${CONSOLE}/recusals/${r.kind}/${r.id}/delete`, "撤销", ctx.session.csrfToken, { secondary: true, confirm: `撤销 ${r.person.name} 对 ${r.entity.code} 的回避？` });
  return html`<tr>${td("人员", r.person.name)}${td("类别", PERSON_KIND[r.kind])}${td("证件号", r.person.certificateNo ?? "")}${td("企业", html`${r.entity.name ?? "（不在名录中）"} <code>${r.entity.code}</code>`)}${td("理由", r.reason)}${td(
    "登记时间",
    beijing(r.createdAt),
  )}${td("操作", del)}</tr>`;
}

async function recusalsPage(ctx: PageContext, v: FormBody = {}, error?: ApiCallError | null, uploadError?: ApiCallError | null) {
  const person = (ctx.query.person ?? "").trim().slice(0, 100);
  const entity = /^[0-9A-Za-z]{1,23}$/.test(ctx.query.entity ?? "") ? ctx.query.entity!.toUpperCase() : "";
  const kind = ctx.query.kind === "inspector" || ctx.query.kind === "expert" ? ctx.query.kind : "";
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<{ total: number; items: Recusal[] }>("/recusals", { person, entity, kind, limit: LIMIT, offset });
  const kept: Record<string, string> = {};
  if (person) kept.person = person;
  if (entity) kept.entity = entity;
  if (kind) kept.kind = kind;
  return ctx.render(
    html`<h1>回避登记</h1>
<p>执法人员或专家与检查对象有利害关系的（行政处罚法第四十三条），登记后抽取时不派往该企业。回避只供内部抽取和审计使用，从不公示。<a href="${CONSOLE}/experts">专家库</a></p>
<form method="get" action="${CONSOLE}/recusals" class="filters" role="search">
<div class="field"><label for="person">人员姓名或证件号</label><input id="person" name="person" maxlength="100" value="${person}"></div>
<div class="field"><label for="entity">企业代码（前缀）</label><input id="entity" name="entity" maxlength="23" pattern="[0-9A-Za-z]{1,23}" value="${entity}"></div>
<div class="field"><label for="kind">人员类别</label><select id="kind" name="kind">${options(
      [
        { value: "", label: "全部" },
        { value: "inspector", label: "执法人员" },
        { value: "expert", label: "专家" },
      ],
      kind,
    )}</select></div>
<button type="submit" class="secondary">查找</button></form>
${page.items.length
  ? html`<table class="cards-sm"><caption>共 ${page.total} 项回避</caption><thead><tr><th scope="col">人员</th><th scope="col">类别</th><th scope="col">证件号</th><th scope="col">企业</th><th scope="col">理由</th><th scope="col">登记时间</th><th scope="col">操作</th></tr></thead><tbody>${page.items.map((r) => recusalRow(ctx, r))}</tbody></table>`
  : html`<p>没有符合条件的回避登记。</p>`}
${pager(`${CONSOLE}/recusals`, kept, page.total, offset, LIMIT)}
${recusalForm(ctx, v, error)}
${uploadForm(ctx, uploadError)}`,
    { wide: true, status: (error ?? uploadError)?.statusCode ?? 200 },
  );
}

async function createRecusal(ctx: PageContext) {
  const kind = field(ctx.form, "kind");
  const body = { kind, certificateNo: field(ctx.form, "certificateNo"), entityCode: field(ctx.form, "entityCode").toUpperCase(), reason: field(ctx.form, "reason") };
  try {
    if (kind !== "inspector" && kind !== "expert") throw invalid("kind", "请选择人员类别");
    if (!body.certificateNo) throw invalid("certificateNo", "请填写证件号");
    if (!/^[0-9A-Z]{1,23}$/.test(body.entityCode)) throw invalid("entityCode", "企业代码为 1–23 位数字和字母");
    if (!body.reason) throw invalid("reason", "请写明回避理由");
    const r = await ctx.api.post<Recusal>("/recusals", body);
    return ctx.redirect(`${CONSOLE}/recusals?entity=${r.entity.code}`, `已登记 ${r.person.name} 对 ${r.entity.name ?? r.entity.code} 的回避。`);
  } catch (e) {
    if (isRefusal(e)) return recusalsPage(ctx, ctx.form, plainField(e));
    throw e;
  }
}

async function deleteRecusal(ctx: PageContext) {
  const kind = ctx.params.kind === "expert" ? "expert" : "inspector";
  await ctx.api.del(`/recusals/${kind}/${Number(ctx.params.id)}`);
  return ctx.redirect(`${CONSOLE}/recusals`, "回避登记已撤销。");
}

const E = `${CONSOLE}/experts`;
const R = `${CONSOLE}/recusals`;

export const expertPages: ConsolePage[] = [
  { path: E, title: "专家库", roles: ADMIN, nav: { group: "admin", label: "专家库", order: 26 }, uses: ["GET /experts/search", "GET /departments"], handler: expertsPage },
  { path: `${E}/new`, title: "新增专家", roles: ADMIN, uses: ["GET /departments"], handler: (ctx) => newExpertPage(ctx) },
  { path: E, method: "POST", title: "新增专家", roles: ADMIN, uses: ["POST /experts", "GET /departments"], handler: createExpert },
  { path: `${E}/:id`, title: "编辑专家", roles: ADMIN, uses: ["GET /experts/:id", "GET /departments"], handler: (ctx) => editExpertPage(ctx) },
  { path: `${E}/:id`, method: "POST", title: "编辑专家", roles: ADMIN, uses: ["PUT /experts/:id", "GET /experts/:id", "GET /departments"], handler: updateExpert },
  { path: `${E}/:id/active`, method: "POST", title: "停用或恢复专家", roles: ADMIN, uses: ["PUT /experts/:id"], handler: setActive },
  { path: R, title: "回避登记", roles: ADMIN, nav: { group: "admin", label: "回避登记", order: 27 }, uses: ["GET /recusals"], handler: (ctx) => recusalsPage(ctx) },
  { path: R, method: "POST", title: "回避登记", roles: ADMIN, uses: ["POST /recusals", "GET /recusals"], handler: createRecusal },
  { path: `${R}/import`, method: "POST", multipart: true, title: "从文件登记回避", roles: ADMIN, uses: ["POST /recusals/import", "GET /recusals"], handler: importRecusals },
  { path: `${R}/:kind/:id/delete`, method: "POST", title: "撤销回避", roles: ADMIN, uses: ["DELETE /recusals/:kind/:id"], handler: deleteRecusal },
];
