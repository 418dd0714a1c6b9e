/**
 * 管理 (administrators): users (create an officer's console account with an initial password,
 * reset it, disable the user), the directories (entities and inspectors, searched and paged on the
 * server), imports (upload with a progress bar, the row-by-row report on screen, templates), and
 * configuration forms (sampling caps and team rule, scheduling capacity, publication deadline,
 * result-category labels, holiday tables), each checked in the form and again by the API.
 */
import { randomBytes } from "node:crypto";
import { ApiCallError, answer, field, intField, type ConsolePage, type FormBody, type PageContext } from "../framework.ts";
import { beijing, html, options, raw, type Html } from "../html.ts";
import { CONSOLE, ROLE_LABEL, errorBox } from "../layout.ts";
import { capBody, capKey, capsSection, type FrequencyCaps } from "./capsConfig.ts";
import { ADMIN, KIND_LABEL, RISK_CLASSES, RISK_LABEL, badge, csrf, pageOffset, pager, td, actionButton, type Category, type Department, type Item } from "./shared.ts";

const LIMIT = 50;

interface User {
  id: number;
  name: string;
  role: "admin" | "officer" | "auditor";
  departmentId: number | null;
  departmentCode: string | null;
  createdAt: string;
  revokedAt: string | null;
  login?: string | null;
  mustChangePassword?: boolean;
  lockedUntil?: string | null;
}

const isRefusal = (e: unknown): e is ApiCallError => e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401 && e.statusCode !== 403;

// ── users ──────────────────────────────────────────────────────────────────────────────────────

const USER_LABELS = { name: "姓名", role: "角色", department: "部门", login: "登录账号", password: "初始密码" };

function userForm(ctx: PageContext, depts: Department[], v: FormBody, error?: ApiCallError | null): Html {
  const role = field(v, "role") || "officer";
  return html`<section aria-labelledby="new-user"><h2 id="new-user">建立工作台账号</h2>
${errorBox(error, USER_LABELS)}
<form method="post" action="${CONSOLE}/users" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="row">
<div class="field"><label for="u-name">姓名</label><input id="u-name" name="name" required maxlength="100" value="${field(v, "name")}"></div>
<div class="field"><label for="u-role">角色</label><select id="u-role" name="role">${options(
    (["officer", "admin", "auditor"] as const).map((r) => ({ value: r, label: ROLE_LABEL[r] })),
    role,
  )}</select></div>
<div class="field"><label for="u-dept">部门（科员必填）</label><select id="u-dept" name="department">${options([{ value: "", label: "（无）" }, ...depts.map((d) => ({ value: d.code, label: d.name }))], field(v, "department"))}</select></div>
</div><div class="row">
<div class="field"><label for="u-login">登录账号</label><input id="u-login" name="login" required minlength="3" maxlength="40" pattern="[A-Za-z0-9._-]{3,40}" autocomplete="off" value="${field(v, "login")}" aria-describedby="u-login-h"><small id="u-login-h">3–40 个字母、数字或 . _ -</small></div>
<div class="field"><label for="u-password">初始密码</label><input id="u-password" name="password" required minlength="10" maxlength="128" autocomplete="new-password" value="${field(v, "password") || suggestPassword()}" aria-describedby="u-pw-h"><small id="u-pw-h">至少 10 个字符；请当面或以安全方式告知本人，首次登录须修改</small></div>
</div>
<div class="actions"><button type="submit">建立账号</button></div></form></section>`;
}

/** A random initial password (shown to the administrator once, to hand over). */
const suggestPassword = () => `Ssj-${randomBytes(6).toString("base64url")}-${randomBytes(2).toString("hex")}`;

async function usersPage(ctx: PageContext, v: FormBody = {}, error?: ApiCallError | null) {
  const [users, depts] = await Promise.all([ctx.api.get<User[]>("/users"), ctx.api.get<Department[]>("/departments")]);
  const names = new Map(depts.map((d) => [d.id, d.name]));
  const q = (ctx.query.q ?? "").trim();
  const filtered = q ? users.filter((u) => u.name.includes(q) || (u.login ?? "").includes(q)) : users;
  const offset = pageOffset(ctx.query);
  const rows = filtered.slice(offset, offset + LIMIT).map((u) => {
    const state = u.revokedAt ? badge("已停用", "b-bad") : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? badge("已锁定", "b-warn") : u.mustChangePassword ? badge("待修改初始密码", "b-info") : badge("正常", "b-ok");
    const actions = u.revokedAt
      ? ""
      : html`<details><summary>重置密码 / 停用</summary>
<form method="post" action="${CONSOLE}/users/${u.id}/password" class="form">${csrf(ctx.session.csrfToken)}
<div class="field"><label for="pw-${u.id}">新的初始密码</label><input id="pw-${u.id}" name="password" required minlength="10" maxlength="128" autocomplete="off" value="${suggestPassword()}"></div>
${u.login ? "" : html`<div class="field"><label for="lg-${u.id}">开通工作台登录账号</label><input id="lg-${u.id}" name="login" required minlength="3" maxlength="40"></div>`}
<div class="actions"><button type="submit" class="secondary">重置密码（解除锁定，结束其全部登录）</button></div></form>
${actionButton(`${CONSOLE}/users/${u.id}/revoke`, "停用此用户", ctx.session.csrfToken, { secondary: true, confirm: `停用“${u.name}”后其令牌和登录立即失效，不能恢复。确定停用？` })}</details>`;
    return html`<tr>${td("姓名", u.name)}${td("登录账号", u.login ?? "（仅 API 令牌）")}${td("角色", ROLE_LABEL[u.role])}${td("部门", u.departmentId !== null ? names.get(u.departmentId) ?? "" : "")}${td("状态", state)}${td("建立时间", beijing(u.createdAt))}${td("操作", actions)}</tr>`;
  });
  return ctx.render(
    html`<h1>用户</h1>
<form method="get" action="${CONSOLE}/users" class="filters" role="search"><div class="field"><label for="q">姓名或账号</label><input id="q" name="q" value="${q}"></div><button type="submit" class="secondary">查找</button></form>
<table class="cards-sm"><caption>工作台用户和 API 用户</caption><thead><tr><th scope="col">姓名</th><th scope="col">登录账号</th><th scope="col">角色</th><th scope="col">部门</th><th scope="col">状态</th><th scope="col">建立时间</th><th scope="col">操作</th></tr></thead><tbody>${rows}</tbody></table>
${pager(`${CONSOLE}/users`, q ? { q } : {}, filtered.length, offset, LIMIT)}
${userForm(ctx, depts, v, error)}`,
    { status: error ? error.statusCode : 200, wide: true },
  );
}

// ── directories ────────────────────────────────────────────────────────────────────────────────

interface Entity {
  id: number;
  code: string;
  codeKind: string;
  name: string;
  districtCode: string;
  address: string | null;
  industryCode: string | null;
  kind: string;
  status: string;
  riskClass: string | null;
  size: string | null;
}
interface Inspector {
  id: number;
  departmentId: number;
  name: string;
  certificateNo: string;
  qualifications: string[];
  specialities: string[];
  districts: string[];
  active: boolean;
}

const ENTITY_STATUS: Record<string, string> = { active: "存续", revoked: "吊销", cancelled: "注销", abnormal: "经营异常" };

async function entitiesPage(ctx: PageContext) {
  const name = (ctx.query.name ?? "").trim().slice(0, 100);
  const district = /^\d{2,6}$/.test(ctx.query.district ?? "") ? ctx.query.district! : "";
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<{ total: number; items: Entity[] }>("/entities", { name, district, limit: LIMIT, offset });
  const rows = page.items.map(
    (e) => html`<tr>${td("名称", e.name)}${td("代码", html`<code>${e.code}</code>`)}${td("区划", e.districtCode)}${td("行业", e.industryCode ?? "")}${td("类型", KIND_LABEL[e.kind] ?? e.kind)}${td(
      "状态",
      ENTITY_STATUS[e.status] ?? e.status,
    )}${td("风险类别（内部）", e.riskClass ? RISK_LABEL[e.riskClass] ?? e.riskClass : "未分类")}${td("地址", e.address ?? "")}</tr>`,
  );
  const kept: Record<string, string> = {};
  if (name) kept.name = name;
  if (district) kept.district = district;
  return ctx.render(
    html`<h1>检查对象名录库</h1>
<p>名录在服务器上检索和分页（可容纳数百万户）。风险类别只供内部抽取使用，从不公示。<a href="${CONSOLE}/imports">导入名录</a></p>
<form method="get" action="${CONSOLE}/entities" class="filters" role="search">
<div class="field"><label for="name">名称含</label><input id="name" name="name" maxlength="100" value="${name}"></div>
<div class="field"><label for="district">区划代码（前缀）</label><input id="district" name="district" inputmode="numeric" pattern="[0-9]{2,6}" value="${district}" size="8"></div>
<button type="submit" class="secondary">查找</button></form>
${page.items.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">名称</th><th scope="col">代码</th><th scope="col">区划</th><th scope="col">行业</th><th scope="col">类型</th><th scope="col">状态</th><th scope="col">风险类别（内部）</th><th scope="col">地址</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有符合条件的检查对象。</p>`}
${pager(`${CONSOLE}/entities`, kept, page.total, offset, LIMIT)}`,
    { wide: true },
  );
}

async function inspectorsPage(ctx: PageContext) {
  const depts = await ctx.api.get<Department[]>("/departments");
  const department = ctx.role === "officer" ? "" : /^\d+$/.test(ctx.query.department ?? "") ? ctx.query.department! : "";
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<{ total: number; items: Inspector[] }>("/inspectors", { department, limit: LIMIT, offset });
  const names = new Map(depts.map((d) => [d.id, d.name]));
  const rows = page.items.map(
    (i) => html`<tr>${td("姓名", i.name)}${td("执法证号", i.certificateNo)}${td("部门", names.get(i.departmentId) ?? "")}${td("资格", i.qualifications.join("、"))}${td("专长", i.specialities.join("、"))}${td(
      "状态",
      i.active ? "在岗" : "不在岗",
    )}</tr>`,
  );
  return ctx.render(
    html`<h1>执法检查人员名录库</h1>
${ctx.role === "admin" ? html`<p><a href="${CONSOLE}/imports">导入执法人员名录</a></p>` : ""}
${ctx.role === "officer"
  ? html`<p>${names.get(ctx.departmentId ?? 0) ?? ""}的执法人员（科员只能查看本部门）。</p>`
  : html`<form method="get" action="${CONSOLE}/inspectors" class="filters" role="search"><div class="field"><label for="department">部门</label><select id="department" name="department">${options(
      [{ value: "", label: "全部部门" }, ...depts.map((d) => ({ value: d.id, label: d.name }))],
      department,
    )}</select></div><button type="submit" class="secondary">查找</button></form>`}
<table class="cards-sm"><thead><tr><th scope="col">姓名</th><th scope="col">执法证号</th><th scope="col">部门</th><th scope="col">资格</th><th scope="col">专长</th><th scope="col">状态</th></tr></thead><tbody>${rows}</tbody></table>
${pager(`${CONSOLE}/inspectors`, department ? { department } : {}, page.total, offset, LIMIT)}`,
    { wide: true },
  );
}

// ── departments ──────────────────────────────────────────────────────────────────────────────

const LEVEL_LABEL: Record<string, string> = { city: "市级", district: "区县级", zone: "开发区" };

async function departmentsPage(ctx: PageContext, v: FormBody = {}, error?: ApiCallError | null) {
  const depts = await ctx.api.get<(Department & { parentId: number | null })[]>("/departments");
  const names = new Map(depts.map((d) => [d.id, d.name]));
  const offset = pageOffset(ctx.query);
  const rows = depts.slice(offset, offset + LIMIT).map(
    (d) => html`<tr>${td("代码", d.code)}${td("名称", d.name)}${td("层级", LEVEL_LABEL[d.level] ?? d.level)}${td("区划代码", d.districtCode)}${td("上级部门", d.parentId !== null ? names.get(d.parentId) ?? "" : "")}${td("状态", d.active ? "启用" : "停用")}</tr>`,
  );
  return ctx.render(
    html`<h1>部门</h1>
<table class="cards-sm"><caption>共 ${depts.length} 个部门</caption><thead><tr><th scope="col">代码</th><th scope="col">名称</th><th scope="col">层级</th><th scope="col">区划代码</th><th scope="col">上级部门</th><th scope="col">状态</th></tr></thead><tbody>${rows}</tbody></table>
${pager(`${CONSOLE}/departments`, {}, depts.length, offset, LIMIT)}
<section aria-labelledby="new-dept"><h2 id="new-dept">新建部门</h2>
${errorBox(error, { code: "部门代码", name: "部门名称", level: "层级", districtCode: "区划代码", parentId: "上级部门" })}
<form method="post" action="${CONSOLE}/departments" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="row">
<div class="field"><label for="d-code">部门代码</label><input id="d-code" name="code" required maxlength="40" value="${field(v, "code")}" placeholder="如 D21"></div>
<div class="field"><label for="d-name">部门名称</label><input id="d-name" name="name" required maxlength="100" value="${field(v, "name")}"></div>
</div><div class="row">
<div class="field"><label for="d-level">层级</label><select id="d-level" name="level">${options(
      [
        { value: "city", label: "市级" },
        { value: "district", label: "区县级" },
      ],
      field(v, "level") || "city",
    )}</select></div>
<div class="field"><label for="d-district">区划代码</label><input id="d-district" name="districtCode" required pattern="[0-9]{6}" inputmode="numeric" value="${field(v, "districtCode")}" aria-describedby="d-district-h"><small id="d-district-h">6 位行政区划代码（GB/T 2260）</small></div>
<div class="field"><label for="d-parent">上级部门（区县部门填所属市级部门）</label><select id="d-parent" name="parentId">${options([{ value: "", label: "（无）" }, ...depts.map((d) => ({ value: d.id, label: d.name }))], field(v, "parentId"))}</select></div>
</div>
<div class="actions"><button type="submit">建立部门</button></div></form></section>`,
    { status: error ? error.statusCode : 200 },
  );
}

const METHOD_LABEL: Record<string, string> = { "on-site": "现场检查", written: "书面检查", online: "网络监测" };

async function itemsPage(ctx: PageContext) {
  const depts = await ctx.api.get<Department[]>("/departments");
  const department = /^\d+$/.test(ctx.query.department ?? "") ? Number(ctx.query.department) : depts[0]?.id;
  const items = department ? await ctx.api.get<Item[]>(`/departments/${department}/items`) : [];
  const offset = pageOffset(ctx.query);
  const rows = items.slice(offset, offset + LIMIT).map(
    (i) => html`<tr>${td("编码", i.code)}${td("类别", i.category)}${td("检查事项", i.name)}${td("检查对象", i.target)}${td("检查依据", i.legalBasis)}${td("方式", i.methods.map((m) => METHOD_LABEL[m] ?? m).join("、"))}${td(
      "重要程度",
      i.importance === "key" ? "重点" : "一般",
    )}</tr>`,
  );
  return ctx.render(
    html`<h1>抽查事项清单</h1>
<p>各部门的随机抽查事项清单（向社会公开）。一般检查事项的抽查比例受上限约束，重点检查事项不受。<a href="${CONSOLE}/imports">导入事项清单</a></p>
<form method="get" action="${CONSOLE}/items" class="filters"><div class="field"><label for="department">部门</label><select id="department" name="department">${options(
      depts.map((d) => ({ value: d.id, label: d.name })),
      department,
    )}</select></div><button type="submit" class="secondary">查看</button></form>
${items.length
  ? html`<table class="cards-sm"><caption>${depts.find((d) => d.id === department)?.name ?? ""}：${items.length} 项</caption><thead><tr><th scope="col">编码</th><th scope="col">类别</th><th scope="col">检查事项</th><th scope="col">检查对象</th><th scope="col">检查依据</th><th scope="col">方式</th><th scope="col">重要程度</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>该部门的事项清单为空。</p>`}
${pager(`${CONSOLE}/items`, department ? { department: String(department) } : {}, items.length, offset, LIMIT)}`,
    { wide: true },
  );
}

// ── imports ────────────────────────────────────────────────────────────────────────────────────

export interface ImportReport {
  kind: string;
  format: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  flagged: number;
  created: number;
  updated: number;
  unchanged: number;
  issues: { row: number; field: string | null; column: string | null; rule: string; severity: string; message: string }[];
  issuesTruncated: boolean;
  ignoredColumns: { index: number; header: string }[];
  warnings: string[];
}

const IMPORT_KINDS: { value: string; label: string }[] = [
  { value: "entities", label: "检查对象名录（CSV、XLSX、XLS）" },
  { value: "inspectors", label: "执法检查人员名录（CSV、XLSX、XLS）" },
  { value: "items", label: "部门抽查事项清单（XLSX、XLS）" },
  { value: "joint-items", label: "部门联合抽查事项清单（XLSX、XLS）" },
];

function importForm(ctx: PageContext, depts: Department[], v: FormBody, error?: ApiCallError | null): Html {
  return html`${errorBox(error, { file: "文件", kind: "名录类型", department: "部门" })}
<form method="post" action="${CONSOLE}/imports" enctype="multipart/form-data" class="form" data-progress>${csrf(ctx.session.csrfToken)}
<div class="field"><label for="kind">名录类型</label><select id="kind" name="kind">${options(IMPORT_KINDS, field(v, "kind") || "entities")}</select></div>
<div class="field"><label for="department">部门（只对单部门事项清单；不选则按文件中的部门）</label><select id="department" name="department">${options([{ value: "", label: "（按文件）" }, ...depts.map((d) => ({ value: d.code, label: d.name }))], field(v, "department"))}</select></div>
<div class="field"><label for="file">文件</label><input id="file" name="file" type="file" required accept=".csv,.xlsx,.xls"></div>
<progress hidden max="1" aria-label="上传进度"></progress><p class="hint" data-status role="status"></p>
<div class="actions"><button type="submit">上传并导入</button></div>
<p class="hint">整个文件在一个事务中写入：有被拒绝的行时，其余行照常导入，被拒绝的行逐行列在报告中（行号、列、规则）；服务器出错时不写入任何一行。</p>
</form>
<h2>导入模板</h2>
<ul>${["entities", "inspectors", "items"].map((k) => html`<li><a href="/imports/templates/${k}">${IMPORT_KINDS.find((x) => x.value === k)!.label.replace(/（.*$/, "")}模板（XLSX）</a></li>`)}</ul>`;
}

const SEVERITY: Record<string, string> = { error: "拒绝", warning: "已导入，请核对", flag: "已导入，请核对" };

export function reportView(r: ImportReport): Html {
  const rows = r.issues.map(
    (i) => html`<tr>${td("行号", i.row, "num")}${td("列", i.column ?? "")}${td("字段", i.field ?? "")}${td("处理", i.severity === "error" ? badge("拒绝", "b-bad") : badge(SEVERITY[i.severity] ?? i.severity, "b-warn"))}${td("规则", html`<code>${i.rule}</code>`)}${td("说明", i.message)}</tr>`,
  );
  return html`<section aria-labelledby="report-title"><h2 id="report-title">导入报告</h2>
<div class="cards">
<div class="card"><div class="n">${r.rowsRead}</div><div class="k">读取行数</div></div>
<div class="card"><div class="n">${r.accepted}</div><div class="k">导入（新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}）</div></div>
<div class="card"><div class="n">${r.rejected}</div><div class="k">拒绝</div></div>
<div class="card"><div class="n">${r.flagged}</div><div class="k">已导入但须核对</div></div></div>
${r.warnings.length ? html`<ul class="note">${r.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ""}
${r.ignoredColumns.length ? html`<p>未导入的列：${r.ignoredColumns.map((c) => c.header).join("、")}</p>` : ""}
${r.issues.length
  ? html`<table class="cards-sm"><caption>逐行问题（${r.issues.length} 条${r.issuesTruncated ? "，仅列出前面部分" : ""}）</caption><thead><tr><th scope="col" class="num">行号</th><th scope="col">列</th><th scope="col">字段</th><th scope="col">处理</th><th scope="col">规则</th><th scope="col">说明</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p class="step-done">没有问题行。</p>`}</section>`;
}

/** The upload forwarded to the API's own multipart route, as the administrator; it runs in the background (progress: pages/jobs.ts). */
async function forwardImport(ctx: PageContext, kind: string, department: string): Promise<{ job: { id: string } }> {
  const file = ctx.files.file;
  if (!file) throw new ApiCallError(400, "VALIDATION_FAILED", "请选择要上传的文件", "file");
  const boundary = `----ssj${randomBytes(12).toString("hex")}`;
  const safeName = file.filename.replace(/["\r\n]/g, "_");
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${file.mimetype || "application/octet-stream"}\r\n\r\n`, "utf8"),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`, "utf8"),
  ]);
  const q = kind === "items" && department ? `&department=${encodeURIComponent(department)}` : "";
  return answer<{ job: { id: string } }>(await ctx.api.raw("POST", `/imports/${kind}?background=true${q}`, body, `multipart/form-data; boundary=${boundary}`));
}

async function importsPage(ctx: PageContext, v: FormBody = {}, error?: ApiCallError | null) {
  const depts = await ctx.api.get<Department[]>("/departments");
  return ctx.render(html`<h1>导入名录</h1>${importForm(ctx, depts, v, error)}`, { status: error ? error.statusCode : 200 });
}

// ── configuration ──────────────────────────────────────────────────────────────────────────────

interface ConfigEntry {
  key: string;
  value: unknown;
  updatedAt: string;
}
interface DrawRules {
  generalRatioCap: Record<string, string>;
  capPerMille: Record<string, number>;
}

const RATIO = "[0-9]+/[0-9]+";

function configForms(ctx: PageContext, entries: Map<string, ConfigEntry>, rules: DrawRules, cats: Category[], v: FormBody | null, error: ApiCallError | null): Html {
  const token = ctx.session.csrfToken;
  const val = (k: string) => (entries.get(k)?.value ?? {}) as Record<string, unknown>;
  const draw = val("draw") as { generalRatioCap?: Record<string, string>; substitutes?: number; team?: Record<string, number> };
  const team = { minPerDepartment: 1, minTotal: 2, experts: 0, reserves: 3, ...(draw.team ?? {}) };
  const opt = val("optimizer") as { dailyCapacity?: number; totalCapacity?: number };
  const pub = val("publication") as { workingDays?: number; dueSoonDays?: number };
  const labels = ((val("resultCategories") as { labels?: Record<string, string> }).labels ?? {}) as Record<string, string>;
  const holidays = entries.get("holidayTables")?.value;
  const fv = (name: string, fallback: unknown) => (v && v[name] !== undefined ? field(v, name) : String(fallback ?? ""));
  const num = (id: string, label: string, value: unknown, min: number, max: number, help?: string) =>
    html`<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${id}" type="number" min="${min}" max="${max}" step="1" value="${fv(id, value)}"${help ? raw(` aria-describedby="${id}-h"`) : ""}>${help ? html`<small id="${id}-h">${help}</small>` : ""}</div>`;
  const section = (key: string, title: string, body: Html) =>
    html`<section aria-labelledby="cfg-${key}"><h2 id="cfg-${key}">${title}</h2>${error && v && field(v, "key") === key ? errorBox(error) : ""}
<form method="post" action="${CONSOLE}/config" class="form" data-busy>${csrf(token)}<input type="hidden" name="key" value="${key}">${body}
<div class="actions"><button type="submit">保存</button>${entries.get(key) ? html`<span class="hint">上次修改 ${beijing(entries.get(key)!.updatedAt)}</span>` : html`<span class="hint">当前使用默认值</span>`}</div></form></section>`;
  return html`
${section(
  "draw",
  "抽取规则：一般检查事项的比例上限、检查组",
  html`<fieldset><legend>一般检查事项的抽查比例上限（分子/分母）</legend><div class="row">${RISK_CLASSES.map(
    (k) => html`<div class="field"><label for="cap${k}">${RISK_LABEL[k]}</label><input id="cap${k}" name="cap${k}" required pattern="${RATIO}" value="${fv(`cap${k}`, draw.generalRatioCap?.[k] ?? rules.generalRatioCap[k])}" size="8" aria-describedby="cap${k}-h"><small id="cap${k}-h">如 5/100；现行 ${rules.generalRatioCap[k]}</small></div>`,
  )}</div></fieldset>
<fieldset><legend>检查组</legend><div class="row">
${num("minPerDepartment", "每个参与部门至少（人）", team.minPerDepartment, 0, 20)}
${num("minTotal", "每组执法人员至少（人）", team.minTotal, 2, 20, "法定不少于 2 人")}
${num("experts", "每组专家（人，不计入执法人员）", team.experts, 0, 10)}
${num("reserves", "每组备选人员（人，供递补）", team.reserves, 0, 20)}
${num("substitutes", "检查对象备选数（每类，供递补）", draw.substitutes ?? "", 0, 1000, "留空为默认")}
</div></fieldset>`,
)}
${section(
  "optimizer",
  "排期：检查人员工作量",
  html`<div class="row">${num("dailyCapacity", "每人每日最多检查（次）", opt.dailyCapacity ?? "", 1, 1000, "留空为默认")}${num("totalCapacity", "每人每批次最多检查（次）", opt.totalCapacity ?? "", 0, 100000, "留空为不限")}</div>`,
)}
${section(
  "publication",
  "结果公示期限",
  html`<div class="row">${num("workingDays", "检查后几个工作日内公示", pub.workingDays ?? 20, 0, 60, "规定为 20 个工作日")}${num("dueSoonDays", "提前几个工作日提醒", pub.dueSoonDays ?? 5, 0, 60)}</div>`,
)}
${section(
  "resultCategories",
  "检查结果类别的名称",
  html`<p class="hint">类别（代码）固定，用于统计和公示；这里只改显示的名称。留空为标准名称。</p><div class="row">${cats.map(
    (c) => html`<div class="field"><label for="label-${c.code}">${c.code}</label><input id="label-${c.code}" name="label-${c.code}" maxlength="60" value="${fv(`label-${c.code}`, labels[c.code] ?? "")}" placeholder="${c.label}"></div>`,
  )}</div>`,
)}
${section(
  "holidayTables",
  "节假日表",
  html`<p class="hint">内置表覆盖已公布的年份；新的年份公布后在此粘贴国务院办公厅通知对应的表（JSON 数组，每年一项：年份、放假日期、调休上班日期）。未知年份不计算期限，而是报错。</p>
<div class="field"><label for="tables">节假日表（JSON）</label><textarea id="tables" name="tables" rows="6" spellcheck="false">${fv("tables", holidays === undefined ? "" : JSON.stringify(holidays, null, 1))}</textarea></div>`,
)}`;
}

/** The configuration value a form posts, or a problem naming the field. */
export function configValue(key: string, f: FormBody, cats: string[]): { value: unknown } | { problem: string; field: string } {
  const n = (name: string) => intField(f, name);
  const bad = (name: string, label: string) => ({ problem: `【${label}】须为整数`, field: name });
  if (key === "draw") {
    const generalRatioCap: Record<string, string> = {};
    for (const k of RISK_CLASSES) {
      const s = field(f, `cap${k}`).replace(/\s+/g, "");
      if (!new RegExp(`^${RATIO}$`).test(s)) return { problem: `【${RISK_LABEL[k]}】上限应写作 分子/分母，如 5/100`, field: `cap${k}` };
      generalRatioCap[k] = s;
    }
    const team: Record<string, number> = {};
    for (const k of ["minPerDepartment", "minTotal", "experts", "reserves"]) {
      const x = n(k);
      if (x === undefined || Number.isNaN(x)) return bad(k, "检查组");
      team[k] = x;
    }
    const value: Record<string, unknown> = { generalRatioCap, team };
    const s = n("substitutes");
    if (s !== undefined) {
      if (Number.isNaN(s)) return bad("substitutes", "检查对象备选数");
      value.substitutes = s;
    }
    return { value };
  }
  if (key === "optimizer" || key === "publication") {
    const value: Record<string, number> = {};
    for (const k of key === "optimizer" ? ["dailyCapacity", "totalCapacity"] : ["workingDays", "dueSoonDays"]) {
      const x = n(k);
      if (x === undefined) continue;
      if (Number.isNaN(x)) return bad(k, k);
      value[k] = x;
    }
    return { value };
  }
  if (key === "resultCategories") {
    const labels: Record<string, string> = {};
    for (const c of cats) {
      const s = field(f, `label-${c}`);
      if (s) labels[c] = s;
    }
    return { value: { labels } };
  }
  if (key === "holidayTables") {
    const text = field(f, "tables");
    try {
      return { value: text === "" ? [] : JSON.parse(text) };
    } catch (e) {
      return { problem: `【节假日表】不是有效的 JSON：${(e as Error).message}`, field: "tables" };
    }
  }
  return { problem: `未知的配置项 ${key}`, field: "key" };
}

async function configPage(ctx: PageContext, v: FormBody | null = null, error: ApiCallError | null = null) {
  const [entries, rules, cats, depts, caps] = await Promise.all([
    ctx.api.get<ConfigEntry[]>("/config"),
    ctx.api.get<DrawRules>("/draw-rules"),
    ctx.api.get<Category[]>("/result-categories"),
    ctx.api.get<Department[]>("/departments"),
    ctx.api.get<FrequencyCaps[]>("/frequency-caps"),
  ]);
  return ctx.render(html`<h1>配置</h1><p>每项配置单独保存，保存前由服务器按抽取规范核对（如比例上限的写法、检查组不少于两名执法人员）；有误时在该项上方说明原因。每次修改记入审计日志。</p>
${configForms(ctx, new Map(entries.map((e) => [e.key, e])), rules, cats, v, error)}
${capsSection(ctx, depts.filter((d) => d.active), caps, v, error)}`, { status: error ? error.statusCode : 200 });
}

const CONFIG_USES = ["GET /config", "GET /draw-rules", "GET /result-categories", "GET /departments", "GET /frequency-caps"];

/** 同一企业年度检查频次上限 of one department: set from its form, or removed. */
const capPages: ConsolePage[] = [
  {
    path: `${CONSOLE}/config/frequency-caps/:id`,
    method: "POST",
    title: "配置",
    roles: ADMIN,
    uses: ["PUT /departments/:id/frequency-cap", ...CONFIG_USES],
    handler: async (ctx) => {
      const id = Number(ctx.params.id);
      const form = { ...ctx.form, key: capKey(id) };
      const r = capBody(form);
      if ("problem" in r) return configPage(ctx, form, new ApiCallError(422, "INVALID_FREQUENCY_CAP", r.problem, r.field));
      try {
        await ctx.api.put(`/departments/${id}/frequency-cap`, r.value);
        return ctx.redirect(`${CONSOLE}/config#cfg-frequencyCaps`, "年度检查频次上限已保存。");
      } catch (e) {
        if (isRefusal(e)) return configPage(ctx, form, e);
        throw e;
      }
    },
  },
  {
    path: `${CONSOLE}/config/frequency-caps/:id/delete`,
    method: "POST",
    title: "配置",
    roles: ADMIN,
    uses: ["DELETE /departments/:id/frequency-cap"],
    handler: async (ctx) => {
      await ctx.api.del(`/departments/${Number(ctx.params.id)}/frequency-cap`);
      return ctx.redirect(`${CONSOLE}/config#cfg-frequencyCaps`, "已取消该部门的年度检查频次上限。");
    },
  },
];

export const adminPages: ConsolePage[] = [
  ...capPages,
  { path: `${CONSOLE}/users`, title: "用户", roles: ADMIN, nav: { group: "admin", label: "用户", order: 10 }, uses: ["GET /users", "GET /departments"], handler: (ctx) => usersPage(ctx) },
  {
    path: `${CONSOLE}/users`,
    method: "POST",
    title: "用户",
    roles: ADMIN,
    uses: ["POST /users", "GET /users", "GET /departments"],
    handler: async (ctx) => {
      const body: Record<string, unknown> = { name: field(ctx.form, "name"), role: field(ctx.form, "role"), login: field(ctx.form, "login"), password: field(ctx.form, "password") };
      const dept = field(ctx.form, "department");
      if (dept) body.department = dept;
      if (body.role === "officer" && !dept) return usersPage(ctx, ctx.form, new ApiCallError(422, "VALIDATION_FAILED", "科员必须属于一个部门", "department"));
      try {
        const r = await ctx.api.post<{ user: User }>("/users", body);
        return ctx.redirect(`${CONSOLE}/users`, `已建立账号 ${r.user.login}（${r.user.name}）。初始密码：${field(ctx.form, "password")}——请告知本人，首次登录须修改。`);
      } catch (e) {
        if (isRefusal(e)) return usersPage(ctx, ctx.form, e);
        throw e;
      }
    },
  },
  {
    path: `${CONSOLE}/users/:id/password`,
    method: "POST",
    title: "重置密码",
    roles: ADMIN,
    uses: ["POST /users/:id/password", "GET /users", "GET /departments"],
    handler: async (ctx) => {
      const body: Record<string, string> = { password: field(ctx.form, "password") };
      if (field(ctx.form, "login")) body.login = field(ctx.form, "login");
      try {
        const u = await ctx.api.post<User>(`/users/${ctx.params.id}/password`, body);
        return ctx.redirect(`${CONSOLE}/users`, `已重置 ${u.name} 的密码：${body.password}。其全部登录已结束，下次登录须修改密码。`);
      } catch (e) {
        if (isRefusal(e)) return usersPage(ctx, {}, e);
        throw e;
      }
    },
  },
  {
    path: `${CONSOLE}/users/:id/revoke`,
    method: "POST",
    title: "停用用户",
    roles: ADMIN,
    uses: ["POST /users/:id/revoke"],
    handler: async (ctx) => {
      const u = await ctx.api.post<User>(`/users/${ctx.params.id}/revoke`);
      return ctx.redirect(`${CONSOLE}/users`, `已停用 ${u.name}：其令牌和登录立即失效。`);
    },
  },
  { path: `${CONSOLE}/departments`, title: "部门", roles: ADMIN, nav: { group: "admin", label: "部门", order: 5 }, uses: ["GET /departments"], handler: (ctx) => departmentsPage(ctx) },
  {
    path: `${CONSOLE}/departments`,
    method: "POST",
    title: "部门",
    roles: ADMIN,
    uses: ["POST /departments", "GET /departments"],
    handler: async (ctx) => {
      const body: Record<string, unknown> = { code: field(ctx.form, "code"), name: field(ctx.form, "name"), level: field(ctx.form, "level"), districtCode: field(ctx.form, "districtCode") };
      const parent = intField(ctx.form, "parentId");
      if (parent !== undefined) body.parentId = parent;
      try {
        const d = await ctx.api.post<Department>("/departments", body);
        return ctx.redirect(`${CONSOLE}/departments`, `已建立部门 ${d.name}（${d.code}）。下一步：为它建立科员账号、导入事项清单和执法人员名录。`);
      } catch (e) {
        if (isRefusal(e)) return departmentsPage(ctx, ctx.form, e);
        throw e;
      }
    },
  },
  { path: `${CONSOLE}/entities`, title: "检查对象名录库", roles: ADMIN, nav: { group: "admin", label: "检查对象名录", order: 20 }, uses: ["GET /entities"], handler: entitiesPage },
  { path: `${CONSOLE}/inspectors`, title: "执法人员名录库", roles: ["admin", "officer"], nav: { group: "admin", label: "执法人员名录", order: 25 }, uses: ["GET /inspectors", "GET /departments"], handler: inspectorsPage },
  { path: `${CONSOLE}/items`, title: "抽查事项清单", roles: ADMIN, nav: { group: "admin", label: "抽查事项清单", order: 28 }, uses: ["GET /departments", "GET /departments/:id/items"], handler: itemsPage },
  { path: `${CONSOLE}/imports`, title: "导入名录", roles: ADMIN, nav: { group: "admin", label: "导入名录", order: 30 }, uses: ["GET /departments"], handler: (ctx) => importsPage(ctx) },
  {
    path: `${CONSOLE}/imports`,
    method: "POST",
    multipart: true,
    title: "导入名录",
    roles: ADMIN,
    uses: ["POST /imports/:kind", "GET /departments"],
    handler: async (ctx) => {
      const kind = field(ctx.form, "kind");
      if (!IMPORT_KINDS.some((k) => k.value === kind)) return importsPage(ctx, ctx.form, new ApiCallError(422, "VALIDATION_FAILED", "请选择名录类型", "kind"));
      try {
        const { job } = await forwardImport(ctx, kind, field(ctx.form, "department"));
        return ctx.redirect(`${CONSOLE}/jobs/${job.id}`);
      } catch (e) {
        if (isRefusal(e)) return importsPage(ctx, ctx.form, e);
        throw e;
      }
    },
  },
  { path: `${CONSOLE}/config`, title: "配置", roles: ADMIN, nav: { group: "admin", label: "配置", order: 40 }, uses: CONFIG_USES, handler: (ctx) => configPage(ctx) },
  {
    path: `${CONSOLE}/config`,
    method: "POST",
    title: "配置",
    roles: ADMIN,
    uses: ["PUT /config/:key", ...CONFIG_USES],
    handler: async (ctx) => {
      const key = field(ctx.form, "key");
      const cats = (await ctx.api.get<Category[]>("/result-categories")).map((c) => c.code);
      const r = configValue(key, ctx.form, cats);
      if ("problem" in r) return configPage(ctx, ctx.form, new ApiCallError(422, "INVALID_CONFIG", r.problem, r.field));
      try {
        await ctx.api.put(`/config/${key}`, r.value);
        return ctx.redirect(`${CONSOLE}/config`, "配置已保存。");
      } catch (e) {
        if (isRefusal(e)) return configPage(ctx, ctx.form, e);
        throw e;
      }
    },
  },
];
