/**
 * 专家和人员抽取 for approvals (现场踏勘, 技术审查, 听证论证, 验收; docs/approvals.md step 5) in the
 * console: the panels with the status of their draws, one panel with its seats and draws (the
 * drawn persons for the case's departments and auditors, as the API gives them), the stored
 * draw's verification, the manifests to download for `ssj verify` and the links to the public
 * record (no names there).
 *
 *   GET /console/panels[?offset=]                      panels (officers: those of their department's cases)
 *   GET /console/panels/:id                            one panel, its draws
 *   GET /console/panel-draws/:id/manifest?kind=full|public   the manifest file (GET /panel-draws/:id/manifest)
 *
 * The ceremony steps of a panel draw (commit, secrets, external value, run, substitute, void) are
 * not pages yet: they run through the API (`/panels/:id/draws`, `/panel-draws/:id/…`) or `ssj panel`.
 * The batch draws' ceremony page (/console/draws/:id) serves batch draws only.
 */
import { beijing, html, type Html } from "../html.ts";
import { ApiCallError, answer, type ConsolePage, type PageContext } from "../framework.ts";
import { CONSOLE } from "../layout.ts";
import { ALL, DRAW_BADGE, badge, pageOffset, pager, td } from "./shared.ts";
import { loopUser, slice } from "./loopShared.ts";

interface PanelDraw {
  id: number;
  status: string;
  statusLabel: string;
  attempt: number;
  commitment: string;
  publicDigest: string;
  frozenAt: string;
  seed: string | null;
  head: string;
  records: { seq: number; kind: string; at: string; digest: string }[];
  seats: { seat: string; required: number; persons: string[]; shortfall: number }[] | null;
  voidReason: string | null;
  voidedAt: string | null;
  drawnAt: string | null;
}
interface Seat {
  id: string;
  kind: string;
  speciality?: string;
  department?: string;
  departmentId?: number;
  qualifications?: string[];
  count: number;
}
interface Panel {
  id: number;
  bureauId: number;
  purpose: string;
  purposeLabel: string;
  name: string;
  applicationNo: string;
  decisionId: number | null;
  subjectDistrict: string;
  day: string;
  seats: Seat[];
  recusals: number;
  createdAt: string;
  draws: PanelDraw[];
}
interface Verdict {
  ok: boolean;
  message?: string;
  proven?: string[];
}

const drawBadge = (d: PanelDraw): Html => badge(d.statusLabel, DRAW_BADGE[d.status] ?? "b-info");
const latest = (p: Panel): PanelDraw | null => p.draws[p.draws.length - 1] ?? null;

async function panelList(ctx: PageContext) {
  const me = await loopUser(ctx);
  const offset = pageOffset(ctx.query);
  const page = slice(await ctx.api.get<Panel[]>("/panels"), offset);
  const rows = page.items.map((p) => {
    const d = latest(p);
    return html`<tr>${td("事由", html`<a href="${CONSOLE}/panels/${p.id}">${p.name}</a><br><span class="small">${p.purposeLabel} · 办件 ${p.applicationNo}</span>`)}${td("行政审批部门", me.names.get(p.bureauId) ?? p.bureauId)}${td("日期", p.day)}${td(
      "席位",
      p.seats.map((s) => `${s.id} ${s.kind === "expert" ? `专家（${s.speciality ?? ""}）` : "监管人员"} ${s.count} 人`).join("；"),
    )}${td("抽取", d ? html`${drawBadge(d)}<br><span class="small">第 ${d.attempt} 次</span>` : "未开始")}</tr>`;
  });
  return ctx.render(
    html`<h1>专家和人员抽取</h1>
<p>现场踏勘、技术审查、听证论证和验收时，行政审批部门从各监管部门开放的专家库和同级监管人员中随机抽取，与双随机抽查使用同一抽取引擎：输入先承诺并公布、种子事先确定、只抽一次、可离线核验（<code>ssj verify</code>）。公开记录不含专家和人员姓名（<a href="/api/public/panel-draws">公开数据</a>）。${ctx.role === "officer" ? "这里列出本部门参与的抽取。" : ""}</p>
${page.items.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">事由</th><th scope="col">行政审批部门</th><th scope="col">日期</th><th scope="col">席位</th><th scope="col">抽取</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有抽取事由。</p>`}
${pager(`${CONSOLE}/panels`, {}, page.total, offset, 50)}`,
    { wide: true },
  );
}

function drawSection(d: PanelDraw, verdict: Verdict | null): Html {
  return html`<section aria-labelledby="draw-${d.id}"><h2 id="draw-${d.id}">第 ${d.attempt} 次抽取（编号 ${d.id}） ${drawBadge(d)}</h2>
<dl class="kv"><dt>冻结输入、公布承诺值</dt><dd>${beijing(d.frozenAt)}：<code class="small">${d.commitment}</code></dd>
<dt>种子</dt><dd>${d.seed ? html`<code class="small">${d.seed}</code>` : "尚未确定"}</dd>
${d.drawnAt ? html`<dt>抽取时间</dt><dd>${beijing(d.drawnAt)}</dd>` : ""}${d.voidedAt ? html`<dt>作废</dt><dd>${beijing(d.voidedAt)}：${d.voidReason}</dd>` : ""}
<dt>记录链链头</dt><dd><code class="small">${d.head}</code>（${d.records.length} 条记录）</dd>
${verdict ? html`<dt>核验</dt><dd>${verdict.ok ? badge("核验通过", "b-ok") : badge("核验未通过", "b-bad")}${verdict.message ? html` ${verdict.message}` : ""}</dd>` : ""}</dl>
${d.seats
  ? html`<table class="cards-sm"><caption>席位（内部：抽中人员编号，不公示）</caption><thead><tr><th scope="col">席位</th><th scope="col" class="num">需要</th><th scope="col">抽中</th><th scope="col" class="num">缺额</th></tr></thead><tbody>${d.seats.map(
      (s) => html`<tr>${td("席位", s.seat)}${td("需要", s.required, "num")}${td("抽中", s.persons.join("、") || "—")}${td("缺额", s.shortfall, "num")}</tr>`,
    )}</tbody></table>`
  : ""}
<p class="actions"><a href="${CONSOLE}/panel-draws/${d.id}/manifest?kind=full">下载完整清单</a><a href="${CONSOLE}/panel-draws/${d.id}/manifest?kind=public">下载公开清单</a><a href="/api/public/panel-draws/${d.id}">公开记录</a><a href="/api/public/panel-draws/${d.id}/manifest.json">公开清单（公示）</a></p></section>`;
}

async function panelPage(ctx: PageContext) {
  const p = await ctx.api.get<Panel>(`/panels/${ctx.params.id}`);
  const me = await loopUser(ctx);
  const verdicts = await Promise.all(p.draws.map((d) => (d.status === "drawn" ? ctx.api.get<Verdict>(`/panel-draws/${d.id}/verify`).catch((e: unknown) => (e instanceof ApiCallError ? { ok: false, message: e.message } : Promise.reject(e))) : Promise.resolve(null))));
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/panels">专家和人员抽取</a> › ${p.name}</p>
<h1>${p.name}</h1>
<dl class="kv"><dt>事由</dt><dd>${p.purposeLabel}</dd><dt>行政审批部门</dt><dd>${me.names.get(p.bureauId) ?? p.bureauId}</dd><dt>办件编号</dt><dd>${p.applicationNo}${p.decisionId ? html`（<a href="${CONSOLE}/decisions/${p.decisionId}">审批决定</a>）` : ""}</dd>
<dt>日期</dt><dd>${p.day}</dd><dt>申报回避</dt><dd>${p.recusals} 人（内容不公开）</dd>
<dt>席位</dt><dd><ul>${p.seats.map((s) => html`<li>${s.id}：${s.kind === "expert" ? `专家，专业 ${s.speciality ?? ""}` : `监管人员，${s.department ?? ""}${s.qualifications?.length ? `（资质 ${s.qualifications.join("、")}）` : ""}`}，${s.count} 人</li>`)}</ul></dd></dl>
${p.draws.length ? p.draws.map((d, i) => drawSection(d, verdicts[i] ?? null)) : html`<p>尚未开始抽取。</p>`}
<p class="hint">抽取仪式（冻结输入、各部门提交和公开秘密值或录入外部随机数、抽取、递补、作废）目前通过 API（<a href="/docs">API 文档</a>：<code>/panels/:id/draws</code>、<code>/panel-draws/:id/…</code>）或命令 <code>ssj panel</code> 进行；批次抽取的仪式页面不用于专家抽取。</p>`,
    { wide: true },
  );
}

export const loopPanelPages: ConsolePage[] = [
  { path: `${CONSOLE}/panels`, title: "专家和人员抽取", roles: ALL, nav: { group: "results", label: "专家和人员抽取", order: 58 }, uses: ["GET /panels", "GET /departments"], handler: panelList },
  { path: `${CONSOLE}/panels/:id`, title: "专家和人员抽取", roles: ALL, uses: ["GET /panels/:id", "GET /departments", "GET /panel-draws/:id/verify"], handler: panelPage },
  {
    path: `${CONSOLE}/panel-draws/:id/manifest`,
    title: "下载抽取清单",
    roles: ALL,
    uses: ["GET /panel-draws/:id/manifest"],
    handler: async (ctx) => {
      const kind = ctx.query.kind === "public" ? "public" : "full";
      const res = await ctx.api.raw("GET", `/panel-draws/${ctx.params.id}/manifest?kind=${kind}`);
      if (res.statusCode >= 400) answer(res); // throws the API's refusal
      return ctx.file(`panel-draw-${ctx.params.id}-${kind}-manifest.json`, "application/json; charset=utf-8", res.body);
    },
  },
];
