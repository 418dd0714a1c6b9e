/** The streamed H(v) equals SHA-256 of canonicalJson(v) for any JSON value (docs/draw-spec.md §2). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cjsonDigest } from "../../../src/draws/index.ts";
import { digestOf } from "../../../src/draws/v2/index.ts";

const str = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom('"', "\\\\", "\u0000", "\u007f", "中文", "😀", "a\"b", "91350100M000100Y43"));
const json = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small" }, str, fc.integer({ min: -1e9, max: 1e9 }), fc.boolean(), fc.constant(null), fc.array(tie("v"), { maxLength: 5 }), fc.dictionary(str, tie("v"), { maxKeys: 5 })),
})).v;

describe("digestOf (streamed CJSON digest)", () => {
  it("equals cjsonDigest for any JSON value", () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(digestOf(v)).toBe(cjsonDigest(v));
      }),
      { numRuns: 400, seed: 42 },
    );
  });
  it("equals cjsonDigest for long code lists, lists with escapes, and result rows", () => {
    const codes = Array.from({ length: 5000 }, (_, i) => `9135${String(i).padStart(14, "0")}`);
    for (const v of [codes, [...codes, 'x"y'], [...codes, "中文"], codes.map((c, i) => [i + 1, c, "0123456789abcdef"]), { a: codes, b: [[1, "x", "y"]] }])
      expect(digestOf(v)).toBe(cjsonDigest(v));
  });
});

describe("the draw record's streamed digests", () => {
  it("equal H of its parts, with and without packed codes, for random draws", async () => {
    const { arbRequest2, drawn, AUDIT } = await import("./fixtures2.ts");
    const { drawRecordDigests, runDraw2 } = await import("../../../src/draws/v2/index.ts");
    const { ticketOrder } = await import("../../../src/draws/targets.ts");
    const { samplingFrame } = await import("../../../src/draws/v2/results.ts");
    await fc.assert(
      fc.asyncProperty(arbRequest2, async (req) => {
        const d = await drawn(req);
        const order = ticketOrder(samplingFrame(d.inputs), d.seed);
        const out = runDraw2(d.inputs, d.seed, order);
        const want = { public: digestOf({ audit: AUDIT, results: out.publicResults }), private: digestOf({ results: out.results }) };
        expect(drawRecordDigests(out, AUDIT, d.inputs.public.pool.codes, order.packed)).toEqual(want);
        expect(drawRecordDigests(out, AUDIT, d.inputs.public.pool.codes)).toEqual(want);
        expect(order.packed).toBeDefined();
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
