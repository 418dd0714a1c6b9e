/**
 * 统计 (dashboard) per year and department: planned, drawn, the joint share against the local
 * target (40–60 % of checks joint), results by category, publication on time. Charts are
 * server-rendered SVG (no script, no library), each with the same numbers in a table beside it
 * for screen readers and for copying.
 */
import type { ConsolePage, PageContext } from "../framework.ts";
import { html, options, type Html } from "../html.ts";
import { CONSOLE } from "../layout.ts";
import { ALL, td, type Category, type Department } from "./shared.ts";

interface Stats {
  year: number;
  departmentId: number | null;
  plans: { total: number; approved: number; draft: number; closed: number };
  batches: { total: number; drawn: number };
  tasks: { total: number; random: number; directed: number; open: number; scheduled: number; done: number; cancelled: number };
  joint: { visits: number; jointVisits: number; tasksInVisits: number; tasksInJointVisits: number; share: number | null };
  results: { recorded: number; byCategory: Record<string, number> };
  publication: { published: number; onTime: number; late: number; unpublished: number };
}

const TARGET = { low: 0.4, high: 0.6 };

/** Horizontal bars, one per entry, labelled with their value. */
export function barChart(title: string, entries: { label: string; value: number; tone?: "ok" | "bad" | "info" }[]): Html {
  const max = Math.max(1, ...entries.map((e) => e.value));
  const rowH = 28;
  const labelW = 190;
  const barW = 330;
  const h = entries.length * rowH + 8;
  const fill = { ok: "#389e0d", bad: "#a8071a", info: "#0b57d0" };
  return html`<svg class="chart" viewBox="0 0 ${labelW + barW + 60} ${h}" width="${labelW + barW + 60}" height="${h}" role="img" aria-label="${title}">
${entries.map((e, i) => {
  const y = 4 + i * rowH;
  const w = Math.round((barW * e.value) / max);
  return html`<text x="${labelW - 6}" y="${y + 18}" text-anchor="end" font-size="13">${e.label.length > 14 ? `${e.label.slice(0, 13)}…` : e.label}</text><rect x="${labelW}" y="${y + 4}" width="${Math.max(w, e.value > 0 ? 2 : 0)}" height="${rowH - 10}" fill="${fill[e.tone ?? "info"]}"></rect><text x="${labelW + w + 6}" y="${y + 18}" font-size="13">${e.value}</text>`;
})}</svg>`;
}

/** The joint share on a 0–100 % scale with the target band marked. */
function shareGauge(share: number | null): Html {
  const W = 420;
  const x = (v: number) => Math.round(10 + v * (W - 20));
  const s = share ?? 0;
  const inTarget = share !== null && share >= TARGET.low;
  return html`<svg class="chart" viewBox="0 0 ${W} 64" width="${W}" height="64" role="img" aria-label="联合检查占比 ${share === null ? "无数据" : `${Math.round(s * 100)}%`}，目标 40%–60%">
<rect x="10" y="18" width="${W - 20}" height="18" fill="#f0f0f0"></rect>
<rect x="${x(TARGET.low)}" y="14" width="${x(TARGET.high) - x(TARGET.low)}" height="26" fill="#d9f7be"></rect>
<rect x="10" y="22" width="${x(s) - 10}" height="10" fill="${inTarget ? "#389e0d" : "#a8071a"}"></rect>
<text x="${x(TARGET.low)}" y="56" font-size="12" text-anchor="middle">40%</text><text x="${x(TARGET.high)}" y="56" font-size="12" text-anchor="middle">60%</text>
<text x="10" y="11" font-size="12">0%</text><text x="${W - 10}" y="11" font-size="12" text-anchor="end">100%</text></svg>`;
}

const pct = (n: number, d: number) => (d > 0 ? `${Math.round((100 * n) / d)}%` : "—");

function figures(s: Stats, cats: Category[]): Html {
  const label = new Map(cats.map((c) => [c.code, c.label]));
  const byCat = Object.entries(s.results.byCategory)
    .map(([code, n]) => ({ label: label.get(code) ?? code, value: n, tone: (cats.find((c) => c.code === code)?.group === "problem" ? "bad" : "ok") as "ok" | "bad" }))
    .sort((a, b) => b.value - a.value);
  const pub = [
    { label: "按时公示", value: s.publication.onTime, tone: "ok" as const },
    { label: "逾期公示", value: s.publication.late, tone: "bad" as const },
    { label: "已录入未公示", value: s.publication.unpublished, tone: "info" as const },
  ];
  return html`<div class="cards">
<div class="card"><div class="n">${s.plans.approved}</div><div class="k">已批准（公示）的计划，共 ${s.plans.total} 个</div></div>
<div class="card"><div class="n">${s.batches.drawn}</div><div class="k">已抽取的批次，共 ${s.batches.total} 个</div></div>
<div class="card"><div class="n">${s.tasks.total}</div><div class="k">检查任务（双随机 ${s.tasks.random}，定向 ${s.tasks.directed}）</div></div>
<div class="card"><div class="n">${s.tasks.done}</div><div class="k">已完成（${pct(s.tasks.done, s.tasks.total)}）</div></div>
</div>
<section aria-labelledby="joint-title"><h2 id="joint-title">联合检查占比（进一次门、查多项事）</h2>
<p>${s.joint.share === null ? "尚无排期的检查。" : html`已排期的 ${s.joint.tasksInVisits} 项任务中，${s.joint.tasksInJointVisits} 项在联合检查中完成：<strong>${Math.round(s.joint.share * 100)}%</strong>（本地目标 40%–60%${s.joint.share >= TARGET.low ? "，已达到" : "，未达到"}）。共 ${s.joint.visits} 次进门，其中联合检查 ${s.joint.jointVisits} 次。`}</p>
${shareGauge(s.joint.share)}</section>
<section aria-labelledby="cat-title"><h2 id="cat-title">检查结果分类（已录入 ${s.results.recorded} 项）</h2>
${byCat.length
  ? html`<div class="chart-pair">${barChart("检查结果分类", byCat)}<table><thead><tr><th scope="col">结果</th><th scope="col" class="num">任务数</th></tr></thead><tbody>${byCat.map((e) => html`<tr>${td("结果", e.label)}${td("任务数", e.value, "num")}</tr>`)}</tbody></table></div>`
  : html`<p>尚无录入的结果。</p>`}</section>
<section aria-labelledby="pub-title"><h2 id="pub-title">结果公示（20 个工作日内）</h2>
<div class="chart-pair">${barChart("结果公示情况", pub)}<table><thead><tr><th scope="col">情况</th><th scope="col" class="num">任务数</th></tr></thead><tbody>${pub.map((e) => html`<tr>${td("情况", e.label)}${td("任务数", e.value, "num")}</tr>`)}</tbody></table></div>
<p>按时公示率：${pct(s.publication.onTime, s.publication.published)}。<a href="${CONSOLE}/deadlines">查看公示期限清单</a></p></section>`;
}

async function dashboard(ctx: PageContext) {
  const thisYear = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  const year = /^\d{4}$/.test(ctx.query.year ?? "") ? Number(ctx.query.year) : thisYear;
  const depts = await ctx.api.get<Department[]>("/departments");
  const department = ctx.role === "officer" ? String(ctx.departmentId) : /^\d+$/.test(ctx.query.department ?? "") ? ctx.query.department! : "";
  const [stats, cats] = await Promise.all([ctx.api.get<Stats>("/stats", { year, department }), ctx.api.get<Category[]>("/result-categories")]);
  const years = Array.from({ length: 6 }, (_, i) => thisYear + 1 - i);
  return ctx.render(html`<h1>统计</h1>
<form method="get" action="${CONSOLE}/dashboard" class="filters">
<div class="field"><label for="year">年度</label><select id="year" name="year">${options(years.map((y) => ({ value: y, label: `${y} 年` })), year)}</select></div>
${ctx.role !== "officer"
  ? html`<div class="field"><label for="department">部门</label><select id="department" name="department">${options([{ value: "", label: "全部部门" }, ...depts.map((d) => ({ value: d.id, label: d.name }))], department)}</select></div>`
  : html`<p>${depts.find((d) => d.id === ctx.departmentId)?.name ?? ""}</p>`}
<button type="submit" class="secondary">查看</button></form>
${figures(stats, cats)}`);
}

export const dashboardPages: ConsolePage[] = [
  { path: `${CONSOLE}/dashboard`, title: "统计", roles: ALL, nav: { group: "home", label: "统计", order: 5 }, uses: ["GET /stats", "GET /departments", "GET /result-categories"], handler: dashboard },
];
