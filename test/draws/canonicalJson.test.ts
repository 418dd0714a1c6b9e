import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, CanonicalJsonError } from "../../src/draws/index.ts";
import { canonicalJsonByHand } from "../../src/draws/canonicalJson.ts";

describe("canonical JSON", () => {
  it("sorts keys by code point, no whitespace, integers only", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"], "é": "中文", A: -0 })).toBe('{"A":0,"a":[true,null,"x"],"b":1,"é":"中文"}');
  });
  it("escapes like JSON.stringify / Python json.dumps(ensure_ascii=False)", () => {
    expect(canonicalJson(['"\\\n\t\u0001\u007f\u2028'])).toBe('["\\"\\\\\\n\\t\\u0001\u007f\u2028"]');
  });
  it("orders astral keys by code point, not UTF-16 unit", () => {
    // U+FF5E (one unit, 0xFF5E) sorts before U+1F600 (surrogates 0xD83D…) by code point.
    expect(canonicalJson({ "😀": 1, "～": 2 })).toBe('{"～":2,"😀":1}');
  });
  it("handles integer-like keys by code point (JS would enumerate them first)", () => {
    expect(canonicalJson({ b: 1, "10": 2, "9": 3 })).toBe('{"10":2,"9":3,"b":1}');
  });
  it("rejects floats, NaN, unsafe integers and lone surrogates, naming the path", () => {
    expect(() => canonicalJson({ x: [1, 1.5] })).toThrow(/\$\.x\[1\]: 1\.5 is not a safe integer/);
    expect(() => canonicalJson({ x: NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(2 ** 53)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ s: "a\ud800b" })).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(CanonicalJsonError);
  });
  it("keeps a member named __proto__ (which plain assignment would turn into the prototype)", () => {
    const v = JSON.parse('{"`":null,"__proto__":{"a":1}}');
    expect(canonicalJson(v)).toBe('{"__proto__":{"a":1},"`":null}');
    expect(canonicalJson(v)).toBe(canonicalJsonByHand(v));
  });
  it("fast path equals the by-hand encoder on arbitrary JSON values, round-trips and is idempotent", () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.string({ unit: "binary" }).filter((s) => !/\p{Surrogate}/u.test(s)),
        fc.array(tie("v")),
        fc.dictionary(fc.string({ unit: "grapheme" }), tie("v")),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const s = canonicalJson(v);
        expect(s).toBe(canonicalJsonByHand(v));
        expect(JSON.parse(s)).toEqual(v);
        expect(canonicalJson(JSON.parse(s))).toBe(s);
        expect(/[\s]/.test(s.replace(/"(?:[^"\\]|\\.)*"/g, ""))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
