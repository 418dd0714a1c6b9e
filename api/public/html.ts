/**
 * The 公示 page: server-rendered HTML, no JavaScript, every value escaped with `esc`.
 * Accessible: lang="zh-CN", a skip link, labelled form controls, a search landmark, a table with
 * caption and column headers, pagination in a labelled <nav>, visible focus.
 */
import type { DepartmentCount, PublicAnchorRecord, PublicDrawRecord, PublicPlanRecord, PublicResultRecord } from "../../src/store/readModel/index.ts";
import { NEEDS_FULL_MANIFEST, PUBLIC_PROVES } from "../../src/draws/v2/claims.ts";
import type { PublicPanelDraw } from "../../src/store/repos/panels.ts";
import type { PublicVerification } from "../../src/store/repos/loopSteps.ts";
import type { PublicFrequencyCap } from "../../src/store/repos/frequencyCaps.ts";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (v: unknown): string => String(v ?? "").replace(/[&<>"']/g, (c) => ESC[c]!);

export const PAGE_PATH = "/public";
export const API_PATH = "/api/public";
export const STYLE_PATH = "/public/style.css";

export const manifestUrl = (drawId: string) => `${API_PATH}/draws/${encodeURIComponent(drawId)}/manifest.json`;
export const manifestFileName = (drawId: string) => `manifest-${drawId.replace(/[^A-Za-z0-9._-]/g, "_")}.json`;
export const verifyCommand = (drawId: string) => `ssj verify ${manifestFileName(drawId)}`;
export const drawPageUrl = (drawId: string) => `${PAGE_PATH}/draws/${encodeURIComponent(drawId)}`;
export const panelManifestUrl = (id: number) => `${API_PATH}/panel-draws/${id}/manifest.json`;
export const panelManifestFileName = (id: number) => `panel-draw-${id}-manifest.json`;
export const VERIFICATIONS_API = `${API_PATH}/commitment-verifications`;

/** An ISO instant shown in Beijing time (UTC+8, no DST): "2026-02-03 10:00" or the date only. */
export function beijing(iso: string, withTime = true): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = new Date(t + 8 * 3600_000).toISOString();
  return withTime ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : s.slice(0, 10);
}

/** Seed provenance in words: free text as is, the draw engine's object spelled out. */
export function provenanceText(p: unknown): string {
  if (typeof p === "string") return p;
  if (!p || typeof p !== "object") return "";
  const o = p as Record<string, unknown>;
  if (o.mode === "external") {
    const parts = [`外部公开随机数：${String(o.source ?? "")} ${String(o.reference ?? "")}`.trim()];
    if (o.value !== undefined) parts.push(`取值 ${String(o.value)}`);
    if (typeof o.publishedAt === "string") parts.push(`公布于 ${beijing(o.publishedAt)}（北京时间）`);
    return parts.join("，");
  }
  if (o.mode === "commitReveal" && Array.isArray(o.reveals)) {
    const depts = (o.reveals as { department?: unknown }[]).map((r) => String(r.department ?? "")).join("、");
    return `各部门先提交承诺、后公开秘密值，合成种子（参与部门：${depts}）`;
  }
  return JSON.stringify(p);
}

export type DrawDoc = Omit<PublicDrawRecord, "manifest" | "manifestEtag">;

export interface SearchForm {
  q: string;
  department: string;
  from: string;
  to: string;
}

export interface PageModel {
  form: SearchForm;
  /** How `q` was understood. */
  searchedBy: "code" | "name" | null;
  departments: DepartmentCount[];
  results: PublicResultRecord[];
  nextCursor: number | null;
  firstPage: boolean;
  error: string | null;
  plans: PublicPlanRecord[];
  draws: DrawDoc[];
  /** The latest published heads of the audit log. */
  anchors: PublicAnchorRecord[];
  /** The latest expert and staff draws for approvals (专家和人员抽取), without any person. */
  panelDraws: PublicPanelDraw[];
  /** Published 告知承诺 verification outcomes: the latest, or the searched entity's. */
  verifications: PublicVerification[];
  /** Each department's published yearly cap of checks on one entity, with its exemptions. */
  frequencyCaps: PublicFrequencyCap[];
}

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${STYLE_PATH}">
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
<header><p class="brand"><a href="${PAGE_PATH}">“双随机、一公开”抽查结果公示</a></p></header>
<main id="main" tabindex="-1">
${main}
</main>
<footer><p>本页公示已发布的抽查计划、抽取过程和检查结果。数据接口：<a href="/docs">API 文档</a>（<code>${API_PATH}/…</code>）。</p></footer>
</body>
</html>
`;
}

function query(form: SearchForm, cursor?: number): string {
  const p = new URLSearchParams();
  if (form.q) p.set("q", form.q);
  if (form.department) p.set("department", form.department);
  if (form.from) p.set("from", form.from);
  if (form.to) p.set("to", form.to);
  if (cursor !== undefined) p.set("cursor", String(cursor));
  const s = p.toString();
  return s ? `${PAGE_PATH}?${s}` : PAGE_PATH;
}

const STATUS_CLASS: Record<string, string> = { committed: "st-committed", seeded: "st-seeded", drawn: "st-drawn", void: "st-void" };

function seedPlanText(p: Record<string, unknown> | undefined): string {
  if (!p) return "";
  if (p.mode === "external") return `外部公开随机数：${String(p.source ?? "")} ${String(p.reference ?? "")}（承诺时已指定，须为冻结之后才公布的一期）`;
  if (p.mode === "commitReveal") return `参与部门各自先提交秘密值承诺、再公开秘密值，合成种子（部门编号：${(p.departments as string[] | undefined)?.join("、") ?? ""}）`;
  return "";
}

/** What a public verification proves and does not — the verifier's own words (src/draws/v2/claims.ts). */
export function verificationText(d: DrawDoc): string {
  if (d.algorithm !== "ssj-draw/2")
    return `<p class="verify">自行核验：下载抽取清单后运行 <code>${esc(verifyCommand(d.id))}</code>。该清单为 ssj-draw/1 版本的公开清单，只能核对所列对象的票号和名次；名录是否完整、是否按类别抽取、检查组等只能由审计用完整清单核验。</p>`;
  const proven = Object.values(PUBLIC_PROVES).map((x) => `<li>${esc(x)}</li>`).join("");
  const not = NEEDS_FULL_MANIFEST.map((x) => `<li>${esc(x)}</li>`).join("");
  return `<div class="verify">
<p>自行核验：下载抽取清单后运行 <code>${esc(verifyCommand(d.id))} --commitment ${esc(d.commitment)}</code>（承诺值取自本页在生成种子前的公示，请与您自己保存的记录比对）。</p>
<p>公开清单可以证明：</p><ul>${proven}</ul>
<p>只有完整清单（由审计、纪检部门持有）才能证明：</p><ul>${not}</ul>
</div>`;
}

function timeline(d: DrawDoc): string {
  const rows: string[] = [];
  if (d.frozenAt) rows.push(`<li><time datetime="${esc(d.frozenAt)}">${esc(beijing(d.frozenAt))}</time> 冻结输入并公布承诺值</li>`);
  for (const c of d.secretCommitments ?? [])
    rows.push(`<li><time datetime="${esc(c.committedAt)}">${esc(beijing(c.committedAt))}</time> ${esc(c.department)}提交秘密值承诺 <code class="hash">${esc(c.hash)}</code>${c.revealed ? "（已公开）" : ""}</li>`);
  if (d.seededAt) rows.push(`<li><time datetime="${esc(d.seededAt)}">${esc(beijing(d.seededAt))}</time> 生成种子</li>`);
  for (const r of d.records ?? []) rows.push(`<li><time datetime="${esc(r.at)}">${esc(beijing(r.at))}</time> 记录 ${esc(r.seq)}：${esc(r.summary)}</li>`);
  if (d.voidedAt) rows.push(`<li><time datetime="${esc(d.voidedAt)}">${esc(beijing(d.voidedAt))}</time> <strong>作废</strong>：${esc(d.voidReason ?? "")}</li>`);
  return rows.length ? `<ol class="timeline">${rows.join("")}</ol>` : "";
}

function drawDetails(d: DrawDoc, headingLevel: 2 | 3): string {
  const h = `h${headingLevel}`;
  const status = d.status ?? "drawn";
  const label = d.statusLabel ?? "已抽取";
  const attempt = d.attempt ? `第 ${esc(d.attempt)} 次抽取${d.attemptsOfBatch && d.attemptsOfBatch > 1 ? `（本批次共 ${esc(d.attemptsOfBatch)} 次）` : ""}` : "";
  const counts = d.classCounts ? Object.entries(d.classCounts).map(([k, n]) => `${esc(k)} 类 ${esc(n)}`).join("，") : "";
  return `<article class="draw${status === "void" ? " voided" : ""}" aria-labelledby="draw-${esc(d.id)}">
<${h} id="draw-${esc(d.id)}">${esc(d.planName)}${d.batchName ? ` · ${esc(d.batchName)}` : ""} <span class="status ${STATUS_CLASS[status] ?? ""}">${esc(label)}</span></${h}>
${status === "void" ? `<p class="void-note" role="note"><strong>已作废</strong>：${esc(d.voidReason ?? "")}。作废的抽取连同其承诺值、种子和结果保留在公示记录上；重新抽取须使用作废之后才产生的新种子。</p>` : ""}
<dl>
<dt>抽取编号</dt><dd><a href="${esc(drawPageUrl(d.id))}">${esc(d.id)}</a>${attempt ? `，${attempt}` : ""}</dd>
<dt>抽取部门</dt><dd>${esc(d.department)}</dd>
${d.subject ? `<dt>抽取内容</dt><dd>${esc(d.subject)}</dd>` : ""}
${d.frozenAt ? `<dt>承诺公布时间</dt><dd>${esc(beijing(d.frozenAt))}（北京时间）</dd>` : ""}
${d.drawnAt ? `<dt>抽取时间</dt><dd>${esc(beijing(d.drawnAt))}（北京时间）</dd>` : ""}
${d.populationCount !== undefined ? `<dt>名录数量</dt><dd>${esc(d.populationCount)}${counts ? `（按风险类别：${counts}；不公布任何企业的类别）` : ""}</dd>` : ""}
${d.selectedCount !== undefined ? `<dt>抽中数量</dt><dd>${esc(d.selectedCount)}</dd>` : ""}
<dt>承诺值（抽取前公布）</dt><dd><code class="hash">${esc(d.commitment)}</code></dd>
${d.seedPlan ? `<dt>种子方案（承诺时确定）</dt><dd>${esc(seedPlanText(d.seedPlan))}</dd>` : ""}
${d.seed ? `<dt>随机种子</dt><dd><code class="hash">${esc(d.seed)}</code></dd>` : `<dt>随机种子</dt><dd>尚未生成</dd>`}
${d.seedProvenance ? `<dt>种子来源</dt><dd>${esc(provenanceText(d.seedProvenance))}</dd>` : ""}
${d.head ? `<dt>记录链头</dt><dd><code class="hash">${esc(d.head)}</code></dd>` : ""}
${d.auditHead ? `<dt>冻结时的审计日志链头</dt><dd>第 ${esc(d.auditHead.seq)} 条，<code class="hash">${esc(d.auditHead.hash)}</code></dd>` : ""}
<dt>抽取算法</dt><dd>${esc(d.algorithm)}</dd>
<dt>抽取清单</dt><dd><a href="${esc(manifestUrl(d.id))}" download="${esc(manifestFileName(d.id))}">下载 ${esc(manifestFileName(d.id))}</a></dd>
</dl>
${timeline(d)}
${verificationText(d)}
</article>`;
}

function seatText(s: PublicPanelDraw["seats"][number]): string {
  const who = s.kind === "expert" ? `专家（${esc(s.speciality ?? "")}）` : `监管部门人员（${esc(s.department ?? "")}）`;
  const drawn = s.drawn === null ? "尚未抽取" : `抽中 ${esc(s.drawn)} 人${s.shortfall ? `，缺 ${esc(s.shortfall)} 人` : ""}`;
  return `<li>${who}：需 ${esc(s.required)} 人，${drawn}</li>`;
}

/** One expert/staff draw for an approval: the fact, the method and the digests, never a person. */
function panelDrawDetails(d: PublicPanelDraw): string {
  const file = panelManifestFileName(d.id);
  return `<article class="draw${d.status === "void" ? " voided" : ""}" aria-labelledby="panel-draw-${esc(d.id)}">
<h3 id="panel-draw-${esc(d.id)}">${esc(d.panel.name)} · ${esc(d.panel.purposeLabel)} <span class="status ${STATUS_CLASS[d.status] ?? ""}">${esc(d.statusLabel)}</span></h3>
${d.status === "void" ? `<p class="void-note" role="note"><strong>已作废</strong>：${esc(d.voidReason ?? "")}。</p>` : ""}
<dl>
<dt>抽取编号</dt><dd>${esc(d.id)}，第 ${esc(d.attempt)} 次抽取</dd>
<dt>审批部门</dt><dd>${esc(d.panel.bureau)}</dd>
<dt>事由和日期</dt><dd>${esc(d.panel.purposeLabel)}，${esc(d.panel.day)}</dd>
<dt>抽取方法</dt><dd>${esc(d.method)}</dd>
<dt>席位</dt><dd><ul class="seats">${d.seats.map(seatText).join("")}</ul></dd>
<dt>承诺公布时间</dt><dd>${esc(beijing(d.frozenAt))}（北京时间）</dd>
<dt>承诺值（抽取前公布）</dt><dd><code class="hash">${esc(d.commitment)}</code></dd>
${d.seed ? `<dt>随机种子</dt><dd><code class="hash">${esc(d.seed)}</code></dd>` : `<dt>随机种子</dt><dd>尚未生成</dd>`}
${d.seedProvenance ? `<dt>种子来源</dt><dd>${esc(provenanceText(d.seedProvenance))}</dd>` : ""}
<dt>记录链头</dt><dd><code class="hash">${esc(d.head)}</code></dd>
<dt>公开清单摘要（SHA-256）</dt><dd><code class="hash">${esc(d.manifestDigest)}</code></dd>
<dt>公开清单</dt><dd><a href="${esc(panelManifestUrl(d.id))}" download="${esc(file)}">下载 ${esc(file)}</a></dd>
</dl>
<p class="verify">自行核验：下载公开清单后运行 <code>ssj verify ${esc(file)} --commitment ${esc(d.commitment)}</code>。公开清单不含专家和人员的姓名、证件号，也不含申请人和回避、递补理由；逐席位复算只能由审计部门用完整清单进行。</p>
</article>`;
}

function frequencyCapTable(caps: readonly PublicFrequencyCap[]): string {
  if (caps.length === 0) return "<p>暂无部门公布同一企业年度检查频次上限。</p>";
  const exempt = (c: PublicFrequencyCap) =>
    c.exemptions.length === 0 ? "无" : `<ul>${c.exemptions.map((e) => `<li>${esc(e.label)}${e.reason ? `：${esc(e.reason)}` : ""}</li>`).join("")}</ul>`;
  const rows = caps
    .map(
      (c) => `<tr>
<td data-label="部门">${esc(c.department)}</td>
<td data-label="层级" class="nowrap">${esc(c.levelLabel)}</td>
<td data-label="本层级每年最多">${c.maxPerYear} 次</td>
<td data-label="跨层级合计每年最多">${c.maxPerYearAllLevels === null ? "不限" : `${c.maxPerYearAllLevels} 次`}</td>
<td data-label="不计入频次的检查">${exempt(c)}</td>
</tr>`,
    )
    .join("\n");
  return `<table class="caps">
<caption>各部门对同一市场主体每年检查次数的上限（双随机抽查计入；所列定向检查不计入）</caption>
<thead><tr><th scope="col">部门</th><th scope="col">层级</th><th scope="col">本层级每年最多</th><th scope="col">跨层级合计每年最多</th><th scope="col">不计入频次的检查</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function verificationTable(m: PageModel): string {
  const forCode = m.searchedBy === "code";
  if (m.verifications.length === 0) return `<p>${forCode ? `统一社会信用代码为 ${esc(m.form.q)} 的市场主体没有公示的告知承诺核查结果。` : "暂无公示的告知承诺核查结果。"}</p>`;
  const rows = m.verifications
    .map(
      (v) => `<tr>
<td data-label="市场主体名称">${esc(v.entityName)}</td>
<td data-label="统一社会信用代码" class="nowrap"><code>${esc(v.entityCode)}</code></td>
<td data-label="审批事项">${esc(v.approvalItem)}</td>
<td data-label="审批决定日期" class="nowrap">${esc(v.decidedOn)}</td>
<td data-label="核查结果"><strong>${esc(v.outcomeLabel)}</strong></td>
<td data-label="核查日期" class="nowrap">${esc(v.checkedOn)}</td>
<td data-label="核查部门">${esc(v.department)}</td>
<td data-label="审批部门">${esc(v.bureau)}</td>
</tr>`,
    )
    .join("\n");
  const caption = forCode ? `统一社会信用代码为 ${esc(m.form.q)} 的告知承诺核查结果` : `最新公示的告知承诺核查结果（${m.verifications.length} 条）`;
  return `<table class="verifications">
<caption>${caption}</caption>
<thead><tr><th scope="col">市场主体名称</th><th scope="col">统一社会信用代码</th><th scope="col">审批事项</th><th scope="col">审批决定日期</th><th scope="col">核查结果</th><th scope="col">核查日期</th><th scope="col">核查部门</th><th scope="col">审批部门</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

export function renderPage(m: PageModel): string {
  const f = m.form;
  const deptOptions = [`<option value="">全部部门</option>`]
    .concat(m.departments.map((d) => `<option value="${esc(d.name)}"${d.name === f.department ? " selected" : ""}>${esc(d.name)}</option>`))
    .join("");
  const searched = f.q || f.department || f.from || f.to;
  const caption = m.searchedBy === "code"
    ? `统一社会信用代码为 ${esc(f.q)} 的抽查结果`
    : m.searchedBy === "name"
      ? `名称含“${esc(f.q)}”的抽查结果`
      : searched
        ? "符合条件的抽查结果"
        : "最新公示的抽查结果";
  const rows = m.results
    .map(
      (r) => `<tr>
<td data-label="市场主体名称">${esc(r.entityName)}</td>
<td data-label="统一社会信用代码" class="nowrap"><code>${esc(r.entityCode)}</code></td>
<td data-label="抽查任务编号" class="nowrap">${esc(r.taskNumber)}</td>
<td data-label="抽查任务名称">${esc(r.taskName)}</td>
<td data-label="检查日期" class="nowrap">${esc(r.checkDate)}</td>
<td data-label="检查部门">${esc(r.department)}</td>
<td data-label="检查结果">${r.results.map((x) => esc(x)).join("；")}</td>
<td data-label="公示日期" class="nowrap">${esc(beijing(r.publishedAt, false))}</td>
</tr>`,
    )
    .join("\n");
  const table = m.results.length
    ? `<table>
<caption>${caption}（本页 ${m.results.length} 条，按公示时间由新到旧）</caption>
<thead><tr><th scope="col">市场主体名称</th><th scope="col">统一社会信用代码</th><th scope="col">抽查任务编号</th><th scope="col">抽查任务名称</th><th scope="col">检查日期</th><th scope="col">检查部门</th><th scope="col">检查结果</th><th scope="col">公示日期</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : `<p class="empty" role="status">${m.error ? "" : "没有找到符合条件的已公示抽查结果。"}</p>`;
  const nav =
    m.nextCursor !== null || !m.firstPage
      ? `<nav class="pager" aria-label="分页">${!m.firstPage ? `<a href="${esc(query(f))}">返回第一页</a>` : ""}${
          m.nextCursor !== null ? `<a href="${esc(query(f, m.nextCursor))}" rel="next">下一页</a>` : ""
        }</nav>`
      : "";
  const plans = m.plans.length
    ? `<ul>${m.plans
        .map(
          (p) =>
            `<li><strong>${esc(p.name)}</strong>（${esc(p.year)} 年，发起部门：${esc(p.leadDepartment)}${
              p.departments.length > 1 ? `；参与部门：${p.departments.map(esc).join("、")}` : ""
            }）${p.description ? `：${esc(p.description)}` : ""}</li>`,
        )
        .join("")}</ul>`
    : "<p>暂无已公示的抽查计划。</p>";
  const draws = m.draws.length ? m.draws.map((d) => drawDetails(d, 3)).join("\n") : "<p>暂无已公示的抽取记录。</p>";
  const anchors = m.anchors.length
    ? `<table class="anchors"><caption>最近公布的审计日志链头（请自行保存，用于 <code>ssj audit verify --anchors</code> 核对日志未被截断或重算）</caption>
<thead><tr><th scope="col">条目序号</th><th scope="col">链头哈希</th><th scope="col">公布时间</th></tr></thead><tbody>
${m.anchors.map((a) => `<tr><td data-label="条目序号">${esc(a.seq)}</td><td data-label="链头哈希"><code class="hash">${esc(a.hash)}</code></td><td data-label="公布时间">${esc(beijing(a.publishedAt))}</td></tr>`).join("\n")}
</tbody></table><p><a href="${API_PATH}/audit/anchors">下载全部链头（JSON）</a></p>`
    : "<p>暂无公布的审计日志链头。</p>";

  return layout(
    "双随机、一公开抽查结果公示",
    `<h1>“双随机、一公开”抽查结果公示</h1>
<section aria-labelledby="search-title">
<h2 id="search-title">查询抽查结果</h2>
<form method="get" action="${PAGE_PATH}" role="search" class="search">
<div class="field wide"><label for="q">统一社会信用代码或市场主体名称</label>
<input id="q" name="q" type="search" value="${esc(f.q)}" maxlength="50" autocomplete="off" placeholder="如 91350100M000100Y43 或 餐饮" aria-describedby="q-help">
<small id="q-help">输入 18 位统一社会信用代码（或 15 位注册号）精确查询，输入名称中的任意连续文字模糊查询。</small></div>
<div class="field"><label for="department">检查部门</label>
<select id="department" name="department">${deptOptions}</select></div>
<div class="field"><label for="from">检查日期自</label>
<input id="from" name="from" type="date" value="${esc(f.from)}"></div>
<div class="field"><label for="to">检查日期至</label>
<input id="to" name="to" type="date" value="${esc(f.to)}"></div>
<div class="actions"><button type="submit">查询</button> <a href="${PAGE_PATH}">清除条件</a></div>
</form>
</section>
<section aria-labelledby="results-title" id="results">
<h2 id="results-title">抽查结果</h2>
${m.error ? `<p class="error" role="alert">${esc(m.error)}</p>` : ""}
${table}
${nav}
</section>
<section aria-labelledby="draws-title">
<h2 id="draws-title">抽取公示（最新）</h2>
<p>每次抽取在生成种子之前先公布“承诺值”和公开的抽取输入（名录、各部门范围、事项、配额），抽取时使用事先约定来源的公开随机种子；作废的抽取也保留在这里并注明理由。任何人都可以下载抽取清单，用 <code>ssj verify</code> 离线复核。</p>
${draws}
</section>
<section aria-labelledby="verifications-title" id="verifications">
<h2 id="verifications-title">告知承诺核查结果公示</h2>
<p>以告知承诺方式取得审批的市场主体，由监管部门在规定期限内核查其承诺；按规定公示的核查结果（承诺不属实、未履行承诺等）列在这里。在上方输入统一社会信用代码可查该市场主体的核查结果。全部数据：<a href="${VERIFICATIONS_API}">${VERIFICATIONS_API}</a>（JSON）。</p>
${verificationTable(m)}
</section>
<section aria-labelledby="panel-draws-title" id="panel-draws">
<h2 id="panel-draws-title">专家和人员抽取公示（行政审批）</h2>
<p>行政审批部门为现场踏勘、技术审查、听证论证和验收从专家库和监管部门人员中抽取，与抽查抽取使用同一可核验的方法：先公布承诺值，再生成种子，一次抽取，不得重抽。专家和人员的姓名不公示；公示抽取的事实、方法、承诺值、种子和公开清单的摘要。全部记录：<a href="${API_PATH}/panel-draws">${API_PATH}/panel-draws</a>（JSON）。</p>
${m.panelDraws.length ? m.panelDraws.map(panelDrawDetails).join("\n") : "<p>暂无专家和人员抽取记录。</p>"}
</section>
<section aria-labelledby="caps-title" id="frequency-caps">
<h2 id="caps-title">同一企业年度检查频次上限</h2>
${frequencyCapTable(m.frequencyCaps)}
</section>
<section aria-labelledby="anchors-title">
<h2 id="anchors-title">审计日志链头</h2>
${anchors}
</section>
<section aria-labelledby="plans-title">
<h2 id="plans-title">抽查计划（最新）</h2>
${plans}
</section>`,
  );
}

export function renderDrawPage(d: DrawDoc): string {
  return layout(`抽取公示 ${d.id}`, `<h1>抽取公示</h1>\n${drawDetails(d, 2)}\n<p><a href="${PAGE_PATH}">返回公示首页</a></p>`);
}

export function renderNotFound(what: string): string {
  return layout("未找到", `<h1>未找到</h1><p>${esc(what)}</p><p><a href="${PAGE_PATH}">返回公示首页</a></p>`);
}

export const STYLE = `:root{color-scheme:light;--fg:#1a1a1a;--muted:#555;--accent:#a8071a;--line:#d9d9d9;--bg:#fff;--zebra:#f7f7f7}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:.5rem 1rem}
header a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:72rem;margin:0 auto;padding:1rem}
footer{max-width:72rem;margin:2rem auto;padding:0 1rem;color:var(--muted);font-size:.9rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.25rem;border-bottom:2px solid var(--accent);padding-bottom:.25rem;margin-top:2rem}
h3{font-size:1.05rem;margin:.5rem 0}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem;z-index:1}
:focus-visible{outline:3px solid #1677ff;outline-offset:2px}
.search{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:flex-start}
.actions{padding-top:1.6rem;display:flex;gap:1rem;align-items:center}
.field{display:flex;flex-direction:column;min-width:10rem}
.field.wide{flex:1 1 24rem}
.field small{color:var(--muted);font-size:.8rem}
label{font-weight:600}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid #8c8c8c;border-radius:4px}
button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer;padding:.35rem 1.25rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.5rem 0}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#fafafa;white-space:nowrap}
.nowrap{white-space:nowrap}
tbody tr:nth-child(even){background:var(--zebra)}
.pager{display:flex;gap:1.5rem;margin:1rem 0}
.error{color:var(--accent);font-weight:600}
.draw{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.draw dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}
.draw dt{color:var(--muted)}
.draw dd{margin:0;min-width:0}
code.hash{word-break:break-all;font-size:.85rem}
.verify{background:#fffbe6;border:1px solid #ffe58f;padding:.5rem;border-radius:4px}
.status{font-size:.8rem;font-weight:600;padding:.1rem .5rem;border-radius:1rem;border:1px solid currentColor;vertical-align:middle}
.st-committed,.st-seeded{color:#874d00}.st-drawn{color:#135200}.st-void{color:var(--accent)}
.voided{border-color:var(--accent);background:#fff1f0}
.void-note{color:var(--accent)}
.timeline{margin:.5rem 0;padding-left:1.25rem;font-size:.92rem}
.verify ul{margin:.25rem 0 .5rem;padding-left:1.25rem}
.seats,.caps ul{margin:0;padding-left:1.25rem}
@media (max-width:40rem){
 table,thead,tbody,tr,th,td,caption{display:block}
 thead{position:absolute;left:-9999px;top:-9999px}
 tbody tr{border:1px solid var(--line);margin:.5rem 0;padding:.25rem .5rem}
 td{border:none;padding:.15rem 0}
 td::before{content:attr(data-label);display:block;font-size:.8rem;color:var(--muted);font-weight:600}
 .nowrap{white-space:normal}
 code{word-break:break-all}
 .draw dl{grid-template-columns:1fr}
 .draw dt{margin-top:.35rem}
}
`;
