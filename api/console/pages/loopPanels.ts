/**
 * 专家和人员抽取 for approvals (现场踏勘, 技术审查, 听证论证, 验收; docs/approvals.md step 5) in the
 * console: the panels with the status of their draws, one panel with its seats and draws (the
 * drawn persons for the case's departments and auditors, as the API gives them), the stored
 * draw's verification, the manifests to download for `ssj verify` and the links to the public
 * record (no names there).
 *
 *   GET  /console/panels[?offset=]                     panels (officers: those of their department's cases)
 *   POST /console/panels                               a bureau's officer records the 事由 and its seats (POST /panels)
 *   GET  /console/panels/:id                           one panel, its draws, the current ceremony step
 *   POST /console/panels/:id/draws                     freeze the directory, publish the commitment (the bureau)
 *   POST /console/panel-draws/:id/commitment|reveal    a seed department's secret (made and kept in its
 *                                                      browser by console.js, as for batch draws)
 *   POST /console/panel-draws/:id/external|run|substitute|void   the bureau's steps
 *   GET  /console/panel-draws/:id/manifest?kind=full|public      the manifest file
 *
 * The ceremony reuses the batch draws' browser side (console.js: data-secret-commit,
 * data-secret-reveal, data-confirm); its pages are its own because a panel has seats, not a batch.
 */
import { beijing, html, type Html } from "../html.ts";
import { ApiCallError, answer, field, fields, intField, type ConsolePage, type FormBody, type PageContext } from "../framework.ts";
import { options } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { ALL, DRAW_BADGE, OFFICER, WRITERS, actionButton, badge, csrf, pageOffset, pager, td } from "./shared.ts";
import { formError, idField, loopUser, slice, submit, type LoopUser } from "./loopShared.ts";
import { PANEL_PURPOSE_LABELS } from "../../../src/approvals/values.ts";

interface PanelDraw {
  id: number;
  panelId: number;
  status: string;
  statusLabel: string;
  attempt: number;
  commitment: string;
  publicDigest: string;
  frozenAt: string;
  seedPlan: { mode: string; source?: string; reference?: string; departments?: string[] } | null;
  secretCommitments: { department: string; hash: string; revealed: boolean; committedAt: string }[];
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

const SEAT_ROWS = 3;
const PANEL_LABELS: Record<string, string> = {
  purpose: "事由",
  name: "名称",
  applicationNo: "办件编号",
  subjectCode: "申请人统一社会信用代码",
  subjectDistrict: "申请人所在区划码",
  day: "日期",
  seats: "席位",
  recusals: "申报回避",
  ...Object.fromEntries(Array.from({ length: SEAT_ROWS }, (_, i) => [["speciality", "专业"], ["departmentId", "监管部门"], ["count", "人数"], ["qualifications", "资质"], ["kind", "类型"]].map(([k, l]) => [`seats.${i}.${k}`, `席位 ${i + 1} 的${l}`])).flat()),
};

function panelForm(ctx: PageContext, me: LoopUser, v: FormBody, error: ApiCallError | null): Html {
  const box = errorBox(formError(error), PANEL_LABELS);
  if (!me.bureau) return box;
  const depts = me.departments.filter((d) => d.kind === "supervision" && d.active && d.level === me.own!.level);
  const seat = (i: number) => html`<fieldset><legend>席位 ${i + 1}${i === 0 ? "" : "（可选）"}</legend><div class="row">
<div class="field"><label for="seat${i}-kind">类型</label><select id="seat${i}-kind" name="seat${i}-kind"${i === 0 ? html` required data-message="请至少设一个席位"` : ""}>${options([{ value: "", label: "（不设）" }, { value: "expert", label: "专家（专家库）" }, { value: "officer", label: "监管人员" }], field(v, `seat${i}-kind`))}</select></div>
<div class="field"><label for="seat${i}-speciality">专家专业（专家席位）</label><input id="seat${i}-speciality" name="seat${i}-speciality" maxlength="200" value="${field(v, `seat${i}-speciality`)}"></div>
<div class="field"><label for="seat${i}-department">监管部门（人员席位）</label><select id="seat${i}-department" name="seat${i}-department">${options([{ value: "", label: "（请选择）" }, ...depts.map((d) => ({ value: d.id, label: d.name }))], field(v, `seat${i}-department`))}</select></div>
<div class="field"><label for="seat${i}-qualifications">须具备的资质（可选，顿号分隔）</label><input id="seat${i}-qualifications" name="seat${i}-qualifications" maxlength="500" value="${field(v, `seat${i}-qualifications`)}"></div>
<div class="field"><label for="seat${i}-count">人数</label><input id="seat${i}-count" name="seat${i}-count" type="number" min="1" max="20" step="1" value="${field(v, `seat${i}-count`) || "1"}" data-message="人数为 1–20"></div></div></fieldset>`;
  return html`<section aria-labelledby="new-title"><h2 id="new-title">登记抽取事由（${me.own!.name}）</h2>${box}
<form method="post" action="${CONSOLE}/panels" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="row"><div class="field"><label for="purpose">事由</label><select id="purpose" name="purpose" required data-message="请选择事由">${options([{ value: "", label: "（请选择）" }, ...Object.entries(PANEL_PURPOSE_LABELS).map(([value, label]) => ({ value, label }))], field(v, "purpose"))}</select></div>
<div class="field"><label for="day">日期</label><input id="day" name="day" type="date" required value="${field(v, "day")}" data-message="请填写踏勘、审查、听证或验收的日期"></div></div>
<div class="field"><label for="name">名称（公开）</label><input id="name" name="name" required maxlength="200" value="${field(v, "name")}" data-message="请填写名称（最多 200 个字）"></div>
<div class="row"><div class="field"><label for="applicationNo">办件编号</label><input id="applicationNo" name="applicationNo" required maxlength="200" value="${field(v, "applicationNo")}" data-message="请填写办件编号"></div>
<div class="field"><label for="decisionId">关联的审批决定编号（可选）</label><input id="decisionId" name="decisionId" inputmode="numeric" pattern="[1-9][0-9]{0,9}" value="${field(v, "decisionId")}" data-message="审批决定编号为正整数"></div></div>
<div class="row"><div class="field"><label for="subjectCode">申请人统一社会信用代码（不公开）</label><input id="subjectCode" name="subjectCode" required pattern="[0-9A-Z]{1,23}" maxlength="23" value="${field(v, "subjectCode")}" data-message="统一社会信用代码为数字和大写字母，最多 23 位"></div>
<div class="field"><label for="subjectDistrict">申请人所在区划码（不公开）</label><input id="subjectDistrict" name="subjectDistrict" required pattern="[0-9]{6}" inputmode="numeric" value="${field(v, "subjectDistrict")}" data-message="区划码为 6 位数字"></div></div>
${Array.from({ length: SEAT_ROWS }, (_, i) => seat(i))}
<div class="field"><label for="recusals">申报的回避（可选，不公开；每行：证件号 理由）</label><textarea id="recusals" name="recusals" rows="2" maxlength="8000">${field(v, "recusals")}</textarea></div>
<div class="actions"><button type="submit">登记</button><span class="hint">登记后在事由页面冻结名录、公布承诺值并抽取。</span></div></form></section>`;
}

/** The form's seat rows as the API's seats (rows without a type are left out). */
function seatsOf(f: FormBody): unknown[] {
  const out: unknown[] = [];
  const n = { expert: 0, officer: 0 };
  for (let i = 0; i < SEAT_ROWS; i++) {
    const kind = field(f, `seat${i}-kind`);
    if (kind !== "expert" && kind !== "officer") continue;
    const count = intField(f, `seat${i}-count`) ?? 1;
    const id = `${kind === "expert" ? "E" : "O"}${++n[kind]}`;
    if (kind === "expert") out.push({ id, kind, speciality: field(f, `seat${i}-speciality`), count });
    else {
      const qualifications = field(f, `seat${i}-qualifications`).split(/[、,，\s]+/).filter(Boolean);
      out.push({ id, kind, departmentId: idField(f, `seat${i}-department`), count, ...(qualifications.length ? { qualifications } : {}) });
    }
  }
  return out;
}

function recusalsOf(text: string): { person: string; reason: string }[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [person = "", ...rest] = l.split(/\s+/);
      return { person, reason: rest.join(" ") };
    });
}

async function panelList(ctx: PageContext, v: FormBody = {}, error: ApiCallError | null = null) {
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
${pager(`${CONSOLE}/panels`, {}, page.total, offset, 50)}
${panelForm(ctx, me, v, error)}`,
    { wide: true, status: error ? error.statusCode : 200 },
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

// ── the ceremony (the live draw's current step) ─────────────────────────────────────────────

interface Turn {
  panel: Panel;
  draw: PanelDraw | null;
  me: LoopUser;
  /** The bureau's officer or an administrator: commits, enters the external value, runs, substitutes, voids. */
  lead: boolean;
  myCode: string | null;
  token: string;
}

function commitForm(t: Turn): Html {
  const p = t.panel;
  return html`<section aria-labelledby="commit-title"><h2 id="commit-title">开始抽取：冻结名录并公布承诺值</h2>
<form method="post" action="${CONSOLE}/panels/${p.id}/draws" class="form" data-busy data-confirm="冻结后名录和席位不能再改，承诺值立即公布。确定开始？">${csrf(t.token)}
<fieldset><legend>种子方案</legend><div class="checks">
<label><input type="radio" name="mode" value="commitReveal" required checked> 承诺—公开：本审批部门和提供人员、专家的监管部门各自提交秘密值承诺，再公开，合成种子</label>
<label><input type="radio" name="mode" value="external"> 事先指定的外部公开随机数（冻结之后才公布）</label></div></fieldset>
<div class="row"><div class="field"><label for="source">外部随机数来源（选外部随机数时）</label><input id="source" name="source" maxlength="200"></div>
<div class="field"><label for="reference">期号或位置</label><input id="reference" name="reference" maxlength="200"></div>
<div class="field"><label for="reserves">每个席位的候补人数</label><input id="reserves" name="reserves" type="number" min="0" max="20" step="1" value="2"></div></div>
<div class="actions"><button type="submit">冻结并公布承诺值</button></div></form></section>`;
}

/** A department's name from its code (seed plans and commitments name departments by code). */
const nameOf = (t: Turn, code: string): string => t.me.departments.find((d) => d.code === code)?.name ?? code;
const secretKey = (d: PanelDraw, code: string | null) => `panel-draw-${d.id}-${code ?? ""}`;

function secretSteps(t: Turn, d: PanelDraw): Html {
  const mine = d.secretCommitments.find((x) => x.department === t.myCode);
  const missing = (d.seedPlan?.departments ?? []).filter((c) => !d.secretCommitments.some((x) => x.department === c)).map((c) => nameOf(t, c));
  if (!mine)
    return html`<form method="post" action="${CONSOLE}/panel-draws/${d.id}/commitment" class="form" data-secret-commit="${secretKey(d, t.myCode)}" data-busy>${csrf(t.token)}<input type="hidden" name="hash" value="">
<p>在<strong>本部门电脑的浏览器</strong>中生成本部门的秘密值：它只保存在这个浏览器里（可下载备份），服务器只收到它的 SHA-256；公开阶段再提交秘密值本身。</p>
<noscript><div class="field"><label for="hash-manual">秘密值的 SHA-256（64 位十六进制；可用 ssj secret new 生成）</label><input id="hash-manual" name="hash" pattern="[0-9a-f]{64}"></div></noscript>
<div class="actions"><button type="button" data-make hidden class="secondary">生成本部门秘密值</button><button type="button" data-download hidden class="secondary">下载秘密值文件（备份）</button></div>
<p>哈希：<code class="hash" data-hash-out>（尚未生成）</code></p><p class="hint" data-status role="status"></p>
<div class="actions"><button type="submit">提交本部门的秘密值承诺</button></div></form>`;
  if (mine.revealed) return html`<p class="step-done">本部门已公开秘密值。</p>`;
  if (missing.length) return html`<p class="note">本部门已提交承诺。等待 ${missing.join("、")} 提交承诺；全部提交后才能公开。</p>`;
  return html`<form method="post" action="${CONSOLE}/panel-draws/${d.id}/reveal" class="form" data-secret-reveal="${secretKey(d, t.myCode)}" data-hash="${mine.hash}" data-busy>${csrf(t.token)}<input type="hidden" name="secret" value="">
<p>所有部门都已提交承诺：公开本部门的秘密值（本浏览器中保存的，或从备份文件读取）；提交前核对它与本部门的承诺一致。</p>
<div class="field"><label for="secret-file">备份的秘密值文件</label><input id="secret-file" type="file" accept=".secret,.txt" data-file hidden></div>
<div class="field"><label for="secret-paste">或粘贴秘密值</label><input id="secret-paste" data-paste hidden autocomplete="off" spellcheck="false"></div>
<noscript><div class="field"><label for="secret-manual">秘密值（64 位十六进制）</label><input id="secret-manual" name="secret" pattern="[0-9a-f]{64}"></div></noscript>
<p class="hint" data-status role="status"></p><div class="actions"><button type="submit">公开本部门秘密值</button></div></form>`;
}

function externalForm(t: Turn, d: PanelDraw): Html {
  return html`<form method="post" action="${CONSOLE}/panel-draws/${d.id}/external" class="form" data-busy>${csrf(t.token)}
<p>录入承诺时指定的外部公开随机数（${d.seedPlan?.source ?? ""} ${d.seedPlan?.reference ?? ""}）；公布时间须晚于冻结时间（${beijing(d.frozenAt)}）。</p>
<div class="row"><div class="field"><label for="value">公布的数值</label><input id="value" name="value" required maxlength="500" data-message="请填写公布的数值"></div>
<div class="field"><label for="publishedAt">公布时间（北京时间）</label><input id="publishedAt" name="publishedAt" type="datetime-local" step="1" required data-message="请填写公布时间（须晚于冻结时间）"></div></div>
<div class="actions"><button type="submit">录入外部随机数</button></div></form>`;
}

function drawnForms(t: Turn, d: PanelDraw): Html {
  const seats = d.seats ?? [];
  const persons = seats.flatMap((s) => s.persons.map((x) => ({ value: `${s.seat}|${x}`, label: `${s.seat}：${x}` })));
  return html`${persons.length
    ? html`<details><summary>递补（抽中人员须回避或不能参加）</summary><form method="post" action="${CONSOLE}/panel-draws/${d.id}/substitute" class="form" data-busy data-confirm="递补追加到记录链，不能撤回。确定递补？">${csrf(t.token)}
<div class="field"><label for="out">退出的人员</label><select id="out" name="out" required>${options([{ value: "", label: "（请选择）" }, ...persons], "")}</select></div>
<div class="field"><label for="sub-reason">理由（不公开）</label><input id="sub-reason" name="reason" required maxlength="500" data-message="请填写递补理由"></div>
<div class="actions"><button type="submit">由该席位顺序中的下一位递补</button></div></form></details>`
    : ""}`;
}

function voidForm(t: Turn, d: PanelDraw): Html {
  return html`<details><summary>作废本次抽取</summary><form method="post" action="${CONSOLE}/panel-draws/${d.id}/void" class="form" data-confirm="作废后本次抽取连同理由留在公开记录上，重抽须用新种子。确定作废？">${csrf(t.token)}
<div class="field"><label for="void-reason">作废理由（公开）</label><textarea id="void-reason" name="reason" required maxlength="500" rows="2" data-message="请填写作废理由（公开）"></textarea></div>
<div class="actions"><button type="submit" class="secondary">作废</button></div></form></details>`;
}

/** What the signed-in user can do now, or what the ceremony waits for. */
function currentStep(t: Turn): Html {
  const d = t.draw;
  if (!d) return t.lead ? commitForm(t) : html`<p>等待行政审批部门开始抽取。</p>`;
  const seeders = d.seedPlan?.departments ?? [];
  if (d.status === "committed" && d.seedPlan?.mode === "commitReveal")
    return t.myCode && seeders.includes(t.myCode) ? secretSteps(t, d) : html`<p>等待 ${seeders.map((c) => nameOf(t, c)).join("、")} 的科员在本部门浏览器中提交并公开秘密值（管理员不能代交）。</p>`;
  if (d.status === "committed") return t.lead ? externalForm(t, d) : html`<p>等待行政审批部门录入外部随机数。</p>`;
  if (d.status === "seeded") return t.lead ? actionButton(`${CONSOLE}/panel-draws/${d.id}/run`, "抽取（只能一次）", t.token, { confirm: "抽取只能进行一次，结果不可更改。确定抽取？" }) : html`<p>种子已确定，等待行政审批部门抽取。</p>`;
  if (d.status === "drawn") return t.lead ? html`${drawnForms(t, d)}${voidForm(t, d)}` : html``;
  return t.lead ? html`<p>上一次抽取已作废：可重新开始（须用新的秘密值或新的外部随机数）。</p>${commitForm(t)}` : html``;
}

async function panelPage(ctx: PageContext, panelId: string | number = ctx.params.id ?? "", error: ApiCallError | null = null) {
  const p = await ctx.api.get<Panel>(`/panels/${panelId}`);
  const me = await loopUser(ctx);
  const verdicts = await Promise.all(p.draws.map((d) => (d.status === "drawn" ? ctx.api.get<Verdict>(`/panel-draws/${d.id}/verify`).catch((e: unknown) => (e instanceof ApiCallError ? { ok: false, message: e.message } : Promise.reject(e))) : Promise.resolve(null))));
  const turn: Turn = { panel: p, draw: latest(p), me, lead: ctx.role === "admin" || (ctx.role === "officer" && ctx.departmentId === p.bureauId), myCode: me.own?.code ?? null, token: ctx.session.csrfToken };
  const writer = ctx.role !== "auditor";
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/panels">专家和人员抽取</a> › ${p.name}</p>
<h1>${p.name}</h1>
<dl class="kv"><dt>事由</dt><dd>${p.purposeLabel}</dd><dt>行政审批部门</dt><dd>${me.names.get(p.bureauId) ?? p.bureauId}</dd><dt>办件编号</dt><dd>${p.applicationNo}${p.decisionId ? html`（<a href="${CONSOLE}/decisions/${p.decisionId}">审批决定</a>）` : ""}</dd>
<dt>日期</dt><dd>${p.day}</dd><dt>申报回避</dt><dd>${p.recusals} 人（内容不公开）</dd>
<dt>席位</dt><dd><ul>${p.seats.map((s) => html`<li>${s.id}：${s.kind === "expert" ? `专家，专业 ${s.speciality ?? ""}` : `监管人员，${me.departments.find((x) => x.code === s.department)?.name ?? s.department ?? ""}${s.qualifications?.length ? `（资质 ${s.qualifications.join("、")}）` : ""}`}，${s.count} 人</li>`)}</ul></dd></dl>
${errorBox(formError(error), { hash: "秘密值承诺", secret: "秘密值", value: "外部随机数", publishedAt: "公布时间", reason: "理由", out: "退出的人员", seed: "种子方案", reserves: "候补人数" })}
${writer ? html`<h2>当前步骤</h2>${currentStep(turn)}` : ""}
${p.draws.length ? [...p.draws].reverse().map((d) => drawSection(d, verdicts[p.draws.indexOf(d)] ?? null)) : html`<p>尚未开始抽取。</p>`}`,
    { wide: true, status: error ? error.statusCode : 200 },
  );
}

const PANEL_USES = ["GET /panels/:id", "GET /departments", "GET /panel-draws/:id/verify"];

/** A ceremony step on a draw: the API call, then back to the panel (with the API's refusal on it). */
function drawStep(path: string, title: string, roles: readonly ("admin" | "officer")[], use: string, call: (ctx: PageContext, id: string) => Promise<string>): ConsolePage {
  return {
    path: `${CONSOLE}/panel-draws/:id/${path}`,
    method: "POST",
    title,
    roles,
    uses: [use, "GET /panel-draws/:id", ...PANEL_USES],
    handler: async (ctx) => {
      const d = await ctx.api.get<PanelDraw>(`/panel-draws/${ctx.params.id}`);
      return submit(
        ctx,
        async () => ctx.redirect(`${CONSOLE}/panels/${d.panelId}`, await call(ctx, String(d.id))),
        (e) => panelPage(ctx, d.panelId, e),
      );
    },
  };
}

/** A datetime-local value (Beijing time) as an ISO instant; anything else as typed (the API names it). */
function beijingInstant(local: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return local;
  return new Date(`${local.length === 16 ? `${local}:00` : local}+08:00`).toISOString();
}

export const loopPanelPages: ConsolePage[] = [
  { path: `${CONSOLE}/panels`, title: "专家和人员抽取", roles: ALL, nav: { group: "results", label: "专家和人员抽取", order: 58 }, uses: ["GET /panels", "GET /departments"], handler: (ctx) => panelList(ctx) },
  {
    path: `${CONSOLE}/panels`,
    method: "POST",
    title: "登记抽取事由",
    roles: OFFICER,
    uses: ["POST /panels", "GET /panels", "GET /departments"],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const f = ctx.form;
          const decision = field(f, "decisionId");
          const recusals = recusalsOf(field(f, "recusals"));
          const body = { purpose: field(f, "purpose"), name: field(f, "name"), applicationNo: field(f, "applicationNo"), subjectCode: field(f, "subjectCode"), subjectDistrict: field(f, "subjectDistrict"), day: field(f, "day"), seats: seatsOf(f), ...(decision ? { decisionId: idField(f, "decisionId") } : {}), ...(recusals.length ? { recusals } : {}) };
          const p = await ctx.api.post<Panel>("/panels", body);
          return ctx.redirect(`${CONSOLE}/panels/${p.id}`, `已登记抽取事由“${p.name}”。下一步：冻结名录并公布承诺值。`);
        },
        (e) => panelList(ctx, ctx.form, e),
      ),
  },
  { path: `${CONSOLE}/panels/:id`, title: "专家和人员抽取", roles: ALL, uses: PANEL_USES, handler: (ctx) => panelPage(ctx) },
  {
    path: `${CONSOLE}/panels/:id/draws`,
    method: "POST",
    title: "开始专家和人员抽取",
    roles: WRITERS,
    uses: ["POST /panels/:id/draws", ...PANEL_USES],
    handler: (ctx) =>
      submit(
        ctx,
        async () => {
          const f = ctx.form;
          const seed = field(f, "mode") === "external" ? { mode: "external", source: field(f, "source"), reference: field(f, "reference") } : { mode: field(f, "mode") || "commitReveal" };
          const reserves = intField(f, "reserves");
          const d = await ctx.api.post<PanelDraw>(`/panels/${ctx.params.id}/draws`, { seed, ...(reserves !== undefined ? { reserves } : {}) });
          return ctx.redirect(`${CONSOLE}/panels/${ctx.params.id}`, `名录已冻结，承诺值已公布：${d.commitment.slice(0, 16)}…`);
        },
        (e) => panelPage(ctx, ctx.params.id, e),
      ),
  },
  drawStep("commitment", "提交秘密值承诺", OFFICER, "POST /panel-draws/:id/commitments", async (ctx, id) => {
    // the first non-empty value: the <noscript> field follows the empty hidden one of the same name
    await ctx.api.post(`/panel-draws/${id}/commitments`, { hash: (fields(ctx.form, "hash")[0] ?? "").toLowerCase() });
    return "本部门的秘密值承诺已提交。请保管好秘密值备份文件。";
  }),
  drawStep("reveal", "公开秘密值", OFFICER, "POST /panel-draws/:id/reveals", async (ctx, id) => {
    const d = await ctx.api.post<PanelDraw>(`/panel-draws/${id}/reveals`, { secret: (fields(ctx.form, "secret")[0] ?? "").toLowerCase() });
    return d.status === "seeded" ? "秘密值已公开；各部门均已公开，种子已确定。" : "本部门秘密值已公开，等待其他部门公开。";
  }),
  drawStep("external", "录入外部随机数", WRITERS, "POST /panel-draws/:id/external-value", async (ctx, id) => {
    await ctx.api.post(`/panel-draws/${id}/external-value`, { value: field(ctx.form, "value"), publishedAt: beijingInstant(field(ctx.form, "publishedAt")) });
    return "外部随机数已录入，种子已确定。";
  }),
  drawStep("run", "抽取", WRITERS, "POST /panel-draws/:id/run", async (ctx, id) => {
    await ctx.api.post(`/panel-draws/${id}/run`);
    return "已抽取。结果不可更改，公开记录已更新（不含姓名）。";
  }),
  drawStep("substitute", "递补", WRITERS, "POST /panel-draws/:id/substitutions", async (ctx, id) => {
    const [seat, out] = field(ctx.form, "out").split("|");
    const r = await ctx.api.post<{ in: string | null }>(`/panel-draws/${id}/substitutions`, { seat: seat ?? "", out: out ?? "", reason: field(ctx.form, "reason") });
    return r.in ? `已递补：由 ${r.in} 替换。` : "已记录：该席位的顺序中已无可递补者。";
  }),
  drawStep("void", "作废", WRITERS, "POST /panel-draws/:id/void", async (ctx, id) => {
    await ctx.api.post(`/panel-draws/${id}/void`, { reason: field(ctx.form, "reason") });
    return "本次抽取已作废，理由已公开。";
  }),
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
