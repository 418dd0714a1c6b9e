/**
 * 进度 of long work started from the console (imports, draws, scheduling): the page reads the job
 * from GET /jobs/:id and shows its phase, the rows or tasks processed so far and the phases passed.
 * Without a script the page refreshes itself every 2 s (<noscript> meta refresh); with one,
 * console.js polls the same API route each second and updates the bar in place ([data-job]),
 * reloading the page once the job has ended. When it has: an import shows its row-by-row
 * report here; a draw or a schedule goes on to its own page with the outcome as the message;
 * a failure shows the API's Chinese message.
 */
import type { ConsolePage, PageContext } from "../framework.ts";
import { beijing, html, raw, type Html } from "../html.ts";
import { CONSOLE } from "../layout.ts";
import { ALL, type Draw } from "./shared.ts";
import { reportView, type ImportReport } from "./admin.ts";

export interface JobView {
  id: string;
  kind: "import" | "draw" | "schedule";
  label: string;
  status: "running" | "done" | "failed";
  phase: string;
  phaseLabel: string;
  done: number | null;
  total: number | null;
  bytesRead: number | null;
  totalBytes: number | null;
  phases: { phase: string; at: string }[];
  startedAt: string;
  finishedAt: string | null;
  target: string | null;
  result: unknown;
  error: { statusCode: number; code: string; message: string } | null;
}

/** What a phase counts (the same in console.js). */
const UNIT: Record<string, string> = { importing: "行", committing: "行", tasks: "项任务", instance: "户检查对象", solving: "项任务", writing: "次检查" };

/** "逐行检查并写入：已处理 12000 行（共 …）" — the same words console.js writes. */
export function progressText(j: JobView): string {
  const unit = UNIT[j.phase] ?? "";
  const counted = j.done !== null ? `：已处理 ${j.done}${j.total !== null ? ` / ${j.total}` : ""} ${unit}` : j.total !== null ? `（共 ${j.total} ${unit}）` : "";
  return `${j.phaseLabel}${counted}`;
}

function bar(j: JobView): Html {
  const [value, max] = j.totalBytes && j.bytesRead !== null ? [j.bytesRead, j.totalBytes] : j.total && j.done !== null ? [j.done, j.total] : [null, null];
  return value === null ? html`<progress class="progress" aria-label="进度"></progress>` : html`<progress class="progress" aria-label="进度" max="${max}" value="${value}"></progress>`;
}

function phaseList(j: JobView): Html {
  return html`<ol class="phases">${j.phases.map((p) => html`<li>${p.phase === j.phase && j.status === "running" ? html`<strong>${PHASES[p.phase] ?? p.phase}</strong>` : PHASES[p.phase] ?? p.phase} <span class="hint">${beijing(p.at)}</span></li>`)}</ol>`;
}

// The API's labels (api/routes/jobs.ts PHASE_LABEL) arrive only for the current phase.
const PHASES: Record<string, string> = { queued: "排队中", reading: "读取输入", importing: "逐行检查并写入", writing: "写入", committing: "提交事务", drawing: "抽取", tasks: "生成检查任务", instance: "整理排期问题", solving: "求解排期", publishing: "公示", done: "完成" };

const back = (j: JobView): string => {
  if (j.kind === "import") return `${CONSOLE}/imports`;
  if (j.kind === "draw" && j.target) return `${CONSOLE}${j.target}`;
  if (j.kind === "schedule" && j.target) return `${CONSOLE}${j.target}/schedule`;
  return CONSOLE;
};

function running(ctx: PageContext, j: JobView) {
  return ctx.render(html`<h1>${j.label}</h1>
<noscript>${raw('<meta http-equiv="refresh" content="2">')}<p class="hint">本页每 2 秒自动刷新。</p></noscript>
<section data-job="/jobs/${j.id}" aria-live="polite">
${bar(j)}
<p data-status role="status">${progressText(j)}</p>
${phaseList(j)}
<p class="hint">开始于 ${beijing(j.startedAt)}。可以离开本页，稍后从此地址回来查看：<a href="${CONSOLE}/jobs/${j.id}">${CONSOLE}/jobs/${j.id}</a></p>
</section>`, { title: "进度" });
}

function ended(ctx: PageContext, j: JobView) {
  if (j.status === "failed")
    return ctx.render(html`<h1>${j.label}：未完成</h1><p class="error-box" role="alert">${j.error?.message ?? "未完成"}</p>${phaseList(j)}<p><a href="${back(j)}">返回</a></p>`, { title: "未完成", status: j.error && j.error.statusCode < 500 ? j.error.statusCode : 500 });
  if (j.kind === "draw") {
    const d = j.result as Draw;
    return ctx.redirect(back(j), `抽取完成：抽中 ${d.summary.selected ?? 0} 户，生成 ${d.summary.tasks ?? 0} 项任务，已公示。`);
  }
  if (j.kind === "schedule") {
    const r = j.result as { visits: number; unscheduled: number };
    return ctx.redirect(back(j), `排期完成：${r.visits} 次检查${r.unscheduled ? `，${r.unscheduled} 项任务未能排入` : ""}。`);
  }
  return ctx.render(html`<h1>导入名录：完成</h1><p>${j.label}</p>${reportView(j.result as ImportReport)}${phaseList(j)}<p><a href="${CONSOLE}/imports">继续导入</a></p>`, { title: "导入报告" });
}

export const jobPages: ConsolePage[] = [
  {
    path: `${CONSOLE}/jobs/:id`,
    title: "进度",
    roles: ALL,
    uses: ["GET /jobs/:id"],
    handler: async (ctx) => {
      const j = await ctx.api.get<JobView>(`/jobs/${encodeURIComponent(ctx.params.id ?? "")}`);
      return j.status === "running" ? running(ctx, j) : ended(ctx, j);
    },
  },
];
