/**
 * The console's template engine: one tagged template that escapes every interpolated value.
 *
 *   html`<td>${name}</td>`          → name escaped (&, <, >, ", ')
 *   html`<ul>${items.map(li)}</ul>` → arrays are joined; Html values are inserted as they are
 *   raw(trustedMarkup)              → an Html value (only for markup this code built)
 *
 * null, undefined and false render as nothing, so `${cond && html`…`}` works.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (v: unknown): string => String(v ?? "").replace(/[&<>"']/g, (c) => ESC[c]!);

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return "";
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join("");
  return esc(v);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

export const raw = (s: string): Html => new Html(s);

/** `<option>`s for a select, one selected. */
export function options(list: readonly { value: string | number; label: string }[], selected: string | number | undefined | null): Html {
  return html`${list.map((o) => html`<option value="${o.value}"${String(o.value) === String(selected ?? "") ? raw(" selected") : ""}>${o.label}</option>`)}`;
}

/** An ISO instant in Beijing time (UTC+8): "2026-02-03 10:00". */
export function beijing(iso: string | null | undefined, withTime = true): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = new Date(t + 8 * 3600_000).toISOString();
  return withTime ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : s.slice(0, 10);
}

/** Today's civil date in Beijing. */
export function todayBeijing(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
