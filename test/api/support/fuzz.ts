/**
 * Request fuzzing from the OpenAPI description the app serves (`/docs/json`).
 *
 *   const ops = operationsOf(spec, app.ssj.routes)            // every route, documented or hidden
 *   const reqs = fc.sample(requestArb(op, pool, role), { seed, numRuns })
 *   const problem = problemOf(res, op)                          // null, or why the answer is wrong
 *
 * Values come from the route's own schemas (parameters, JSON body, multipart), half of them valid
 * (to get past validation into the handlers and the database) and half with one hostile mutation:
 * a known-bad string or number (NUL, lone surrogates, over-long, huge/negative/float/hex/exponent
 * ids, 2^63, 1e999 …), a wrong type, an unknown key, a missing key, deep nesting; whole bodies
 * that are not JSON, truncated, of another media type; multipart bodies that never end. The oracle
 * refuses any 5xx and any error body outside `{ statusCode, code, message (Chinese), field?, details? }`.
 */
import fc from "fast-check";

/** JSON text JSON.stringify cannot write: 1e999, 2^63 written out, 5,000-deep nesting, `1.0`. */
export class RawJson {
  constructor(readonly text: string) {}
}
export type Value = null | boolean | number | string | RawJson | Value[] | { [k: string]: Value };

/** JSON text of a value that may contain raw fragments. */
export function jsonText(v: Value): string {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(jsonText).join(",")}]`;
  if (v !== null && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

const deepArray = (n: number) => new RawJson("[".repeat(n) + "]".repeat(n));
const deepObject = (n: number) => new RawJson('{"a":'.repeat(n) + "1" + "}".repeat(n));

/** Strings that have broken services: NUL, lone surrogates, control and direction characters, huge. */
export const BAD_STRINGS: string[] = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udc00\ud800",
  "名称\ud83d",
  "\uffff\ufffe",
  "\u202e逆序",
  "\u0007\u001b[31m",
  "",
  " ",
  "\t\n",
  "%00",
  "\\u0000",
  "'; DROP TABLE users; --",
  "../../../etc/passwd",
  "${jndi:ldap://x}",
  "\ufeffBOM",
  "𠀀𠀁𪛖",
  "x".repeat(5_000),
  "长".repeat(100_001),
];
/** Numbers (and number texts) beyond every sane range. */
export const BAD_NUMBERS: Value[] = [
  0,
  -1,
  -2147483649,
  2147483648,
  9999999999,
  2 ** 53,
  -(2 ** 63),
  1.5,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  new RawJson("9223372036854775808"),
  new RawJson("18446744073709551616"),
  new RawJson("1e22"),
  new RawJson("1e999"),
  new RawJson("-1e999"),
  new RawJson("1.0"),
  new RawJson("1E2"),
  new RawJson("-0"),
  new RawJson("0." + "0".repeat(400) + "1"),
];
export const WRONG_TYPES: Value[] = [null, true, false, {}, [], "1", "true", { $gt: 1 }, [1, 2], [[]], new RawJson('{"__proto__":{"polluted":1}}'), deepArray(64)];
export const DEEP: Value[] = [deepArray(5_000), deepObject(5_000), deepArray(200_000)];
/** Path and query texts for an id, sent as they are (already URL-encoded where it matters). */
export const BAD_ID_TEXTS: string[] = [
  "0", "-1", "1.0", "01", "0x1", "+1", "1e3", "%201", "1%20", "Infinity", "-Infinity", "NaN", "9999999999", "2147483648",
  "9223372036854775808", "1e999", "1e22", "%D9%A1", "%00", "1%00", "%ED%A0%80", "%C0%80", "%FF", "%", "%zz", "abc", "null",
  "%5B%5D", "1,2", "x".repeat(2_000), "1" + "0".repeat(400),
];

export interface Pool {
  /** Ids of existing rows (plans, batches, draws, tasks, users, departments, items …). */
  ids: number[];
  /** Codes of existing entities. */
  codes: string[];
  /** Other strings worth trying: department codes and names, certificate numbers, plan/draw public ids. */
  words: string[];
  /** Manifests the app produced (for the verify route). */
  manifests: string[];
}

// ─── operations ─────────────────────────────────────────────────────────────────────────────

type Schema = Record<string, unknown>;
export interface Operation {
  method: string;
  /** fastify form: /plans/:id */
  url: string;
  params: { name: string; schema: Schema; required: boolean }[];
  query: { name: string; schema: Schema; required: boolean }[];
  body: { kind: "json"; schema: Schema; required: boolean } | { kind: "multipart" } | { kind: "raw" } | null;
  documented: boolean;
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: Schema; required?: boolean }[]; requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

/**
 * Every route the app serves: from the OpenAPI description when documented, else (hidden routes:
 * the 公示 page, the stylesheet) with each path parameter a free string and the query free.
 */
export function operationsOf(spec: OpenApi, routes: { method: string; url: string }[]): Operation[] {
  const ops: Operation[] = [];
  const documented = new Set<string>();
  for (const [path, methods] of Object.entries(spec.paths)) {
    const url = path.replace(/\{([^}]+)\}/g, ":$1");
    for (const [method, op] of Object.entries(methods)) {
      const m = method.toUpperCase();
      if (m === "HEAD") continue;
      documented.add(`${m} ${url}`);
      const ps = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const body: Operation["body"] = content["multipart/form-data"]
        ? { kind: "multipart" }
        : content["application/json"]
          ? { kind: "json", schema: content["application/json"].schema, required: op.requestBody?.required === true }
          : m === "GET"
            ? null
            : { kind: "raw" };
      ops.push({
        method: m,
        url,
        params: ps.filter((p) => p.in === "path").map((p) => ({ name: p.name, schema: p.schema, required: true })),
        query: ps.filter((p) => p.in === "query").map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        body,
        documented: true,
      });
    }
  }
  for (const r of routes) {
    if (documented.has(`${r.method} ${r.url}`) || r.url.startsWith("/docs")) continue;
    const names = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
    ops.push({
      method: r.method,
      url: r.url,
      params: names.map((name) => ({ name, schema: { type: "string", minLength: 1, maxLength: 100 }, required: true })),
      query: ["q", "department", "from", "to", "cursor"].map((name) => ({ name, schema: { type: "string", maxLength: 200 }, required: false })),
      body: r.method === "GET" ? null : { kind: "raw" },
      documented: false,
    });
  }
  return ops.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}

// ─── values from schemas ───────────────────────────────────────────────────────────────────

const WORDS = ["测试市市场监督管理局", "餐饮", "有限公司", "检查", "年度计划", "张三", "2026", "A", "key", "general", "on-site"];
const INT32 = 2147483647;

function resolve(schema: Schema, refs: Record<string, Schema>): Schema {
  const ref = schema.$ref;
  if (typeof ref === "string") return resolve(refs[ref.replace(/^#\/components\/schemas\//, "")] ?? {}, refs);
  return schema;
}

/** One character of ordinary text: Chinese, ASCII, or any grapheme. */
const TEXT_UNIT = fc.oneof(fc.constantFrom(..."检查企业名称市局区县有限公司"), fc.constantFrom(..."abcXYZ0189 -_./"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }));
const realDay = fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

function stringArb(s: Schema, pool: Pool): fc.Arbitrary<Value> {
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  const max = typeof s.maxLength === "number" ? s.maxLength : Math.max(min + 30, 30);
  // Only the schema's own bounds filter (a pattern such as ^[0-9a-f]{64}$ fixes its length itself).
  const fits = (x: string) => x.length >= min && (typeof s.maxLength !== "number" || x.length <= s.maxLength);
  const pattern = typeof s.pattern === "string" ? s.pattern : null;
  if (s.format === "date-time") return fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString());
  if (pattern === "^\\d{4}-\\d{2}-\\d{2}$") return fc.oneof(realDay, fc.stringMatching(new RegExp(pattern)));
  const known = [...pool.codes, ...pool.words, ...WORDS].filter((w) => fits(w) && (!pattern || new RegExp(pattern).test(w)));
  const free: fc.Arbitrary<string> = pattern
    ? fc.stringMatching(new RegExp(pattern)).filter(fits)
    : fc.string({ minLength: min, maxLength: Math.min(max, min + 40), unit: TEXT_UNIT });
  return known.length > 0 ? fc.oneof(fc.constantFrom(...known), free) : free;
}

function integerArb(s: Schema, pool: Pool): fc.Arbitrary<Value> {
  const min = typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + 1 : -1000;
  const max = typeof s.maximum === "number" ? s.maximum : typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum - 1 : Math.max(min + 1000, INT32 >= min ? Math.min(INT32, min + 1_000_000) : min);
  const ids = pool.ids.filter((i) => i >= min && i <= max);
  const free = fc.integer({ min: Math.max(min, -INT32 - 1), max: Math.min(max, INT32) });
  return ids.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 3 }, { arbitrary: free, weight: 1 }) : free;
}

/** Values that satisfy `schema` (as far as its keywords say). */
export function validArb(schema: Schema, pool: Pool, refs: Record<string, Schema> = {}, depth = 0): fc.Arbitrary<Value> {
  const s = resolve(schema, refs);
  const nullable = s.nullable === true;
  const inner = ((): fc.Arbitrary<Value> => {
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as Value[]));
    if ("const" in s) return fc.constant(s.const as Value);
    const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (alts) return fc.oneof(...alts.map((a) => validArb(a, pool, refs, depth)));
    if (Array.isArray(s.allOf)) {
      const parts = (s.allOf as Schema[]).map((a) => resolve(a, refs));
      return validArb({ type: "object", properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})), required: parts.flatMap((p) => (p.required as string[]) ?? []) }, pool, refs, depth);
    }
    switch (s.type) {
      case "string":
        return stringArb(s, pool);
      case "integer":
        return integerArb(s, pool);
      case "number":
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array": {
        const item = validArb((s.items as Schema) ?? {}, pool, refs, depth + 1);
        const minLength = typeof s.minItems === "number" ? s.minItems : 0;
        const maxLength = Math.min(typeof s.maxItems === "number" ? s.maxItems : minLength + 3, minLength + 3);
        return s.uniqueItems ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => jsonText(v) }) : fc.array(item, { minLength, maxLength });
      }
      case "object":
        return objectArb(s, pool, refs, depth);
      default:
        return depth > 2 ? fc.constant(null) : (fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Value>);
    }
  })();
  return nullable ? fc.oneof(fc.constant(null), inner) : inner;
}

function objectArb(s: Schema, pool: Pool, refs: Record<string, Schema>, depth: number): fc.Arbitrary<Value> {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const entries = Object.entries(props);
  if (entries.length === 0) return depth > 2 ? fc.constant({}) : (fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) as fc.Arbitrary<Value>);
  const arbs: Record<string, fc.Arbitrary<Value | undefined>> = {};
  for (const [k, p] of entries) {
    const a = validArb(p, pool, refs, depth + 1);
    arbs[k] = required.has(k) ? a : fc.option(a, { nil: undefined, freq: 2 });
  }
  return fc.record(arbs).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Value);
}

// ─── hostile mutations ─────────────────────────────────────────────────────────────────────

const badValue: fc.Arbitrary<Value> = fc.oneof(
  { arbitrary: fc.constantFrom(...BAD_STRINGS), weight: 4 },
  { arbitrary: fc.constantFrom(...BAD_NUMBERS), weight: 4 },
  { arbitrary: fc.constantFrom(...WRONG_TYPES), weight: 2 },
  { arbitrary: fc.constantFrom(...DEEP.slice(0, 2)), weight: 1 },
);

/** Every position in a value: [] is the root, ["a", 0] is v.a[0]. */
function positions(v: Value, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => positions(x, [...at, i], out));
  else if (v !== null && typeof v === "object" && !(v instanceof RawJson)) for (const [k, x] of Object.entries(v)) positions(x, [...at, k], out);
  return out;
}

function setAt(v: Value, at: (string | number)[], f: (old: Value) => Value | undefined): Value {
  if (at.length === 0) return f(v) ?? null;
  const [head, ...rest] = at;
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? setAt(x, rest, f) : x));
  const o = { ...(v as Record<string, Value>) };
  if (rest.length === 0) {
    const nv = f(o[head as string]!);
    if (nv === undefined) delete o[head as string];
    else o[head as string] = nv;
    return o;
  }
  o[head as string] = setAt(o[head as string]!, rest, f);
  return o;
}

type Mutation = { kind: "replace"; with: Value } | { kind: "addKey"; key: string; with: Value } | { kind: "drop" };
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: badValue.map((w) => ({ kind: "replace" as const, with: w })), weight: 6 },
  { arbitrary: fc.tuple(fc.constantFrom("unknown", "__proto__", "constructor", "", "\u0000", "a\ud800", "x".repeat(300)), badValue).map(([key, w]) => ({ kind: "addKey" as const, key, with: w })), weight: 2 },
  { arbitrary: fc.constant({ kind: "drop" as const }), weight: 1 },
);

/** One hostile change at one position of a (valid) value. */
export function mutate(v: Value, pick: number, m: Mutation): Value {
  const all = positions(v);
  const at = all[pick % all.length]!;
  if (m.kind === "replace") return setAt(v, at, () => m.with);
  if (m.kind === "drop") return at.length === 0 ? null : setAt(v, at, () => undefined);
  return setAt(v, at, (old) => (old !== null && typeof old === "object" && !Array.isArray(old) && !(old instanceof RawJson) ? { ...old, [m.key]: m.with } : { [m.key]: m.with }));
}

export function hostileArb(valid: fc.Arbitrary<Value>): fc.Arbitrary<Value> {
  return fc.tuple(valid, fc.nat(), mutationArb).map(([v, pick, m]) => mutate(v, pick, m));
}

// ─── requests ──────────────────────────────────────────────────────────────────────────────

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What was hostile about it (for the report). */
  note: string;
}

/** Percent-encode a string byte by byte (lone surrogates become U+FFFD, as a browser would send). */
function enc(s: string): string {
  return [...Buffer.from(s, "utf8")].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
}

/** A value as it travels in a URL: already-encoded text for raw fragments, JSON for objects. */
function urlText(v: Value): string {
  if (v instanceof RawJson) return v.text.length > 4_000 ? enc(v.text.slice(0, 4_000)) : enc(v.text);
  if (typeof v === "string") return enc(v.length > 6_000 ? v.slice(0, 6_000) : v);
  if (v === null || typeof v !== "object") return enc(String(v));
  return enc(jsonText(v).slice(0, 4_000));
}

interface Part {
  valid: fc.Arbitrary<Record<string, string>>;
  hostile: fc.Arbitrary<Record<string, string>>;
}

function paramArb(op: Operation, pool: Pool, refs: Record<string, Schema>): Part {
  const each = op.params.map((p) => {
    const s = resolve(p.schema, refs);
    const valid = validArb(s, pool, refs).map(urlText);
    const raw = s.type === "integer" ? fc.constantFrom(...BAD_ID_TEXTS) : fc.constantFrom(...BAD_STRINGS.map((b) => enc(b.slice(0, 3_000))), ...BAD_ID_TEXTS.slice(15));
    return { name: p.name, valid, hostile: fc.oneof(valid, raw, raw) };
  });
  const rec = (k: "valid" | "hostile") => fc.record(Object.fromEntries(each.map((e) => [e.name, e[k]]))) as fc.Arbitrary<Record<string, string>>;
  return { valid: rec("valid"), hostile: rec("hostile") };
}

function queryArb(op: Operation, pool: Pool, refs: Record<string, Schema>): fc.Arbitrary<{ text: string; hostile: boolean }> {
  const entry = (p: Operation["query"][number], hostile: boolean): fc.Arbitrary<string[] | undefined> => {
    const s = resolve(p.schema, refs);
    const valid = validArb(s, pool, refs);
    const one = (v: Value) => `${enc(p.name)}=${urlText(v)}`;
    const good = valid.map((v) => [one(v)]);
    if (!hostile) return p.required ? good : fc.option(good, { nil: undefined });
    const raw = (s.type === "integer" ? fc.constantFrom(...BAD_ID_TEXTS) : fc.constantFrom(...BAD_ID_TEXTS.slice(15), ...BAD_STRINGS.map((b) => enc(b.slice(0, 3_000))))).map((t) => [`${enc(p.name)}=${t}`]);
    const repeated = fc.tuple(valid, valid).map(([a, b]) => [one(a), one(b)]);
    const bad = hostileArb(valid).map((v) => [one(v)]);
    return fc.option(fc.oneof(good, raw, bad, repeated, fc.constant<string[]>([enc(p.name)]), fc.constant<string[]>([`${enc(p.name)}=`])), { nil: undefined, freq: 3 });
  };
  const build = (hostile: boolean) =>
    fc
      .tuple(
        fc.tuple(...op.query.map((p) => entry(p, hostile))),
        hostile ? fc.option(fc.constantFrom("unknown=1", "%00=1", "a[b]=1", "__proto__[x]=1", "limit=1&limit=2", `x=${"y".repeat(5_000)}`, "&&&", "=", "%ZZ=1"), { nil: undefined, freq: 2 }) : fc.constant(undefined),
      )
      .map(([parts, extra]) => ({ text: [...parts.flat().filter((x): x is string => x !== undefined), ...(extra ? [extra] : [])].join("&"), hostile }));
  return fc.oneof(build(false), build(true));
}

const JSON_TYPES = ["application/json", "application/json; charset=utf-8"];
const OTHER_TYPES = ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/json; charset=", "application/xml", "application/json;;", "*/*", "multipart/form-data", "application/json, text/plain"];

function bodyArb(op: Operation, pool: Pool, refs: Record<string, Schema>): fc.Arbitrary<{ payload?: string | Buffer; type?: string; note: string }> {
  const body = op.body;
  if (body === null) return fc.oneof({ arbitrary: fc.constant({ note: "" }), weight: 9 }, { arbitrary: fc.constant({ payload: "{}", type: "application/json", note: "body on GET" }), weight: 1 });
  if (body.kind === "multipart") return multipartArb();
  const wholeBad = fc.oneof(
    fc.constantFrom("", "{", '{"a":', "nul", "[1,]", "'x'", "\u0000", "\ufeff{}", '{"a":1}{"b":2}', '{"a":1,"a":2}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}').map((p) => ({ payload: p, type: "application/json", note: "not JSON / odd JSON" })),
    fc.constantFrom(...DEEP).map((d) => ({ payload: jsonText(d), type: "application/json", note: "deep nesting" })),
    fc.constantFrom(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d]), Buffer.from('{"a":"\xed\xa0\x80"}', "latin1")).map((p) => ({ payload: p, type: "application/json", note: "invalid UTF-8" })),
    fc.tuple(fc.constantFrom(...OTHER_TYPES), fc.constantFrom("{}", "a=1", "<x/>")).map(([type, payload]) => ({ payload, type, note: `content-type ${type}` })),
    fc.constant({ payload: undefined, type: "application/json", note: "no body" }),
  );
  if (body.kind === "raw") {
    const manifests = pool.manifests.length > 0 ? pool.manifests : ["{}"];
    const valid = fc.constantFrom(...manifests).map((m) => ({ payload: m, type: "application/json", note: "manifest" }));
    const mutated = fc.tuple(fc.constantFrom(...manifests), fc.nat(), mutationArb).map(([m, pick, mu]) => ({ payload: jsonText(mutate(JSON.parse(m) as Value, pick, mu)), type: "application/json", note: "mutated manifest" }));
    const truncated = fc.tuple(fc.constantFrom(...manifests), fc.nat()).map(([m, n]) => ({ payload: m.slice(0, n % Math.max(1, m.length)), type: "application/json", note: "truncated manifest" }));
    return fc.oneof(valid, mutated, mutated, truncated, wholeBad);
  }
  const valid = validArb(body.schema, pool, refs);
  return fc.oneof(
    { arbitrary: valid.map((v) => ({ payload: jsonText(v), type: "application/json", note: "" })), weight: 4 },
    { arbitrary: hostileArb(valid).map((v) => ({ payload: jsonText(v), type: "application/json", note: "hostile value" })), weight: 5 },
    { arbitrary: wholeBad, weight: 2 },
  );
}

const CSV_OK = "统一社会信用代码,企业名称,区划码,行业代码,企业类型,状态\n91460100MA5T000000,测试模糊有限公司,460105,H6210,enterprise,active\n";

/** Multipart uploads, good and broken (no end boundary, no boundary, junk headers, two files …). */
function multipartArb(): fc.Arbitrary<{ payload?: string | Buffer; type?: string; note: string }> {
  const b = "----ssjfuzz";
  const part = (name: string, filename: string | null, content: string, extra = "") =>
    `--${b}\r\nContent-Disposition: form-data; name="${name}"${filename === null ? "" : `; filename="${filename}"`}\r\n${extra}Content-Type: text/csv\r\n\r\n${content}\r\n`;
  const end = `--${b}--\r\n`;
  const content = fc.oneof(fc.constant(CSV_OK), fc.constantFrom("", "\u0000\u0000", "a,b\n1,2\n", "PK\u0003\u0004junk", "统一社会信用代码\n" + "9".repeat(18) + "\n"));
  const type = `multipart/form-data; boundary=${b}`;
  return fc.oneof(
    content.map((c) => ({ payload: part("file", "a.csv", c) + end, type, note: "multipart" })),
    content.map((c) => ({ payload: part("file", "a.csv", c), type, note: "multipart without end boundary" })),
    content.map((c) => ({ payload: `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${c}`, type, note: "unterminated multipart" })),
    fc.constant({ payload: `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"`, type, note: "multipart cut in the part header" }),
    fc.constant({ payload: `--${b}\r\n\r\n\r\n`, type, note: "multipart part without headers" }),
    fc.constant({ payload: end, type, note: "multipart without parts" }),
    fc.constant({ payload: part("other", null, "x") + end, type, note: "multipart without a file" }),
    fc.constant({ payload: part("file", "a.csv", CSV_OK) + part("file", "b.csv", CSV_OK) + end, type, note: "multipart with two files" }),
    fc.constant({ payload: part("file", "a\u0000.csv", CSV_OK) + end, type, note: "multipart NUL file name" }),
    fc.constant({ payload: part("file", "a.csv", CSV_OK, "X: " + "y".repeat(100_000) + "\r\n") + end, type, note: "multipart huge part header" }),
    fc.constant({ payload: part("file", "a.csv", CSV_OK) + end, type: "multipart/form-data", note: "multipart without boundary" }),
    fc.constant({ payload: part("file", "a.csv", CSV_OK) + end, type: "multipart/form-data; boundary=other", note: "multipart wrong boundary" }),
    fc.constant({ payload: "a=1", type: "application/x-www-form-urlencoded", note: "form instead of multipart" }),
    fc.constant({ payload: "{}", type: "application/json", note: "JSON instead of multipart" }),
    fc.constant({ payload: undefined, type, note: "multipart without a body" }),
  );
}

const AUTH_NOISE = ["Bearer", "Bearer ", "bearer ssj_short", "Basic YWRtaW46YWRtaW4=", `Bearer ssj_${"A".repeat(43)}`, `Bearer ssj_${"A".repeat(42)}%`, "Bearer a b", "Token x", "x".repeat(8_000)];

/** One request to `op` as `token` (undefined: no token), valid or hostile in its parts. */
export function requestArb(op: Operation, pool: Pool, refs: Record<string, Schema>, token: string | undefined): fc.Arbitrary<FuzzRequest> {
  const params = paramArb(op, pool, refs);
  const auth = token === undefined ? fc.constant(undefined) : fc.oneof({ arbitrary: fc.constant(`Bearer ${token}`), weight: 19 }, { arbitrary: fc.constantFrom(...AUTH_NOISE), weight: 1 });
  return fc
    .tuple(fc.oneof(params.valid, params.hostile), queryArb(op, pool, refs), bodyArb(op, pool, refs), auth)
    .map(([ps, q, b, a]) => {
      const path = op.url.replace(/:([A-Za-z]+)/g, (_, k: string) => ps[k] ?? "x");
      const headers: Record<string, string> = {};
      if (a !== undefined) headers.authorization = a;
      if (b.type !== undefined) headers["content-type"] = b.type;
      const notes = [b.note, q.hostile ? "hostile query" : ""].filter(Boolean);
      return { method: op.method, url: q.text ? `${path}?${q.text}` : path, headers, payload: b.payload, note: notes.join(", ") };
    });
}

// ─── the oracle ────────────────────────────────────────────────────────────────────────────

const CJK = /[\u3400-\u9fff]/;
const INTERNALS = /Cannot read|undefined \(reading|Invalid string length|is not a function|Maximum call stack|\bat \S+\.(?:ts|js)|prisma|SQLITE_|sqlite3?\b|postgres|invalid input syntax|invalid byte sequence|FST_|ajv|Unexpected end of|busboy|stack/i;
const KEYS = new Set(["statusCode", "code", "message", "field", "details"]);

/** Why a response breaks the contract, or null. HTML pages (the 公示 page) may answer 4xx in HTML. */
export function problemOf(res: { statusCode: number; headers: Record<string, unknown>; body: string }, op: Operation): string | null {
  if (res.statusCode >= 500) return `${res.statusCode} ${res.body.slice(0, 200)}`;
  if (res.statusCode < 400) return null;
  const type = String(res.headers["content-type"] ?? "");
  // Pages (公示, 工作台) answer people in HTML; they must never fail, but their 4xx are pages.
  if (!op.documented && /^\/(public|console)(\/|$)|^\/$/.test(op.url) && type.startsWith("text/html")) return null;
  if (!type.startsWith("application/json")) return `error answered as '${type}'`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    return `error body is not JSON: ${res.body.slice(0, 120)}`;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return "error body is not an object";
  const extra = Object.keys(body).filter((k) => !KEYS.has(k));
  if (extra.length > 0) return `error body has unknown keys ${extra.join(",")}`;
  if (body.statusCode !== res.statusCode) return `statusCode ${String(body.statusCode)} ≠ HTTP ${res.statusCode}`;
  if (typeof body.code !== "string" || !/^[A-Z][A-Z0-9_]*$/.test(body.code)) return `code ${JSON.stringify(body.code)} is not UPPER_SNAKE`;
  if (typeof body.message !== "string" || body.message.length === 0) return "message missing";
  if (!CJK.test(body.message)) return `message not Chinese: ${body.message.slice(0, 120)}`;
  if (INTERNALS.test(body.message)) return `internal words in message: ${body.message.slice(0, 160)}`;
  if (body.field !== undefined && typeof body.field !== "string") return "field is not a string";
  if (body.details !== undefined && !Array.isArray(body.details)) return "details is not an array";
  if (res.statusCode === 400 && body.code === "VALIDATION_FAILED" && typeof body.field !== "string") return "a validation error without a field";
  return null;
}

/** A stable 32-bit seed per (base seed, route, role), so one route can be replayed alone. */
export function seedFor(base: number, ...parts: string[]): number {
  let h = base >>> 0;
  for (const ch of parts.join("|")) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h | 0;
}
