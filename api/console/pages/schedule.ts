/**
 * 排期: the joint-check schedule of a drawn batch as a calendar (by day), by inspector (with each
 * one's load) and by entity, joint visits (several departments at one door) marked; the first
 * schedule and a re-plan (reason public); the printable 检查通知书 and 现场检查记录表 of a visit.
 */
import { ApiCallError, field, type ConsolePage, type PageContext } from "../framework.ts";
import { esc, html, todayBeijing, type Html } from "../html.ts";
import { CONSOLE, STYLE_URL, SCRIPT_URL, errorBox } from "../layout.ts";
import { ALL, WRITERS, csrf, td, type Batch, type Department, type Item, type Schedule, type Visit } from "./shared.ts";

const DOW = ["一", "二", "三", "四", "五", "六", "日"];

export const isJoint = (v: Visit): boolean => new Set(v.tasks.map((t) => t.departmentId)).size > 1;

/** Month grids (Monday first) covering the visits' days. */
function calendar(visits: Visit[], depts: Map<number, Department>, batchId: number): Html {
  if (visits.length === 0) return html``;
  const byDay = new Map<string, Visit[]>();
  for (const v of visits) byDay.set(v.day, [...(byDay.get(v.day) ?? []), v]);
  const months = [...new Set(visits.map((v) => v.day.slice(0, 7)))].sort();
  return html`${months.map((ym) => {
    const [y, m] = ym.split("-").map(Number) as [number, number];
    const first = new Date(Date.UTC(y, m - 1, 1));
    const lead = (first.getUTCDay() + 6) % 7;
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const cells: Html[] = [];
    for (let i = 0; i < lead; i++) cells.push(html`<div class="day out" aria-hidden="true"></div>`);
    for (let d = 1; d <= days; d++) {
      const day = `${ym}-${String(d).padStart(2, "0")}`;
      const list = byDay.get(day) ?? [];
      const dow = DOW[(lead + d - 1) % 7];
      cells.push(html`<div class="day${list.length ? "" : " out"}"><div class="d">${d} 日<span class="sr">（星期${dow}）</span></div>${list.map(
        (v) => html`<a class="visit${isJoint(v) ? " joint" : ""}" href="${CONSOLE}/batches/${batchId}/visits/${v.jointCheckId}">${v.entity.name}${isJoint(v) ? html`<span class="small">（联合：${[...new Set(v.tasks.map((t) => depts.get(t.departmentId)?.name ?? t.departmentId))].join("、")}）</span>` : ""}</a>`,
      )}</div>`);
    }
    return html`<section aria-label="${y} 年 ${m} 月"><h3>${y} 年 ${m} 月</h3><div class="cal">${DOW.map((w) => html`<div class="dow" aria-hidden="true">${w}</div>`)}${cells}</div></section>`;
  })}`;
}

interface Load {
  key: string;
  name: string;
  certificateNo: string | null;
  department: string;
  role: string;
  days: string[];
}

export function loads(visits: Visit[], depts: Map<number, Department>): Load[] {
  const out = new Map<string, Load>();
  for (const v of visits)
    for (const m of v.team) {
      const key = m.inspectorId !== null ? `i${m.inspectorId}` : `e${m.expertId}`;
      const l = out.get(key) ?? { key, name: m.name, certificateNo: m.certificateNo ?? null, department: m.departmentId !== null ? depts.get(m.departmentId)?.name ?? "" : "专家", role: m.role, days: [] };
      l.days.push(v.day);
      out.set(key, l);
    }
  return [...out.values()].sort((a, b) => b.days.length - a.days.length || a.name.localeCompare(b.name, "zh"));
}

function byInspector(visits: Visit[], depts: Map<number, Department>): Html {
  const rows = loads(visits, depts).map(
    (l) => html`<tr>${td("人员", l.name)}${td("执法证号", l.certificateNo ?? "")}${td("部门", l.department)}${td("身份", l.role === "expert" ? "专家（不计入两人）" : "执法人员")}${td("检查次数", l.days.length, "num")}${td("日期", [...new Set(l.days)].sort().join("、"))}</tr>`,
  );
  return html`<table class="cards-sm"><caption>按人员：每人的检查安排和工作量</caption><thead><tr><th scope="col">人员</th><th scope="col">执法证号</th><th scope="col">部门</th><th scope="col">身份</th><th scope="col" class="num">检查次数</th><th scope="col">日期</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function byEntity(visits: Visit[], depts: Map<number, Department>, batchId: number): Html {
  const rows = [...visits]
    .sort((a, b) => a.entity.name.localeCompare(b.entity.name, "zh") || a.day.localeCompare(b.day))
    .map(
      (v) => html`<tr>${td("检查对象", html`<a href="${CONSOLE}/batches/${batchId}/visits/${v.jointCheckId}">${v.entity.name}</a><br><code class="small">${v.entity.code}</code>`)}${td("日期", v.day)}${td(
        "部门与任务",
        v.tasks.map((t) => `${depts.get(t.departmentId)?.name ?? t.departmentId} ${t.taskNo}`).join("；"),
      )}${td("检查组", v.team.map((m) => m.name).join("、"))}${td("联合", isJoint(v) ? "联合检查" : "")}</tr>`,
    );
  return html`<table class="cards-sm"><caption>按检查对象</caption><thead><tr><th scope="col">检查对象</th><th scope="col">日期</th><th scope="col">部门与任务</th><th scope="col">检查组</th><th scope="col">联合</th></tr></thead><tbody>${rows}</tbody></table>`;
}

async function schedulePage(ctx: PageContext, error?: ApiCallError | null) {
  const batch = await ctx.api.get<Batch>(`/batches/${ctx.params.id}`);
  const [schedule, deptList] = await Promise.all([ctx.api.get<Schedule>(`/batches/${batch.id}/schedule`), ctx.api.get<Department[]>("/departments")]);
  const depts = new Map(deptList.map((d) => [d.id, d]));
  const view = ["day", "inspector", "entity"].includes(ctx.query.view ?? "") ? ctx.query.view! : "day";
  const isLead = ctx.role === "admin" || (ctx.role === "officer" && ctx.departmentId === batch.planDepartmentId);
  const joint = schedule.visits.filter(isJoint).length;
  const tabs = [
    { v: "day", label: "日历（按日）" },
    { v: "inspector", label: "按人员" },
    { v: "entity", label: "按检查对象" },
  ];
  const planned = schedule.run !== null || schedule.visits.length > 0;
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/batches/${batch.id}">${batch.name}</a> › 排期</p>
<h1>排期：${batch.name}</h1>
${errorBox(error)}
${!planned
  ? html`<p>抽取已确定每次检查的检查组；排期把它们安排到工作日，同一检查对象上各部门的任务合并为一次联合检查（进一次门、查多项事）。排期不会改变检查组人员。</p>
${isLead ? html`<form method="post" action="${CONSOLE}/batches/${batch.id}/schedule" class="inline" data-busy>${csrf(ctx.session.csrfToken)}<button type="submit">生成排期</button> <span class="hint" data-busy-text hidden>正在排期（检查多时需要十几秒）…</span></form>` : html`<p>等待牵头部门排期。</p>`}`
  : html`<div class="cards"><div class="card"><div class="n">${schedule.visits.length}</div><div class="k">次检查（进门）</div></div>
<div class="card"><div class="n">${joint}</div><div class="k">次联合检查（${schedule.visits.length ? Math.round((100 * joint) / schedule.visits.length) : 0}%）</div></div>
<div class="card"><div class="n">${schedule.unscheduled.length}</div><div class="k">项未能排期</div></div></div>
<nav aria-label="排期视图" class="actions">${tabs.map((t) =>
      t.v === view ? html`<strong aria-current="page">${t.label}</strong>` : html`<a href="${CONSOLE}/batches/${batch.id}/schedule?view=${t.v}">${t.label}</a>`,
    )}<a href="${CONSOLE}/exports/batches/${batch.id}/schedule.xlsx">导出排期（XLSX）</a><a href="${CONSOLE}/exports/batches/${batch.id}/schedule.csv">（CSV）</a><a href="${CONSOLE}/batches/${batch.id}/notices">打印全部通知书</a></nav>
<p class="legend"><span class="joint">联合检查（多个部门同一天进同一家）</span>　<span class="single">单部门检查</span></p>
${view === "day" ? calendar(schedule.visits, depts, batch.id) : view === "inspector" ? byInspector(schedule.visits, depts) : byEntity(schedule.visits, depts, batch.id)}
${schedule.unscheduled.length ? html`<h2>未能排期</h2><ul>${schedule.unscheduled.map((u) => html`<li><code>${u.code}</code>：${u.reason}</li>`)}</ul>` : ""}
${isLead
  ? html`<details><summary>重新排期（须说明理由，理由公开）</summary><form method="post" action="${CONSOLE}/batches/${batch.id}/schedule" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="field"><label for="reason">重新排期的理由</label><input id="reason" name="reason" required minlength="2" maxlength="500"></div><div class="actions"><button type="submit" class="secondary">重新排期</button><span class="hint" data-busy-text hidden>正在排期…</span></div></form></details>`
  : ""}`}`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

// ── printouts ──────────────────────────────────────────────────────────────────────────────────

interface EntityRow {
  code: string;
  name: string;
  address: string | null;
  districtCode: string;
}

interface VisitDoc {
  batch: Batch;
  visit: Visit;
  entity: EntityRow;
  depts: Map<number, Department>;
  items: Map<number, Item[]>;
}

async function visitDoc(ctx: PageContext, visitId: number): Promise<VisitDoc[]> {
  const batch = await ctx.api.get<Batch>(`/batches/${ctx.params.id}`);
  const [schedule, deptList] = await Promise.all([ctx.api.get<Schedule>(`/batches/${batch.id}/schedule`), ctx.api.get<Department[]>("/departments")]);
  const depts = new Map(deptList.map((d) => [d.id, d]));
  const items = new Map<number, Item[]>();
  await Promise.all(batch.departments.map(async (d) => items.set(d.departmentId, await ctx.api.get<Item[]>(`/departments/${d.departmentId}/items`))));
  const visits = visitId > 0 ? schedule.visits.filter((v) => v.jointCheckId === visitId) : schedule.visits;
  if (visitId > 0 && visits.length === 0) throw new ApiCallError(404, "NOT_FOUND", `本批次没有编号为 ${visitId} 的检查`);
  return Promise.all(visits.map(async (visit) => ({ batch, visit, entity: await ctx.api.get<EntityRow>(`/entities/${visit.entity.code}`), depts, items })));
}

function visitItems(doc: VisitDoc): { department: string; item: Item }[] {
  return doc.visit.tasks.flatMap((t) => {
    const bd = doc.batch.departments.find((d) => d.departmentId === t.departmentId);
    const list = doc.items.get(t.departmentId) ?? [];
    return (bd?.itemIds ?? []).flatMap((id) => {
      const item = list.find((i) => i.id === id);
      return item ? [{ department: doc.depts.get(t.departmentId)?.name ?? "", item }] : [];
    });
  });
}

function teamTable(doc: VisitDoc): Html {
  return html`<table><thead><tr><th scope="col">姓名</th><th scope="col">部门</th><th scope="col">执法证号</th><th scope="col">身份</th></tr></thead><tbody>${doc.visit.team.map(
    (m) => html`<tr><td>${m.name}</td><td>${m.departmentId !== null ? doc.depts.get(m.departmentId)?.name ?? "" : ""}</td><td>${m.certificateNo ?? ""}</td><td>${m.role === "expert" ? "专家" : "执法人员"}</td></tr>`,
  )}</tbody></table>`;
}

function noticeSheet(doc: VisitDoc): Html {
  const depts = [...new Set(doc.visit.tasks.map((t) => doc.depts.get(t.departmentId)?.name ?? ""))];
  return html`<article class="sheet" aria-label="检查通知书">
<p class="docno">编号：${doc.batch.code}-${doc.visit.jointCheckId}</p>
<h1>${depts.length > 1 ? "联合" : ""}检查通知书</h1>
<p><strong>${doc.entity.name}</strong>（统一社会信用代码 ${doc.entity.code}）：</p>
<p>根据“双随机、一公开”抽查工作安排（${doc.batch.name}，批次 ${doc.batch.code}），${depts.join("、")}定于 <strong>${doc.visit.day}</strong> 对你单位进行${depts.length > 1 ? "联合" : ""}检查。检查地点：${doc.entity.address ?? "（登记住所）"}。请予以配合，并准备好与下列检查事项有关的资料。</p>
<h2>检查事项及依据</h2>
<table><thead><tr><th scope="col">部门</th><th scope="col">检查事项</th><th scope="col">检查依据</th></tr></thead><tbody>${visitItems(doc).map(
    (x) => html`<tr><td>${x.department}</td><td>${x.item.name}</td><td>${x.item.legalBasis}</td></tr>`,
  )}</tbody></table>
<h2>检查人员</h2>
${teamTable(doc)}
<p>执法人员不少于两人，并出示执法证件；与你单位有直接利害关系的人员已回避。你单位认为检查人员应当回避的，可以提出申请。</p>
<div class="sign"><p>检查部门（盖章）<br><br><span class="blank"></span></p><p>日期：${todayBeijing()}</p></div>
</article>`;
}

function recordSheet(doc: VisitDoc): Html {
  return html`<article class="sheet" aria-label="现场检查记录表">
<p class="docno">编号：${doc.batch.code}-${doc.visit.jointCheckId}</p>
<h1>现场检查记录表</h1>
<table><tbody>
<tr><th scope="row">检查对象</th><td>${doc.entity.name}</td><th scope="row">统一社会信用代码</th><td>${doc.entity.code}</td></tr>
<tr><th scope="row">地址</th><td colspan="3">${doc.entity.address ?? ""}</td></tr>
<tr><th scope="row">检查日期</th><td>${doc.visit.day}</td><th scope="row">任务编号</th><td>${doc.visit.tasks.map((t) => t.taskNo).join("、")}</td></tr>
</tbody></table>
<h2>检查人员</h2>${teamTable(doc)}
<h2>检查情况</h2>
<table><thead><tr><th scope="col">检查事项</th><th scope="col">检查依据</th><th scope="col">检查情况</th></tr></thead><tbody>${visitItems(doc).map(
    (x) => html`<tr><td>${x.item.name}<br><span class="small">${x.department}</span></td><td>${x.item.legalBasis}</td><td class="tall"></td></tr>`,
  )}</tbody></table>
<p>检查结果：□ 未发现问题　□ 发现问题已责令改正　□ 发现问题待后续处理　□ 未发现开展本次抽查涉及的经营活动　□ 其他：<span class="blank"></span></p>
<div class="sign"><p>检查人员签名：<span class="blank"></span></p><p>被检查单位负责人签名：<span class="blank"></span></p></div>
</article>`;
}

function printPage(title: string, sheets: Html, back: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><link rel="stylesheet" href="${STYLE_URL}"><script src="${SCRIPT_URL}" defer></script></head>
<body><main id="main"><p class="no-print"><button type="button" data-print hidden>打印（A4）</button> <a href="${esc(back)}">返回</a></p>${sheets.text}</main></body></html>`;
}

async function visitPage(ctx: PageContext) {
  const [doc] = await visitDoc(ctx, Number(ctx.params.visit));
  const d = doc!;
  return ctx.render(html`<p class="small"><a href="${CONSOLE}/batches/${d.batch.id}/schedule">排期</a> › ${d.entity.name}</p>
<h1>检查：${d.entity.name}（${d.visit.day}）</h1>
<dl class="kv"><dt>统一社会信用代码</dt><dd>${d.entity.code}</dd><dt>地址</dt><dd>${d.entity.address ?? ""}</dd><dt>联合检查</dt><dd>${isJoint(d.visit) ? "是" : "否"}</dd>
<dt>任务</dt><dd>${d.visit.tasks.map((t) => html`<a href="${CONSOLE}/tasks/${t.taskId}">${t.taskNo}</a>（${d.depts.get(t.departmentId)?.name ?? ""}） `)}</dd></dl>
<h2>检查组</h2>${teamTable(d)}
<h2>检查事项</h2><ul>${visitItems(d).map((x) => html`<li>${x.department}：${x.item.name}（${x.item.legalBasis}）</li>`)}</ul>
<p class="actions"><a class="btn" href="${CONSOLE}/batches/${d.batch.id}/visits/${d.visit.jointCheckId}/notice">打印检查通知书</a><a class="btn secondary" href="${CONSOLE}/batches/${d.batch.id}/visits/${d.visit.jointCheckId}/record">打印现场检查记录表</a></p>`);
}

const DOC_USES = ["GET /batches/:id", "GET /batches/:id/schedule", "GET /departments", "GET /departments/:id/items", "GET /entities/:code"];

export const schedulePages: ConsolePage[] = [
  { path: `${CONSOLE}/batches/:id/schedule`, title: "排期", roles: ALL, uses: ["GET /batches/:id", "GET /batches/:id/schedule", "GET /departments"], handler: (ctx) => schedulePage(ctx) },
  {
    path: `${CONSOLE}/batches/:id/schedule`,
    method: "POST",
    title: "排期",
    roles: WRITERS,
    uses: ["POST /batches/:id/optimize", "GET /batches/:id", "GET /batches/:id/schedule", "GET /departments"],
    handler: async (ctx) => {
      const reason = field(ctx.form, "reason");
      try {
        // In the background: the job page (pages/jobs.ts) shows the progress and comes back here when done.
        const { job } = await ctx.api.post<{ job: { id: string } }>(`/batches/${Number(ctx.params.id)}/optimize?background=true`, reason ? { reason } : {});
        return ctx.redirect(`${CONSOLE}/jobs/${job.id}`);
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401) return schedulePage(ctx, e);
        throw e;
      }
    },
  },
  { path: `${CONSOLE}/batches/:id/visits/:visit`, title: "检查", roles: ALL, uses: DOC_USES, handler: visitPage },
  {
    path: `${CONSOLE}/batches/:id/visits/:visit/notice`,
    title: "检查通知书",
    roles: ALL,
    uses: DOC_USES,
    handler: async (ctx) => ctx.bare(printPage("检查通知书", html`${(await visitDoc(ctx, Number(ctx.params.visit))).map(noticeSheet)}`, `${CONSOLE}/batches/${ctx.params.id}/visits/${ctx.params.visit}`)),
  },
  {
    path: `${CONSOLE}/batches/:id/visits/:visit/record`,
    title: "现场检查记录表",
    roles: ALL,
    uses: DOC_USES,
    handler: async (ctx) => ctx.bare(printPage("现场检查记录表", html`${(await visitDoc(ctx, Number(ctx.params.visit))).map(recordSheet)}`, `${CONSOLE}/batches/${ctx.params.id}/visits/${ctx.params.visit}`)),
  },
  {
    path: `${CONSOLE}/batches/:id/notices`,
    title: "检查通知书（全部）",
    roles: ALL,
    uses: DOC_USES,
    handler: async (ctx) => ctx.bare(printPage("检查通知书", html`${(await visitDoc(ctx, 0)).map(noticeSheet)}`, `${CONSOLE}/batches/${ctx.params.id}/schedule`)),
  },
];
