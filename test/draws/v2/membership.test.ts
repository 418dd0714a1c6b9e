/**
 * The public verifier's membership check (docs/draw-spec.md §11, public step 4: every listed code
 * is in the pool) has two ways to the same answer — one pass over the pool, or a binary search per
 * listed code when few codes are listed — chosen by size. Both must refuse a code outside the pool,
 * named by its path, also when the dishonest service relinked the chain around it.
 */
import { describe, expect, it } from "vitest";
import { digestOf, publicManifest, recordDigest, seedRecordDigest, verifyPublic2, type PublicManifest2, type PublicResults } from "../../../src/draws/v2/index.ts";
import { makeRequest } from "../fixtures.ts";
import { manifestOf, request2 } from "./fixtures2.ts";

function relink(m: PublicManifest2): PublicManifest2 {
  let prev = seedRecordDigest(m.commitment, m.seed!.value, m.seed!.provenance);
  for (const r of m.records) {
    r.prev = prev;
    prev = recordDigest(r, digestOf(r.public), r.privateDigest);
  }
  m.head = prev;
  return m;
}

const resultsOf = (m: PublicManifest2) => (m.records[0]!.public as unknown as { results: PublicResults }).results;

describe("public membership check, by pass and by binary search", () => {
  // 200 entities, 3 departments: many codes listed for the pool's size → one pass over the pool;
  // 4,000 entities, 1 department with small quotas: few listed → binary search per listed code.
  const cases = [
    { name: "pass over the pool", req: () => request2(makeRequest({ n: 200, departments: 3 })) },
    {
      name: "binary search",
      req: () => {
        const r = makeRequest({ n: 4000, departments: 1 });
        r.departments[0]!.quotas = { A: { count: 3 }, B: { count: 3 }, C: { count: 3 }, D: { count: 3 } };
        return request2(r);
      },
    },
  ];
  for (const c of cases)
    it(`${c.name}: honest manifest verifies, a code outside the pool is refused where it is listed`, async () => {
      const honest = publicManifest(await manifestOf(c.req()));
      const res = resultsOf(honest);
      const listed = new Set(res.targets.flatMap((t) => [...t.selected, ...t.next]));
      const pool = honest.inputs.public.pool.codes;
      // the chosen way is the one the case is named after
      const binary = listed.size * Math.log2(pool.length + 1) < pool.length;
      expect(binary).toBe(c.name === "binary search");
      expect((await verifyPublic2(honest, { threads: 1 })).ok).toBe(true);

      const forged = structuredClone(honest);
      const t = resultsOf(forged).targets.findIndex((x) => x.selected.length > 1);
      const list = resultsOf(forged).targets[t]!.selected;
      // a well-formed code between two pool codes (so it sorts like a real one), but not in the pool
      const k = Math.min(1, list.length - 1);
      const outsider = `${list[k]!.slice(0, -1)}${list[k]!.endsWith("Y") ? "X" : "Y"}`;
      expect(pool.includes(outsider)).toBe(false);
      list[k] = outsider;
      const out = await verifyPublic2(relink(forged), { threads: 1 });
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.path).toBe(`records[0].public.results.targets[${t}].selected[${k}]`);
        expect(out.rule).toBe("pool");
      }
    });
});
