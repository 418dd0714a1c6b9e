/**
 * Canonical JSON (CJSON), the one encoding the draw engine hashes. Defined in docs/draw-spec.md §2.
 *
 *   - objects: keys sorted by Unicode code point (equivalently by their UTF-8 bytes), no duplicates;
 *   - no whitespace anywhere; separators `,` and `:`;
 *   - numbers: integers only, in the IEEE-754 safe range (|n| ≤ 2^53 − 1), shortest decimal form
 *     (`-0` is written `0`); anything fractional is an error — write decimals and ratios as strings;
 *   - strings: JSON escapes exactly as `JSON.stringify` / Python `json.dumps(ensure_ascii=False)`:
 *     `\"`, `\\`, `\b \f \n \r \t`, other code points below U+0020 as `\u00xx` (lowercase hex),
 *     everything else literal; strings with a lone surrogate are an error;
 *   - `null`, `true`, `false` literal; `undefined` object members are omitted; no other types.
 *
 * Python equivalent: `json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)`
 * encoded as UTF-8 (for values obeying the rules above).
 */
import { createHash } from "node:crypto";

export class CanonicalJsonError extends Error {}

const LONE_SURROGATE = /\p{Surrogate}/u;

function encodeString(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalJsonError(`${path}: string contains a lone surrogate`);
  return JSON.stringify(s);
}

/** Order strings by Unicode code point (= UTF-8 byte order); the order of every id list in the spec. */
export function codePointCompare(a: string, b: string): number {
  // Code-point order; differs from UTF-16 order only when astral characters are involved.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function encode(v: unknown, path: string): string {
  if (typeof v === "string") return encodeString(v, path);
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new CanonicalJsonError(`${path}: ${v} is not a safe integer (write decimals as strings)`);
    return String(v);
  }
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return "[" + v.map((x, i) => encode(x, `${path}[${i}]`)).join(",") + "]";
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(codePointCompare);
    return "{" + keys.map((k) => encodeString(k, `${path}.${k}`) + ":" + encode(o[k], `${path}.${k}`)).join(",") + "}";
  }
  throw new CanonicalJsonError(`${path}: ${typeof v} is not allowed in canonical JSON`);
}

/** The by-hand encoder alone (reference for the fast path; used in tests). */
export function canonicalJsonByHand(value: unknown): string {
  return encode(value, "$");
}

const INDEX_LIKE = /^(0|[1-9][0-9]*)$/;

class Unsupported extends Error {}

/**
 * Validation walk for the fast path: checks numbers, strings and types, and returns a value whose
 * objects have their keys in code-point order (objects are copied only when out of order).
 * Throws Unsupported when JSON.stringify could not reproduce CJSON (integer-like object keys,
 * which JavaScript always enumerates first) or when a value is invalid (the slow path then
 * reports the precise path).
 */
function normalize(v: unknown): unknown {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      if (!Number.isSafeInteger(v)) throw new Unsupported();
      return v;
    case "boolean":
      return v;
    case "object": {
      if (v === null) return v;
      if (Array.isArray(v)) {
        let copy: unknown[] | null = null;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          const t = typeof x;
          if (t === "string" || (t === "number" && Number.isSafeInteger(x))) continue;
          const y = normalize(x);
          if (y !== x) (copy ??= v.slice())[i] = y;
        }
        return copy ?? v;
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      let sorted = true;
      for (let i = 0; i < keys.length; i++) {
        if (INDEX_LIKE.test(keys[i]!)) throw new Unsupported();
        if (i > 0 && codePointCompare(keys[i - 1]!, keys[i]!) > 0) sorted = false;
      }
      if (!sorted) keys.sort(codePointCompare);
      let changed = !sorted;
      const vals = keys.map((k) => {
        const x = o[k];
        if (x === undefined) {
          changed = true;
          return x;
        }
        const y = normalize(x);
        if (y !== x) changed = true;
        return y;
      });
      if (!changed) return v;
      // defineProperty, not assignment: a key "__proto__" must stay an own member, not set the prototype.
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        if (vals[i] !== undefined) Object.defineProperty(out, k, { value: vals[i], enumerable: true, writable: true, configurable: true });
      });
      return out;
    }
    default:
      throw new Unsupported();
  }
}

/** A lone surrogate escaped by JSON.stringify (preceded by an even number of backslashes). */
const ESCAPED_LONE_SURROGATE = /(?:^|[^\\])(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/;

/**
 * The canonical JSON text of `value` (see module doc). Throws CanonicalJsonError naming the path.
 * Fast path: a validation walk, then the engine's JSON.stringify (whose string escaping is exactly
 * the CJSON escaping); the slow path encodes by hand and reports errors with their path.
 */
export function canonicalJson(value: unknown): string {
  let norm: unknown;
  try {
    norm = normalize(value);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return encode(value, "$");
  }
  const s = JSON.stringify(norm);
  if (s.includes("\\ud") && ESCAPED_LONE_SURROGATE.test(s)) return encode(value, "$");
  return s;
}

/** SHA-256 (lowercase hex) of the UTF-8 bytes of canonicalJson(value). */
export function cjsonDigest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}

/** SHA-256 (lowercase hex) of arbitrary bytes or a UTF-8 string. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
