/**
 * A small exact-shape checker for the draw documents (docs/draw-spec.md §3.1 rules 1–2): every
 * object has exactly the members named, every value its type; lists said to be sorted are strictly
 * ascending (hence unique). Errors are DrawInputError(path, rule, Chinese message).
 *
 *   const Batch = obj({ id: str, year: int(2000, 2100), days: list(date, { sorted: true }) });
 *   Batch(value, "inputs.public.batch");     // throws at the first broken rule
 */
import { codePointCompare } from "../canonicalJson.ts";
import { DrawInputError } from "../rational.ts";

export type Check = (v: unknown, path: string) => void;

export function fail(path: string, rule: string, message: string): never {
  throw new DrawInputError(path, rule, message);
}

const LONE_SURROGATE = /\p{Surrogate}/u;
const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "数组" : typeof v === "string" ? "字符串" : typeof v === "number" ? "数字" : typeof v === "boolean" ? "布尔值" : "对象");

/** A non-empty string without unpaired surrogates, at most `max` characters. */
export const strMax =
  (max: number): Check =>
  (v, p) => {
    if (typeof v !== "string") fail(p, "type", `应为字符串，实为${kind(v)}`);
    const s = v as string;
    if (s.length === 0) fail(p, "nonEmpty", "不能为空字符串");
    if (s.length > max) fail(p, "length", `长度不能超过 ${max} 个字符`);
    if (LONE_SURROGATE.test(s)) fail(p, "surrogate", "含有不成对的代理字符");
  };
export const str: Check = strMax(10_000);

export const pattern =
  (re: RegExp, what: string): Check =>
  (v, p) => {
    if (typeof v !== "string") fail(p, "type", `应为字符串，实为${kind(v)}`);
    if (!re.test(v as string)) fail(p, "format", `“${String(v).slice(0, 40)}”不是${what}`);
  };

export const int =
  (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check =>
  (v, p) => {
    if (typeof v !== "number") fail(p, "type", `应为整数，实为${kind(v)}`);
    if (!Number.isSafeInteger(v)) fail(p, "integer", `${v} 不是整数`);
    if ((v as number) < min || (v as number) > max) fail(p, "range", `应在 ${min} 到 ${max} 之间，实为 ${v}`);
  };

export const bool: Check = (v, p) => {
  if (typeof v !== "boolean") fail(p, "type", `应为 true 或 false，实为${kind(v)}`);
};

export const literal =
  (...values: string[]): Check =>
  (v, p) => {
    if (typeof v !== "string" || !values.includes(v)) fail(p, "enum", `应为 ${values.map((x) => `“${x}”`).join("、")} 之一，实为 ${JSON.stringify(v)?.slice(0, 40)}`);
  };

export const nullable =
  (c: Check): Check =>
  (v, p) => {
    if (v !== null) c(v, p);
  };

export const HEX64 = /^[0-9a-f]{64}$/;
export const CODE = /^[0-9A-Z]{1,23}$/;
export const DISTRICT = /^[0-9]{6}$/;
export const PREFIX = /^[0-9]{2,6}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const hex64 = pattern(HEX64, "64 位小写十六进制");
export const code = pattern(CODE, "统一社会信用代码或注册号（1–23 位数字或大写字母）");
export const district = pattern(DISTRICT, "6 位区划码");
export const prefix = pattern(PREFIX, "2–6 位区划码前缀");

export const date: Check = (v, p) => {
  pattern(DATE_RE, "日期（年-月-日）")(v, p);
  const d = new Date(`${v as string}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) fail(p, "format", `“${v}”不是真实的日期`);
};

export const instant: Check = (v, p) => {
  pattern(INSTANT_RE, "UTC 时刻（YYYY-MM-DDTHH:MM:SS.sssZ）")(v, p);
  const d = new Date(v as string);
  if (Number.isNaN(d.getTime()) || d.toISOString() !== v) fail(p, "format", `“${v}”不是真实的时刻`);
};

export interface ListOptions {
  /** Strictly ascending by this key (code-point order of strings, numeric order of numbers). */
  sortedBy?: (x: never) => string | number | (string | number)[];
  /** Strictly ascending by the items themselves (strings). */
  sorted?: boolean;
  nonEmpty?: boolean;
  max?: number;
}

function cmp(a: string | number | (string | number)[], b: string | number | (string | number)[]): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = cmp(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  return codePointCompare(String(a), String(b));
}

export const list =
  (item: Check, o: ListOptions = {}): Check =>
  (v, p) => {
    if (!Array.isArray(v)) fail(p, "type", `应为数组，实为${kind(v)}`);
    const a = v as unknown[];
    if (o.nonEmpty && a.length === 0) fail(p, "nonEmpty", "不能为空");
    if (o.max !== undefined && a.length > o.max) fail(p, "length", `最多 ${o.max} 项`);
    const key = o.sortedBy ?? (o.sorted ? (x: never) => x as string : undefined);
    let prev: ReturnType<NonNullable<ListOptions["sortedBy"]>> | undefined;
    for (let i = 0; i < a.length; i++) {
      item(a[i], `${p}[${i}]`);
      if (key) {
        const k = key(a[i] as never);
        if (i > 0 && !(cmp(prev!, k) < 0))
          fail(`${p}[${i}]`, "order", cmp(prev!, k) === 0 ? `与前一项重复（${JSON.stringify(k).slice(0, 60)}）` : "未按升序排列（须严格升序、不重复）");
        prev = k;
      }
    }
  };

/** A fixed-member object: `optional` members may be absent, every other member is required. */
export const obj =
  (members: Record<string, Check>, optional: readonly string[] = []): Check =>
  (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, "type", `应为对象，实为${kind(v)}`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!(k in members)) fail(`${p}.${k}`, "unknownMember", `未知成员“${k}”（规范中没有此成员）`);
    for (const [k, c] of Object.entries(members)) {
      if (!(k in o) || o[k] === undefined) {
        if (optional.includes(k)) continue;
        fail(`${p}.${k}`, "missing", `缺少成员“${k}”`);
      }
      c(o[k], `${p}.${k}`);
    }
  };

/** A JSON object used as a map: keys from `keys` (all present when `complete`), values checked. */
export const record =
  (keys: readonly string[], value: Check, complete = true): Check =>
  (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, "type", `应为对象，实为${kind(v)}`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${p}.${k}`, "unknownMember", `未知成员“${k}”`);
    for (const k of keys) {
      if (!(k in o)) {
        if (complete) fail(`${p}.${k}`, "missing", `缺少成员“${k}”`);
        continue;
      }
      value(o[k], `${p}.${k}`);
    }
  };

/** The first check whose discriminant matches. */
export const union =
  (discriminant: string, variants: Record<string, Check>): Check =>
  (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, "type", `应为对象，实为${kind(v)}`);
    const d = (v as Record<string, unknown>)[discriminant];
    const c = typeof d === "string" ? variants[d] : undefined;
    if (!c) fail(`${p}.${discriminant}`, "enum", `应为 ${Object.keys(variants).map((x) => `“${x}”`).join("、")} 之一`);
    c!(v, p);
  };
