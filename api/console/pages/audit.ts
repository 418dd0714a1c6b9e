/**
 * 审计 (auditors and 纪检; administrators may look too): verification of a stored draw or of an
 * uploaded manifest with the verdict in plain Chinese (what was proven, what only the full
 * manifest can prove, or the first thing that does not match), the audit log searched and paged
 * on the server with its hash chain verified, and the draw's public record as a printable page.
 */
import { ApiCallError, answer, type ConsolePage, type PageContext } from "../framework.ts";
import { beijing, esc, html, type Html } from "../html.ts";
import { CONSOLE, STYLE_URL, SCRIPT_URL, errorBox } from "../layout.ts";
import { ALL, badge, csrf, td, type Batch, type Draw, type Task } from "./shared.ts";

const AUDIT_ROLES = ["admin", "auditor"] as const;

interface Verdict {
  ok: boolean;
  kind: string;
  path?: string;
  rule?: string;
  message?: string;
  proven?: string[];
  notProven?: string[];
  warnings?: string[];
  knownDraw: { id: number; status: string; publishedCommitment: string | null; matchesPublished: boolean } | null;
}

const KIND: Record<string, string> = { full: "完整清单（ssj-draw/2）", public: "公开清单（ssj-draw/2）", "v1-full": "完整清单（ssj-draw/1）", "v1-public": "公开清单（ssj-draw/1）" };

export function verdictView(v: Verdict, what: string): Html {
  const known = v.knownDraw
    ? v.knownDraw.matchesPublished
      ? html`<p>与本系统公布的抽取 ${v.knownDraw.id} 的承诺值一致（<code class="hash">${v.knownDraw.publishedCommitment}</code>）。</p>`
      : html`<p class="error-box">清单的承诺值与本系统为抽取 ${v.knownDraw.id} 公布的承诺值<strong>不一致</strong>：这不是当时公布的那次抽取。</p>`
    : html`<p class="muted">本系统没有承诺值相同的抽取。</p>`;
  if (!v.ok)
    return html`<section class="verdict bad" role="alert" aria-labelledby="verdict-title"><h2 id="verdict-title">核验未通过：${what}</h2>
<p><strong>${v.message ?? "清单与重算结果不一致"}</strong></p>
<dl class="kv"><dt>清单类型</dt><dd>${KIND[v.kind] ?? v.kind}</dd>${v.path ? html`<dt>第一处不一致</dt><dd><code>${v.path}</code></dd>` : ""}${v.rule ? html`<dt>规则</dt><dd><code>${v.rule}</code></dd>` : ""}</dl>
${known}
<p>结论：这份清单不能证明抽取是按规则进行的。请保存这份文件和本页，交纪检部门核查。</p></section>`;
  return html`<section class="verdict ok" role="status" aria-labelledby="verdict-title"><h2 id="verdict-title">核验通过：${what}</h2>
<p>清单类型：${KIND[v.kind] ?? v.kind}。</p>${known}
<h3>已经证明</h3><ul>${(v.proven ?? []).map((p) => html`<li>${p}</li>`)}</ul>
${v.notProven?.length ? html`<h3>这份清单不能证明（需要完整清单）</h3><ul>${v.notProven.map((p) => html`<li>${p}</li>`)}</ul>` : html`<p>完整清单：上述各项之外没有需要另行核对的事项。</p>`}
${v.warnings?.length ? html`<h3>提示</h3><ul>${v.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ""}</section>`;
}

async function verifyPage(ctx: PageContext, result: Html | null = null, error: ApiCallError | null = null) {
  const drawId = /^\d+$/.test(ctx.query.draw ?? "") ? ctx.query.draw! : "";
  let stored: Html | null = null;
  if (drawId && !result) stored = verdictView(await ctx.api.get<Verdict>(`/draws/${drawId}/verify`), `存储的抽取 ${drawId}`);
  return ctx.render(
    html`<h1>清单核验</h1>
<p>重新计算承诺值、种子、抽取结果和记录链，与清单逐项比对。存储的抽取以提交时公布（记入审计日志）的承诺值为准，不以数据库中的行为准；上传的清单可以来自任何地方（如公示页下载的公开清单，或审计留存的完整清单）。</p>
${errorBox(error, { manifest: "清单文件" })}
${result ?? stored ?? ""}
<section aria-labelledby="stored-title"><h2 id="stored-title">核验存储的抽取</h2>
<form method="get" action="${CONSOLE}/verify" class="filters"><div class="field"><label for="draw">抽取编号</label><input id="draw" name="draw" inputmode="numeric" pattern="[0-9]+" required value="${drawId}" size="8"></div><button type="submit">核验</button></form></section>
<section aria-labelledby="upload-title"><h2 id="upload-title">核验上传的清单</h2>
<form method="post" action="${CONSOLE}/verify" enctype="multipart/form-data" class="form" data-busy>${csrf(ctx.session.csrfToken)}
<div class="field"><label for="manifest">清单文件（JSON，完整或公开）</label><input id="manifest" name="manifest" type="file" required accept=".json,application/json"></div>
<div class="actions"><button type="submit">上传并核验</button><span class="hint" data-busy-text hidden>正在重算（大的名录需要几秒）…</span></div></form></section>
<p class="small">离线核验：<code>ssj verify 清单.json --commitment 承诺值</code>，结论与本页相同。</p>`,
    { status: error ? error.statusCode : 200 },
  );
}

// ── audit log ──────────────────────────────────────────────────────────────────────────────────

interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

const LIMIT = 50;

async function auditPage(ctx: PageContext) {
  const q = ctx.query;
  const filters = {
    subject: (q.subject ?? "").trim().slice(0, 200),
    action: (q.action ?? "").trim().slice(0, 100),
    actor: (q.actor ?? "").trim().slice(0, 100),
  };
  const fromSeq = /^\d+$/.test(q.fromSeq ?? "") && Number(q.fromSeq) >= 1 ? Number(q.fromSeq) : 1;
  const page = await ctx.api.get<{ entries: AuditEntry[]; nextSeq: number | null }>("/audit", { ...filters, fromSeq, limit: LIMIT });
  const chain = q.verify === "1" ? await ctx.api.get<{ ok: boolean; count?: number; head?: string; seq?: number; reason?: string }>("/audit/verify") : null;
  const kept = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ""));
  const link = (extra: Record<string, string>) => `${CONSOLE}/audit?${new URLSearchParams({ ...kept, ...extra }).toString()}`;
  const rows = page.entries.map(
    (e) => html`<tr>${td("序号", e.seq, "num")}${td("时间", beijing(e.at))}${td("操作者", e.actor)}${td("操作", html`<code>${e.action}</code>`)}${td("对象", html`<a href="${link({ subject: e.subject })}">${e.subject}</a>`)}${td(
      "内容",
      html`<details><summary>查看</summary><pre class="small">${JSON.stringify(e.payload, null, 1).slice(0, 4000)}</pre><p class="small">哈希 <code class="hash">${e.hash}</code></p></details>`,
    )}</tr>`,
  );
  return ctx.render(
    html`<h1>审计日志</h1>
<p>每一次写操作都按顺序记入日志，每条记录包含前一条的哈希（哈希链）：删改或调换任何一条都会被发现；链头每天公布在公示页上，截断日志尾部也会被发现。</p>
<section aria-labelledby="chain-title"><h2 id="chain-title">哈希链核验</h2>
${chain
  ? chain.ok
    ? html`<p class="verdict ok" role="status">${badge("完整", "b-ok")} 共 ${chain.count} 条记录，逐条重算哈希均一致。当前链头 <code class="hash">${chain.head}</code>。请与公示页公布的链头比对。</p>`
    : html`<p class="verdict bad" role="alert">${badge("不完整", "b-bad")} 第 ${chain.seq} 条：${chain.reason}。请保存本页并报告纪检部门。</p>`
  : html`<p><a class="btn" href="${link({ verify: "1" })}">核验整条哈希链</a></p>`}</section>
<h2>检索</h2>
<form method="get" action="${CONSOLE}/audit" class="filters" role="search">
<div class="field"><label for="action">操作（前缀）</label><input id="action" name="action" value="${filters.action}" placeholder="如 draw." size="14"></div>
<div class="field"><label for="subject">对象</label><input id="subject" name="subject" value="${filters.subject}" placeholder="如 draw:12" size="14"></div>
<div class="field"><label for="actor">操作者（包含）</label><input id="actor" name="actor" value="${filters.actor}" placeholder="如 user:3" size="14"></div>
<div class="field"><label for="fromSeq">从序号</label><input id="fromSeq" name="fromSeq" inputmode="numeric" value="${fromSeq}" size="6"></div>
<button type="submit" class="secondary">检索</button></form>
${page.entries.length
  ? html`<table class="cards-sm"><caption>从第 ${fromSeq} 条起 ${page.entries.length} 条</caption><thead><tr><th scope="col" class="num">序号</th><th scope="col">时间</th><th scope="col">操作者</th><th scope="col">操作</th><th scope="col">对象</th><th scope="col">内容</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p>没有符合条件的记录。</p>`}
<nav class="pager" aria-label="分页">${fromSeq > 1 ? html`<a href="${link({})}">从头开始</a>` : ""}${page.nextSeq ? html`<a href="${link({ fromSeq: String(page.nextSeq) })}" rel="next">下一页</a>` : ""}</nav>`,
    { wide: true },
  );
}

// ── the draw's public record, printable ─────────────────────────────────────────────────────

async function drawPrint(ctx: PageContext) {
  const d = await ctx.api.get<Draw>(`/draws/${ctx.params.id}`);
  const batch = await ctx.api.get<Batch>(`/batches/${d.batchId}`);
  const tasks = d.status === "drawn" || d.status === "void" ? await ctx.api.all<Task>("/tasks", { draw: d.id }) : [];
  const names = new Map(batch.departments.map((x) => [x.departmentId, x.departmentName]));
  const sheet = html`<article class="sheet" aria-label="抽取结果公示">
<h1>“双随机、一公开”抽取结果公示</h1>
<dl class="kv"><dt>批次</dt><dd>${batch.name}（${batch.code}），第 ${d.attempt} 次抽取</dd><dt>参与部门</dt><dd>${batch.departments.map((x) => x.departmentName).join("、")}</dd>
<dt>状态</dt><dd>${d.statusLabel}${d.voidReason ? `（作废理由：${d.voidReason}）` : ""}</dd>
<dt>输入冻结、承诺值公布</dt><dd>${beijing(d.frozenAt)}</dd><dt>承诺值</dt><dd><code class="hash">${d.commitment}</code></dd>
<dt>种子</dt><dd>${d.seed ? html`<code class="hash">${d.seed}</code>` : "尚未生成"}</dd><dt>抽取时间</dt><dd>${beijing(d.drawnAt)}</dd>
<dt>名录</dt><dd>${d.summary.pool} 户，抽中 ${d.summary.selected ?? 0} 户</dd><dt>记录链头</dt><dd><code class="hash">${d.head}</code></dd></dl>
${tasks.length
  ? html`<table><caption>抽中的检查对象（${tasks.length} 项任务）</caption><thead><tr><th scope="col">任务编号</th><th scope="col">检查对象</th><th scope="col">统一社会信用代码</th><th scope="col">部门</th></tr></thead><tbody>${tasks.map(
      (t) => html`<tr><td>${t.taskNo}</td><td>${t.entity.name}</td><td>${t.entity.code}</td><td>${names.get(t.departmentId) ?? ""}</td></tr>`,
    )}</tbody></table>`
  : ""}
<p class="small">任何人都可以从公示页下载公开清单，用 <code>ssj verify</code> 重新计算本次抽取。</p></article>`;
  return ctx.bare(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(`抽取 ${d.id} 公示`)}</title><link rel="stylesheet" href="${STYLE_URL}"><script src="${SCRIPT_URL}" defer></script></head><body><main id="main"><p class="no-print"><button type="button" data-print hidden>打印（A4）</button> <a href="${CONSOLE}/draws/${d.id}">返回</a></p>${sheet.text}</main></body></html>`,
  );
}

export const auditPages: ConsolePage[] = [
  { path: `${CONSOLE}/verify`, title: "清单核验", roles: ALL, nav: { group: "audit", label: "清单核验", order: 10 }, uses: ["GET /draws/:id/verify"], handler: (ctx) => verifyPage(ctx) },
  {
    path: `${CONSOLE}/verify`,
    method: "POST",
    multipart: true,
    title: "清单核验",
    roles: ALL,
    uses: ["POST /draws/verify", "GET /draws/:id/verify"],
    handler: async (ctx) => {
      const file = ctx.files.manifest;
      if (!file) return verifyPage(ctx, null, new ApiCallError(400, "VALIDATION_FAILED", "请选择清单文件", "manifest"));
      try {
        const v = answer<Verdict>(await ctx.api.raw("POST", "/draws/verify", file.data, "application/json"));
        return verifyPage(ctx, verdictView(v, `上传的清单 ${file.filename}`));
      } catch (e) {
        if (e instanceof ApiCallError && e.statusCode < 500 && e.statusCode !== 401 && e.statusCode !== 403)
          return verifyPage(ctx, verdictView({ ok: false, kind: "—", message: e.message, rule: e.code, path: e.field, knownDraw: null }, `上传的清单 ${file.filename}`));
        throw e;
      }
    },
  },
  { path: `${CONSOLE}/audit`, title: "审计日志", roles: AUDIT_ROLES, nav: { group: "audit", label: "审计日志", order: 20 }, uses: ["GET /audit", "GET /audit/verify"], handler: auditPage },
  { path: `${CONSOLE}/draws/:id/print`, title: "抽取公示（打印）", roles: ALL, uses: ["GET /draws/:id", "GET /batches/:id", "GET /tasks"], handler: drawPrint },
];


