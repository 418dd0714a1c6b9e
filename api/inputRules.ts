/**
 * Rules every request's input obeys, whatever the route (registered once, before the routes):
 *
 * - **Integers are the database's integers.** Every `integer` in a route's params, query and JSON
 *   body schema without its own bounds gets the 32-bit range of the `Int` columns
 *   (−2147483648…2147483647), so `2^63`, `1e22` and `9999999999` are a 400 naming the field, not
 *   a driver overflow.
 * - **Ids and other integers in the URL are written strictly**: decimal digits, no sign (unless
 *   the schema allows negatives), no leading zero, no `1.0`, `0x1`, `+1`, `1e3`, ` 1` — before ajv's
 *   type coercion could read them loosely.
 * - **Text is text**: no string (value or key) in the query, the path or a JSON body may contain
 *   NUL (U+0000: PostgreSQL cannot store it) or an unpaired surrogate (not Unicode; hashing and
 *   storage would silently change it), and a JSON body nests at most {@link MAX_JSON_DEPTH} levels.
 *
 * Each refusal is a 400 `VALIDATION_FAILED` in the one error shape, naming the field and the rule.
 * Raw bodies (uploaded manifests, files) are not JSON-parsed here: their own strict readers apply.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { ApiError, printable } from "./errors.ts";

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;
export const MAX_JSON_DEPTH = 64;

type Schema = Record<string, unknown>;

/** Give every unbounded integer in `schema` the database's range (in place; shared schemas are fine). */
export function boundIntegers(schema: unknown, seen = new WeakSet<object>()): void {
  if (schema === null || typeof schema !== "object" || seen.has(schema)) return;
  seen.add(schema);
  if (Array.isArray(schema)) {
    for (const s of schema) boundIntegers(s, seen);
    return;
  }
  const s = schema as Schema;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes("integer")) {
    if (s.minimum === undefined && s.exclusiveMinimum === undefined) s.minimum = INT_MIN;
    if (s.maximum === undefined && s.exclusiveMaximum === undefined) s.maximum = INT_MAX;
  }
  for (const k of ["properties", "patternProperties"]) {
    const props = s[k];
    if (props && typeof props === "object") for (const p of Object.values(props)) boundIntegers(p, seen);
  }
  for (const k of ["items", "additionalProperties", "anyOf", "oneOf", "allOf", "not", "prefixItems"]) boundIntegers(s[k], seen);
}

interface IntField {
  name: string;
  min: number;
  max: number;
}

function isInteger(s: Schema): boolean {
  if (s.type === "integer" || (Array.isArray(s.type) && s.type.includes("integer"))) return true;
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  return Array.isArray(alts) && alts.some((a) => a && typeof a === "object" && isInteger(a));
}

/** The integer fields of a params/querystring object schema, with their bounds. */
function intFields(schema: unknown): IntField[] {
  const props = (schema as Schema | undefined)?.properties as Record<string, Schema> | undefined;
  if (!props) return [];
  return Object.entries(props)
    .filter(([, s]) => s && typeof s === "object" && isInteger(s))
    .map(([name, s]) => ({
      name,
      min: typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + 1 : INT_MIN,
      max: typeof s.maximum === "number" ? s.maximum : typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum - 1 : INT_MAX,
    }));
}

const invalid = (field: string, rule: string, said: string) => new ApiError(400, "VALIDATION_FAILED", `${field}：${said}（规则 ${rule}）`, field, [{ field, rule, message: `${said}（规则 ${rule}）` }]);

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;

/** Why an integer written in a URL is refused, or null. */
export function strictIntegerProblem(text: string, f: IntField, field: string): ApiError | null {
  if (!DECIMAL.test(text) || (text.startsWith("-") && f.min >= 0) || text === "-0") {
    return invalid(field, "integer", "应为十进制整数（只含数字，不带正负号、前导零、小数点或指数）");
  }
  const n = Number(text);
  if (n < f.min) return invalid(field, "minimum", `不得小于 ${f.min}`);
  if (n > f.max) return invalid(field, "maximum", `不得大于 ${f.max}`);
  return null;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a text is refused, or null. */
export function textProblem(s: string, field: string): ApiError | null {
  if (s.includes("\u0000")) return invalid(field, "noNul", "不得含有 NUL 字符（U+0000）");
  if (LONE_SURROGATE.test(s)) return invalid(field, "wellFormedUnicode", "含有不成对的代理项（U+D800–U+DFFF），不是有效的 Unicode 文本");
  return null;
}

/**
 * The first problem in a parsed value: a bad text (value or key) or nesting deeper than
 * `maxDepth`. Iterative, so a 200,000-deep array costs nothing but the walk to level `maxDepth`.
 */
export function valueProblem(root: unknown, base: string, maxDepth = MAX_JSON_DEPTH): ApiError | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: root, path: base, depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      const p = textProblem(v, path);
      if (p) return p;
      continue;
    }
    if (v === null || typeof v !== "object" || Buffer.isBuffer(v)) continue;
    if (depth >= maxDepth) return invalid(base, "maxDepth", `嵌套不得超过 ${maxDepth} 层`);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}.${i}`, depth: depth + 1 });
      continue;
    }
    for (const k of Object.keys(v)) {
      const kp = textProblem(k, `${path}.${printable(k)}`);
      if (kp) return kp;
      stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}.${printable(k)}`, depth: depth + 1 });
    }
  }
  return null;
}

/** Register the rules (call before the route plugins, so their `onRoute` sees every route). */
export function registerInputRules(app: FastifyInstance): void {
  app.addHook("onRoute", (route: RouteOptions) => {
    const schema = route.schema as Schema | undefined;
    if (schema) for (const part of ["params", "querystring", "body"]) boundIntegers(schema[part]);
    const params = intFields(schema?.params);
    const query = intFields(schema?.querystring);
    const check = async (request: FastifyRequest) => {
      const ps = request.params as Record<string, unknown> | undefined;
      const qs = request.query as Record<string, unknown> | undefined;
      for (const [fields, values, context] of [[params, ps, "params"], [query, qs, "querystring"]] as const) {
        for (const f of fields) {
          const v = values?.[f.name];
          if (typeof v !== "string") continue;
          const p = strictIntegerProblem(v, f, `${context}.${f.name}`);
          if (p) throw p;
        }
      }
      const p = valueProblem(ps ?? {}, "params", 2) ?? valueProblem(qs ?? {}, "querystring", 3) ?? (request.body !== undefined ? valueProblem(request.body, "body") : null);
      if (p) throw p;
    };
    const existing = route.preValidation;
    route.preValidation = existing === undefined ? [check] : [check, ...(Array.isArray(existing) ? existing : [existing])];
  });
}
