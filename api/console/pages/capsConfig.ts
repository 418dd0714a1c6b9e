/**
 * The configuration page's 同一企业年度检查频次上限及豁免 (国办发〔2024〕54号): one form per department
 * (cap at its level, optional cap across levels, exempt kinds of directed check each with its
 * reason), checked in the browser as typed (console.js `form[data-frequency-cap]`), again by the
 * page with the field named, and finally by the API (PUT /departments/:id/frequency-cap).
 */
import { ApiCallError, field, fields, intField, type FormBody, type PageContext } from "../framework.ts";
import { beijing, html, raw, type Html } from "../html.ts";
import { CONSOLE, errorBox } from "../layout.ts";
import { actionButton, csrf, td, type Department } from "./shared.ts";

export interface FrequencyCaps {
  departmentId: number;
  level: string;
  configured: boolean;
  maxPerYear: number;
  maxPerYearAllLevels: number | null;
  exemptions: { kind: string; reason: string }[];
  updatedAt: string | null;
}

/** Kinds of directed check a department may exempt (a drawn check never). */
export const EXEMPT_KINDS: [string, string][] = [
  ["complaint", "投诉举报"],
  ["referral", "转办交办"],
  ["dataAlert", "数据监测"],
  ["commitment", "告知承诺核查"],
  ["riskAlert", "风险预警"],
  ["followUp", "复核后续监管"],
];
const KIND_NAME = new Map(EXEMPT_KINDS);
const LEVEL_LABEL: Record<string, string> = { city: "市级", district: "区县级" };
export const CAP_MAX = 100;
export const capKey = (departmentId: number) => `frequencyCap-${departmentId}`;

const LABELS = { maxPerYear: "本层级上限", maxPerYearAllLevels: "跨层级上限" };

function capForm(ctx: PageContext, d: Department, c: FrequencyCaps, v: FormBody | null, error: ApiCallError | null): Html {
  const mine = v !== null && field(v, "key") === capKey(d.id);
  const fv = (name: string, fallback: unknown) => (mine && v![name] !== undefined ? field(v!, name) : String(fallback ?? ""));
  const exempt = mine ? new Set(fields(v!, "exempt")) : new Set(c.exemptions.map((e) => e.kind));
  const reason = new Map(c.exemptions.map((e) => [e.kind, e.reason]));
  const id = (s: string) => `fc${d.id}-${s}`;
  return html`<details${mine ? raw(" open") : ""}><summary>设置 ${d.name}</summary>
${mine ? errorBox(error, LABELS) : ""}
<form method="post" action="${CONSOLE}/config/frequency-caps/${d.id}" class="form" data-busy data-frequency-cap>${csrf(ctx.session.csrfToken)}<input type="hidden" name="key" value="${capKey(d.id)}">
<div class="row">
<div class="field"><label for="${id("n")}">本层级每年对同一企业最多检查（次）</label><input id="${id("n")}" name="maxPerYear" type="number" required min="1" max="${CAP_MAX}" step="1" value="${fv("maxPerYear", c.configured ? c.maxPerYear : "")}" data-cap-level aria-describedby="${id("n")}-h"><small id="${id("n")}-h">按本部门层级（${LEVEL_LABEL[c.level] ?? c.level}）计；1–${CAP_MAX}</small></div>
<div class="field"><label for="${id("all")}">与上下级部门合计每年最多（次）</label><input id="${id("all")}" name="maxPerYearAllLevels" type="number" min="1" max="${CAP_MAX}" step="1" value="${fv("maxPerYearAllLevels", c.maxPerYearAllLevels ?? "")}" data-cap-all aria-describedby="${id("all")}-h"><small id="${id("all")}-h" data-cap-all-msg>留空为不限；不能小于本层级上限</small></div>
</div>
<fieldset><legend>豁免：不计入频次的定向检查（每项须写明理由；双随机抽查不能豁免）</legend>
${EXEMPT_KINDS.map(
  ([kind, label]) => html`<div class="row" data-exemption>
<div class="field"><label><input type="checkbox" name="exempt" value="${kind}"${exempt.has(kind) ? raw(" checked") : ""}> ${label}</label></div>
<div class="field"><label for="${id(`r-${kind}`)}">${label}的豁免理由</label><input id="${id(`r-${kind}`)}" name="reason-${kind}" maxlength="200" minlength="2" value="${fv(`reason-${kind}`, reason.get(kind) ?? "")}" placeholder="如：${label}引发的检查依法必须处理"${exempt.has(kind) ? raw(" required") : ""}></div>
</div>`,
)}
</fieldset>
<div class="actions"><button type="submit">保存 ${d.name} 的上限</button>${c.updatedAt ? html`<span class="hint">上次修改 ${beijing(c.updatedAt)}</span>` : html`<span class="hint">尚未设置</span>`}</div></form>
${c.configured ? actionButton(`${CONSOLE}/config/frequency-caps/${d.id}/delete`, `取消 ${d.name} 的上限`, ctx.session.csrfToken, { secondary: true, confirm: `取消后 ${d.name} 不再限制同一企业的年度检查次数。确定取消？` }) : ""}
</details>`;
}

const capText = (c: FrequencyCaps) =>
  c.configured ? `本层级 ${c.maxPerYear} 次${c.maxPerYearAllLevels !== null ? `，合计 ${c.maxPerYearAllLevels} 次` : ""}` : "未设置";

/** The section of the configuration page. */
export function capsSection(ctx: PageContext, depts: Department[], caps: FrequencyCaps[], v: FormBody | null, error: ApiCallError | null): Html {
  const byDept = new Map(caps.map((c) => [c.departmentId, c]));
  const list = depts.filter((d) => byDept.has(d.id));
  const rows = list.map((d) => {
    const c = byDept.get(d.id)!;
    const ex = c.exemptions.map((e) => html`<li>${KIND_NAME.get(e.kind) ?? e.kind}：${e.reason || "（未写理由）"}</li>`);
    return html`<tr>${td("部门", d.name)}${td("层级", LEVEL_LABEL[c.level] ?? c.level)}${td("年度检查频次上限", capText(c))}${td("豁免及理由", ex.length ? html`<ul>${ex}</ul>` : "—")}</tr>`;
  });
  return html`<section aria-labelledby="cfg-frequencyCaps"><h2 id="cfg-frequencyCaps">同一企业年度检查频次上限及豁免</h2>
<p class="hint">按国办发〔2024〕54号，各部门公布对同一企业的年度检查频次上限。抽取时，本部门（含上下级部门）本年度已计入的检查达到上限的企业列为本部门的排除对象，规则和理由写入冻结并公示的输入，不会被悄悄略过；不在豁免之列的定向检查达到上限时不能建立。</p>
<table class="cards-sm"><caption>各部门的上限</caption><thead><tr><th scope="col">部门</th><th scope="col">层级</th><th scope="col">年度检查频次上限</th><th scope="col">豁免及理由</th></tr></thead><tbody>${rows}</tbody></table>
${list.map((d) => capForm(ctx, d, byDept.get(d.id)!, v, error))}
</section>`;
}

/** The API body of a department's cap from its form, or a problem naming the field. */
export function capBody(f: FormBody): { value: { maxPerYear: number; maxPerYearAllLevels: number | null; exemptions: { kind: string; reason: string }[] } } | { problem: string; field: string } {
  const n = intField(f, "maxPerYear");
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > CAP_MAX) return { problem: `须为 1–${CAP_MAX} 的整数`, field: "maxPerYear" };
  const all = intField(f, "maxPerYearAllLevels");
  if (all !== undefined && (!Number.isInteger(all) || all < 1 || all > CAP_MAX)) return { problem: `须为 1–${CAP_MAX} 的整数，或留空为不限`, field: "maxPerYearAllLevels" };
  if (all !== undefined && all < n) return { problem: `合计上限（${all}）不能小于本层级上限（${n}）`, field: "maxPerYearAllLevels" };
  const exemptions: { kind: string; reason: string }[] = [];
  for (const kind of new Set(fields(f, "exempt"))) {
    const label = KIND_NAME.get(kind);
    if (!label) return { problem: `“${kind}”不是可以豁免的定向检查类型`, field: "exempt" };
    const reason = field(f, `reason-${kind}`);
    if (reason.length < 2 || reason.length > 200) return { problem: `【${label}的豁免理由】须写明理由（2–200 个字符）`, field: `reason-${kind}` };
    exemptions.push({ kind, reason });
  }
  return { value: { maxPerYear: n, maxPerYearAllLevels: all ?? null, exemptions } };
}
