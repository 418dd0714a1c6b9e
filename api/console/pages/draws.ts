/**
 * 抽取: every draw with its status (all roles; officers see their department's), and the seed
 * ceremony of one draw (ssj-draw/2):
 *   committed → each participating department's officer makes its secret in this browser
 *   (console.js, Web Crypto), keeps it there, prints a receipt, posts only its SHA-256 →
 *   once all are in, each reveals → seeded → the lead runs the draw once → drawn → 递补 / 作废.
 * An external seed instead: the value of the named public source, entered after it is published.
 */
import { ApiCallError, field, fields, type ConsolePage, type PageContext } from "../framework.ts";
import { beijing, html, options, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { ALL, DRAW_BADGE, OFFICER, WRITERS, actionButton, badge, csrf, pageOffset, pager, td, type Batch, type Department, type Draw, type Schedule, type Task, type Visit } from "./shared.ts";

interface DrawSummary {
  id: number;
  batchId: number;
  batchName: string;
  planName: string;
  year: number;
  departments: { id: number; name: string; role: string }[];
  status: string;
  statusLabel: string;
  attempt: number;
  createdAt: string;
  seededAt: string | null;
  drawnAt: string | null;
  voidedAt: string | null;
  voidReason: string | null;
}

const LIMIT = 50;

async function drawList(ctx: PageContext) {
  const status = ["committed", "seeded", "drawn", "void"].includes(ctx.query.status ?? "") ? ctx.query.status! : "";
  const offset = pageOffset(ctx.query);
  const page = await ctx.api.get<{ total: number; items: DrawSummary[] }>("/draws", { status, limit: LIMIT, offset });
  const rows = page.items.map(
    (d) => html`<tr>${td("编号", html`<a href="${CONSOLE}/draws/${d.id}">${d.id}</a>`)}${td("计划 · 批次", html`${d.planName} · <a href="${CONSOLE}/batches/${d.batchId}">${d.batchName}</a>`)}${td(
      "部门",
      d.departments.map((x) => x.name).join("、"),
    )}${td("次数", `第 ${d.attempt} 次`)}${td("状态", badge(d.statusLabel, DRAW_BADGE[d.status] ?? ""))}${td(
      "经过",
      html`<ol class="timeline small"><li>${beijing(d.createdAt)} 承诺</li>${d.seededAt ? html`<li>${beijing(d.seededAt)} 种子</li>` : ""}${d.drawnAt ? html`<li>${beijing(d.drawnAt)} 抽取</li>` : ""}${
        d.voidedAt ? html`<li>${beijing(d.voidedAt)} 作废：${d.voidReason}</li>` : ""
      }</ol>`,
    )}</tr>`,
  );
  return ctx.render(html`<h1>抽取记录</h1>
<p>每次抽取从冻结输入、公布承诺值开始，依次生成种子、抽取；作废的抽取连同理由保留。时间为北京时间。</p>
<form method="get" action="${CONSOLE}/draws" class="filters" role="search">
<div class="field"><label for="status">状态</label><select id="status" name="status">${options(
    [
      { value: "", label: "全部" },
      { value: "committed", label: "已承诺" },
      { value: "seeded", label: "已生成种子" },
      { value: "drawn", label: "已抽取" },
      { value: "void", label: "已作废" },
    ],
    status,
  )}</select></div><button type="submit" class="secondary">筛选</button></form>
${page.items.length
  ? html`<table class="cards-sm"><thead><tr><th scope="col">编号</th><th scope="col">计划 · 批次</th><th scope="col">部门</th><th scope="col">次数</th><th scope="col">状态</th><th scope="col">经过</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有符合条件的抽取。</p>`}
${pager(`${CONSOLE}/draws`, status ? { status } : {}, page.total, offset, LIMIT)}`);
}

// ── one draw ───────────────────────────────────────────────────────────────────────────────────

interface Ceremony {
  draw: Draw;
  batch: Batch;
  depts: Map<number, Department>;
  byCode: Map<string, Department>;
  myCode: string | null;
  isLead: boolean;
  isParticipant: boolean;
}

/** Each department's own exclusions (its yearly frequency cap, its rules): never silent, their reasons are in the published inputs. */
function departmentExclusions(draw: Draw): Html {
  const list = (draw.summary.departments ?? []).filter((d) => d.excluded > 0);
  if (list.length === 0) return html``;
  return html`<dt>部门排除</dt><dd><ul>${list.map(
    (d) => html`<li>${d.name}：${d.excluded} 户${d.frequencyCap > 0 ? `（其中 ${d.frequencyCap} 户已达同一企业年度检查频次上限）` : ""}</li>`,
  )}</ul><span class="small muted">只对该部门排除，其他部门仍可抽到；代码和理由在公示的输入中。</span></dd>`;
}

function seedPlanText(d: Draw, byCode: Map<string, Department>): string {
  const p = d.seedPlan;
  if (!p) return "";
  if (p.mode === "external") return `外部公开随机数：${p.source ?? ""} ${p.reference ?? ""}`;
  return `承诺—公开：${(p.departments ?? []).map((c) => byCode.get(c)?.name ?? c).join("、")} 各自提交秘密值承诺，全部提交后再公开，合成种子`;
}

const secretKey = (c: Ceremony) => `draw-${c.draw.id}-${c.myCode}`;

function commitStep(c: Ceremony, token: string): Html {
  const d = c.draw;
  const mine = d.secretCommitments.find((x) => x.department === c.myCode);
  if (mine) return html`<p class="step-done">本部门已于 ${beijing(mine.committedAt)} 提交秘密值承诺 <code class="hash">${mine.hash}</code>${mine.revealed ? "，并已公开。" : "。"}</p>`;
  const deptName = c.myCode ? c.byCode.get(c.myCode)?.name ?? c.myCode : "";
  return html`<form method="post" action="${CONSOLE}/draws/${d.id}/commitment" class="form" data-secret-commit="${secretKey(c)}" data-busy>
${csrf(token)}<input type="hidden" name="hash" value="">
<p>第一步：在<strong>本部门的这台电脑的浏览器</strong>中生成本部门的秘密值。秘密值只保存在这个浏览器里（并可下载为文件备份），服务器只收到它的 SHA-256 哈希；公开阶段再由本部门提交秘密值本身。</p>
<noscript><p class="error-box">生成秘密值需要启用浏览器脚本；也可以用命令 <code>ssj secret new</code> 在本部门电脑上生成，再把它的哈希填在这里。</p>
<div class="field"><label for="hash-manual">秘密值的 SHA-256（64 位十六进制）</label><input id="hash-manual" name="hash" pattern="[0-9a-f]{64}"></div></noscript>
<div class="actions"><button type="button" data-make hidden class="secondary">生成本部门秘密值</button><button type="button" data-download hidden class="secondary">下载秘密值文件（备份）</button></div>
<p>哈希：<code class="hash" data-hash-out>（尚未生成）</code></p>
<p class="hint" data-status role="status"></p>
<div class="actions"><button type="submit">提交${deptName}的秘密值承诺</button><span class="hint" data-busy-text hidden>正在提交…</span></div>
</form>
<section id="receipt" class="receipt sheet" hidden aria-labelledby="receipt-title">
<h3 id="receipt-title">秘密值承诺回执</h3>
<dl class="kv"><dt>抽取编号</dt><dd>${d.id}（第 ${d.attempt} 次）</dd><dt>批次</dt><dd>${c.batch.name}（${c.batch.code}）</dd><dt>部门</dt><dd>${deptName}</dd>
<dt>抽取承诺值</dt><dd><code class="hash">${d.commitment}</code></dd><dt>秘密值 SHA-256</dt><dd><code class="hash" data-receipt-hash></code></dd><dt>生成时间</dt><dd data-receipt-time></dd></dl>
<p class="small">公开阶段提交的秘密值，其 SHA-256 必须与本回执上的哈希一致。秘密值本身不在回执上，请妥善保管备份文件，公开前不要告诉任何人。</p>
<div class="sign"><p>经办人：<span class="blank"></span></p><p>监督人：<span class="blank"></span></p></div>
<p class="no-print"><button type="button" data-print hidden class="secondary">打印回执</button></p>
</section>`;
}

function revealStep(c: Ceremony, token: string): Html {
  const d = c.draw;
  const mine = d.secretCommitments.find((x) => x.department === c.myCode);
  const expected = d.seedPlan?.departments ?? [];
  const missing = expected.filter((code) => !d.secretCommitments.some((x) => x.department === code));
  if (!mine) return html``;
  if (mine.revealed) return html`<p class="step-done">本部门已公开秘密值。</p>`;
  if (missing.length) return html`<p class="note">等待 ${missing.map((code) => c.byCode.get(code)?.name ?? code).join("、")} 提交承诺；全部提交后才能公开。请稍后刷新本页。</p>`;
  return html`<form method="post" action="${CONSOLE}/draws/${d.id}/reveal" class="form" data-secret-reveal="${secretKey(c)}" data-hash="${mine.hash}" data-busy>
${csrf(token)}<input type="hidden" name="secret" value="">
<p>第二步：所有部门都已提交承诺。现在公开本部门的秘密值（本浏览器中保存的，或从备份文件读取）；提交前会核对它与本部门的承诺一致。</p>
<div class="field"><label for="secret-file">备份的秘密值文件（本浏览器中没有时）</label><input id="secret-file" type="file" accept=".secret,.txt" data-file hidden></div>
<div class="field"><label for="secret-paste">或粘贴秘密值</label><input id="secret-paste" data-paste hidden autocomplete="off" spellcheck="false"></div>
<noscript><div class="field"><label for="secret-manual">秘密值（64 位十六进制）</label><input id="secret-manual" name="secret" pattern="[0-9a-f]{64}"></div></noscript>
<p class="hint" data-status role="status"></p>
<div class="actions"><button type="submit">公开本部门秘密值</button><span class="hint" data-busy-text hidden>正在提交…</span></div>
</form>`;
}

function externalStep(c: Ceremony, token: string): Html {
  if (!c.isLead) return html`<p>等待牵头部门录入外部随机数。</p>`;
  return html`<form method="post" action="${CONSOLE}/draws/${c.draw.id}/external" class="form" data-busy>
${csrf(token)}
<p>录入承诺时已指定的外部公开随机数（${c.draw.seedPlan?.source ?? ""} ${c.draw.seedPlan?.reference ?? ""}）。它的公布时间须晚于输入冻结时间（${beijing(c.draw.frozenAt)}），且不能是将来。</p>
<div class="row"><div class="field"><label for="value">公布的数值</label><input id="value" name="value" required maxlength="500" placeholder="如 03 07 12 19 25 31 + 09"></div>
<div class="field"><label for="publishedAt">公布时间（北京时间）</label><input id="publishedAt" name="publishedAt" type="datetime-local" step="1" required aria-describedby="publishedAt-h"><small id="publishedAt-h">精确到秒；须晚于 ${beijing(c.draw.frozenAt)}</small></div></div>
<div class="actions"><button type="submit">录入外部随机数</button></div></form>`;
}

/** The scheduled team members of the officer's own department: "entity code|certificate" → label. */
function myMembers(c: Ceremony, visits: Visit[]): { value: string; label: string }[] {
  const mine = c.myCode ? c.byCode.get(c.myCode)?.id : undefined;
  return visits.flatMap((v) =>
    v.team.filter((m) => m.role === "officer" && m.departmentId === mine && m.certificateNo).map((m) => ({ value: `${v.entity.code}|${m.certificateNo}`, label: `${v.day} ${v.entity.name} · ${m.name}（${m.certificateNo}）` })),
  );
}

function drawnStep(c: Ceremony, tasks: Task[], visits: Visit[], token: string): Html {
  const d = c.draw;
  const mineTasks = tasks.filter((t) => t.status !== "cancelled");
  const members = myMembers(c, visits);
  return html`<p class="step-done">已于 ${beijing(d.drawnAt)} 抽取：名录 ${d.summary.pool} 户，抽中 ${d.summary.selected ?? 0} 户，生成任务 ${d.summary.tasks ?? 0} 项。</p>
<div class="actions"><a class="btn" href="${CONSOLE}/batches/${d.batchId}/schedule">排期与日历</a><a href="${CONSOLE}/tasks?draw=${d.id}">任务清单</a><a href="/public/draws/${d.id}">公示页上的本次抽取</a></div>
${c.isParticipant && c.myCode && mineTasks.length
  ? html`<section aria-labelledby="sub-title"><h3 id="sub-title">递补（按公布的随机顺序由下一位替换，须说明理由）</h3>
<form method="post" action="${CONSOLE}/draws/${d.id}/substitute" class="form" data-busy data-confirm="递补会追加到公开的记录链，不能撤回。确定递补？">
${csrf(token)}
<div class="checks" role="radiogroup" aria-label="递补对象"><label><input type="radio" name="kind" value="target" checked> 检查对象（如已注销、无法联系）</label><label><input type="radio" name="kind" value="inspector"> 执法人员（回避、请假）</label></div>
<div class="row"><div class="field"><label for="entityCode">检查对象</label><select id="entityCode" name="entityCode">${options(
      mineTasks.map((t) => ({ value: t.entity.code, label: `${t.entity.name}（${t.entity.code}）` })),
      "",
    )}</select></div>
${members.length
      ? html`<div class="field"><label for="member">被替换的执法人员（递补人员时）</label><select id="member" name="member">${options([{ value: "", label: "（选择检查和人员）" }, ...members], "")}</select></div></div>`
      : html`<div class="field"><label for="out">被替换执法人员的执法证号（递补人员时）</label><input id="out" name="out" maxlength="64"></div></div>`}
<div class="field"><label for="reason">理由（检查对象的理由公开）</label><input id="reason" name="reason" required minlength="2" maxlength="500"></div>
<div class="actions"><button type="submit">递补</button></div></form></section>`
  : ""}`;
}

function voidForm(c: Ceremony, token: string): Html {
  if (!c.isLead || c.draw.status === "void") return html``;
  return html`<details><summary>作废本次抽取</summary>
<form method="post" action="${CONSOLE}/draws/${c.draw.id}/void" class="form" data-confirm="作废后本次抽取连同理由留在公示记录上，重抽须使用新种子。确定作废？">
${csrf(token)}<div class="field"><label for="void-reason">作废理由（公开，至少 4 个字）</label><textarea id="void-reason" name="reason" required minlength="4" maxlength="1000" rows="2"></textarea></div>
<div class="actions"><button type="submit" class="secondary">作废</button></div></form></details>`;
}

async function ceremony(ctx: PageContext, error?: ApiCallError | null) {
  const draw = await ctx.api.get<Draw>(`/draws/${ctx.params.id}`);
  const [batch, deptList] = await Promise.all([ctx.api.get<Batch>(`/batches/${draw.batchId}`), ctx.api.get<Department[]>("/departments")]);
  const depts = new Map(deptList.map((d) => [d.id, d]));
  const byCode = new Map(deptList.map((d) => [d.code, d]));
  const myCode = ctx.departmentId !== null ? depts.get(ctx.departmentId)?.code ?? null : null;
  const c: Ceremony = {
    draw,
    batch,
    depts,
    byCode,
    myCode,
    isLead: ctx.role === "admin" || (ctx.role === "officer" && ctx.departmentId === batch.planDepartmentId),
    isParticipant: ctx.role === "officer" && batch.departments.some((d) => d.departmentId === ctx.departmentId),
  };
  const token = ctx.session.csrfToken;
  const tasks = draw.status === "drawn" && c.isParticipant ? await ctx.api.all<Task>("/tasks", { draw: draw.id }) : [];
  const visits = draw.status === "drawn" && c.isParticipant ? (await ctx.api.get<Schedule>(`/batches/${batch.id}/schedule`)).visits : [];
  const commitReveal = draw.seedPlan?.mode === "commitReveal";
  let step: Html = html``;
  if (draw.status === "committed" && commitReveal && c.isParticipant) step = html`${commitStep(c, token)}${revealStep(c, token)}`;
  else if (draw.status === "committed" && commitReveal) step = html`<p>等待各参与部门的科员在本部门浏览器中提交并公开秘密值（管理员不能代交）。</p>`;
  else if (draw.status === "committed") step = externalStep(c, token);
  else if (draw.status === "seeded")
    step = c.isLead
      ? html`<p>种子已确定：<code class="hash">${draw.seed}</code></p>${actionButton(`${CONSOLE}/draws/${draw.id}/run`, "抽取（只能一次）", token, { confirm: "抽取只能进行一次，结果立即公示。确定抽取？" })}`
      : html`<p>种子已确定，等待牵头部门抽取。</p>`;
  else if (draw.status === "drawn") step = drawnStep(c, tasks, visits, token);
  const commitments = (draw.seedPlan?.departments ?? []).map((code) => {
    const x = draw.secretCommitments.find((s) => s.department === code);
    return html`<tr>${td("部门", byCode.get(code)?.name ?? code)}${td("承诺（秘密值的 SHA-256）", x ? html`<code class="hash">${x.hash}</code>` : "未提交")}${td("提交时间", x ? beijing(x.committedAt) : "")}${td(
      "公开",
      x?.revealed ? badge("已公开", "b-ok") : badge("未公开", "b-warn"),
    )}</tr>`;
  });
  return ctx.render(
    html`<p class="small"><a href="${CONSOLE}/draws">抽取记录</a> › <a href="${CONSOLE}/batches/${batch.id}">${batch.name}</a> › 抽取 ${draw.id}</p>
<h1>抽取 ${draw.id} ${badge(draw.statusLabel, DRAW_BADGE[draw.status] ?? "")}</h1>
${draw.status === "void" ? html`<p class="error-box" role="note">已作废：${draw.voidReason}（${beijing(draw.voidedAt)}）。作废的抽取连同其承诺值、种子和结果保留在公示记录上。</p>` : ""}
${errorBox(error)}
<dl class="kv"><dt>批次</dt><dd>${batch.name}（第 ${draw.attempt} 次抽取）</dd><dt>输入冻结（承诺公布）</dt><dd>${beijing(draw.frozenAt)}</dd>
<dt>承诺值</dt><dd><code class="hash">${draw.commitment}</code></dd><dt>种子方案</dt><dd>${seedPlanText(draw, byCode)}</dd>
<dt>名录</dt><dd>${draw.summary.pool} 户（排除 ${draw.summary.excluded} 户）</dd>${departmentExclusions(draw)}${draw.seed ? html`<dt>种子</dt><dd><code class="hash">${draw.seed}</code></dd>` : ""}<dt>记录链头</dt><dd><code class="hash">${draw.head}</code></dd></dl>
${commitReveal ? html`<table class="cards-sm"><caption>各部门的秘密值承诺</caption><thead><tr><th scope="col">部门</th><th scope="col">承诺（秘密值的 SHA-256）</th><th scope="col">提交时间</th><th scope="col">公开</th></tr></thead><tbody>${commitments}</tbody></table>` : ""}
<h2>当前步骤</h2>
${step}
<h2>清单与核验</h2>
<p><a href="${CONSOLE}/draws/${draw.id}/manifest?kind=full">下载完整清单（含风险类别、执法人员，供审计）</a> · <a href="${CONSOLE}/draws/${draw.id}/manifest?kind=public">下载公开清单</a> · <a href="${CONSOLE}/verify?draw=${draw.id}">核验本次抽取</a> · <a href="${CONSOLE}/draws/${draw.id}/print">打印抽取公示</a></p>
${draw.records.length ? html`<ol class="timeline">${draw.records.map((r) => html`<li>${beijing(r.at)} 记录 ${r.seq}：${RECORD_KIND[r.kind] ?? r.kind} <code class="hash small">${r.digest}</code></li>`)}</ol>` : ""}
${voidForm(c, token)}`,
    { status: error ? error.statusCode : 200 },
  );
}

const RECORD_KIND: Record<string, string> = { draw: "抽取", substitution: "递补", schedule: "排期" };

/** Run an API step of the ceremony; on a refusal the ceremony page shows the API's reason. */
function step(path: string, title: string, roles: readonly ("admin" | "officer" | "auditor")[], uses: string[], call: (ctx: PageContext) => Promise<string>): ConsolePage {
  return {
    path: `${CONSOLE}/draws/:id/${path}`,
    method: "POST",
    title,
    roles,
    uses: [...uses, "GET /draws/:id", "GET /batches/:id", "GET /departments", "GET /tasks", "GET /batches/:id/schedule"],
    handler: async (ctx) => {
      try {
        const flash = await call(ctx);
        return ctx.redirect(`${CONSOLE}/draws/${ctx.params.id}`, flash);
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401) return ceremony(ctx, e);
        throw e;
      }
    },
  };
}

export const drawPages: ConsolePage[] = [
  { path: `${CONSOLE}/draws`, title: "抽取记录", roles: ALL, nav: { group: "plans", label: "抽取仪式与记录", order: 20 }, uses: ["GET /draws"], handler: drawList },
  { path: `${CONSOLE}/draws/:id`, title: "抽取", roles: ALL, uses: ["GET /draws/:id", "GET /batches/:id", "GET /departments", "GET /tasks", "GET /batches/:id/schedule"], handler: (ctx) => ceremony(ctx) },
  step("commitment", "提交承诺", OFFICER, ["POST /draws/:id/commitments"], async (ctx) => {
    await ctx.api.post(`/draws/${ctx.params.id}/commitments`, { hash: (fields(ctx.form, "hash")[0] ?? "").toLowerCase() });
    return "本部门的秘密值承诺已提交。请保管好秘密值备份文件和打印的回执。";
  }),
  step("reveal", "公开秘密值", OFFICER, ["POST /draws/:id/reveals"], async (ctx) => {
    const d = await ctx.api.post<Draw>(`/draws/${ctx.params.id}/reveals`, { secret: (fields(ctx.form, "secret")[0] ?? "").toLowerCase() });
    return d.status === "seeded" ? "秘密值已公开，所有部门均已公开：种子已确定。" : "本部门秘密值已公开，等待其他部门公开。";
  }),
  step("external", "录入外部随机数", WRITERS, ["POST /draws/:id/external-value"], async (ctx) => {
    const local = field(ctx.form, "publishedAt");
    const publishedAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local) ? new Date(`${local.length === 16 ? `${local}:00` : local}+08:00`).toISOString() : local;
    await ctx.api.post(`/draws/${ctx.params.id}/external-value`, { value: field(ctx.form, "value"), publishedAt });
    return "外部随机数已录入，种子已确定。";
  }),
  {
    // Runs in the background: the browser follows its progress on the job page (pages/jobs.ts), which goes on to the draw when done.
    ...step("run", "抽取", WRITERS, ["POST /draws/:id/run"], async () => ""),
    handler: async (ctx) => {
      try {
        const { job } = await ctx.api.post<{ job: { id: string } }>(`/draws/${Number(ctx.params.id)}/run?background=true`);
        return ctx.redirect(`${CONSOLE}/jobs/${job.id}`);
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401) return ceremony(ctx, e);
        throw e;
      }
    },
  },
  step("void", "作废", WRITERS, ["POST /draws/:id/void"], async (ctx) => {
    await ctx.api.post(`/draws/${ctx.params.id}/void`, { reason: field(ctx.form, "reason") });
    return "本次抽取已作废，理由已公示。";
  }),
  step("substitute", "递补", WRITERS, ["POST /draws/:id/substitutions"], async (ctx) => {
    const kind = field(ctx.form, "kind");
    const reason = field(ctx.form, "reason");
    const [memberCode, memberCert] = field(ctx.form, "member").split("|");
    const body =
      kind === "inspector"
        ? { kind, entityCode: memberCert ? memberCode : field(ctx.form, "entityCode"), out: memberCert ?? field(ctx.form, "out"), reason }
        : { kind: "target", out: field(ctx.form, "entityCode"), reason };
    const r = await ctx.api.post<{ in: string | null }>(`/draws/${ctx.params.id}/substitutions`, body);
    return r.in ? `已递补：由 ${r.in} 替换。` : "已记录：随机顺序中已无可递补者。";
  }),
  {
    path: `${CONSOLE}/draws/:id/manifest`,
    title: "抽取清单",
    roles: ALL,
    uses: ["GET /draws/:id/manifest"],
    handler: async (ctx) => {
      const kind = ctx.query.kind === "public" ? "public" : "full";
      const res = await ctx.api.raw("GET", `/draws/${ctx.params.id}/manifest?kind=${kind}`);
      if (res.statusCode !== 200) {
        let msg = `下载失败（${res.statusCode}）`;
        try {
          msg = JSON.parse(res.body).message ?? msg;
        } catch {
          /* keep */
        }
        throw new ApiCallError(res.statusCode, "MANIFEST", msg);
      }
      return ctx.file(`draw-${ctx.params.id}-${kind}-manifest.json`, "application/json; charset=utf-8", res.rawPayload);
    },
  },
];

