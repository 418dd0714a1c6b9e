/**
 * H(v) = hex(SHA-256(UTF-8(CJSON(v)))) for any JSON value, streamed into SHA-256 without building
 * the text (a 2,000,000-code pool or a million result rows hash in one pass). The bytes are exactly
 * canonicalJson's (tested against cjsonDigest). docs/draw-spec.md §1, §2, §4.
 *
 *   digestOf(v)                         → "9f2c…" (64 hex)
 *   commitmentOf(publicDigest, privateDigest) → the commitment (§4)
 */
import { CanonicalJsonError, codePointCompare } from "../canonicalJson.ts";
import { HashWriter } from "../hashWriter.ts";

function isRow(v: unknown): v is [number, string, string] {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === "number" && typeof v[1] === "string" && typeof v[2] === "string";
}

function write(w: HashWriter, v: unknown, path: string): void {
  switch (typeof v) {
    case "string":
      w.str(v);
      return;
    case "number":
      if (!Number.isSafeInteger(v)) throw new CanonicalJsonError(`${path}：${v} 不是安全整数`);
      w.int(v === 0 ? 0 : v);
      return;
    case "boolean":
      w.raw(v ? "true" : "false");
      return;
    case "object": {
      if (v === null) {
        w.raw("null");
        return;
      }
      if (Array.isArray(v)) {
        const n = v.length;
        if (n > 0 && typeof v[0] === "string" && v.every((x) => typeof x === "string")) {
          w.strArray(v as string[]);
          return;
        }
        w.raw("[");
        for (let i = 0; i < n; i++) {
          if (i > 0) w.raw(",");
          const x = v[i];
          if (isRow(x) && Number.isSafeInteger(x[0])) w.row(x[0], x[1], x[2]);
          else write(w, x, `${path}[${i}]`);
        }
        w.raw("]");
        return;
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(codePointCompare);
      w.raw("{");
      keys.forEach((k, i) => {
        if (i > 0) w.raw(",");
        w.str(k);
        w.raw(":");
        write(w, o[k], `${path}.${k}`);
      });
      w.raw("}");
      return;
    }
    default:
      throw new CanonicalJsonError(`${path}：${typeof v} 不能出现在规范 JSON 中`);
  }
}

/** H(v): SHA-256 (hex) of the canonical JSON of `v`. */
export function digestOf(v: unknown): string {
  const w = new HashWriter();
  write(w, v, "$");
  return w.digestHex();
}

/** §4: commitment = H({ private: privateDigest, public: publicDigest, purpose }). */
export function commitmentOf(publicDigest: string, privateDigest: string): string {
  return digestOf({ private: privateDigest, public: publicDigest, purpose: "ssj-draw/2 commitment" });
}
