import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortByTicket, StratumOrder } from "../../src/draws/tickets.ts";
import { computeTickets } from "../../src/draws/index.ts";
import { codeFor, seedFor } from "./fixtures.ts";

describe("ticket order", () => {
  const codes = Array.from({ length: 6000 }, (_, i) => codeFor(i)).sort();

  it("the lazily banded order equals the full sort, however it is consumed", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 1, max: 6000 }), fc.array(fc.nat(6000), { maxLength: 6 }), (si, m, probes) => {
        const T = computeTickets(seedFor(si), codes);
        const members = Int32Array.from({ length: m }, (_, i) => Math.floor((i * codes.length) / m));
        const expected = sortByTicket(T, codes, members);
        const so = new StratumOrder(T, codes, members);
        for (const p of probes) expect(so.at(p)).toBe(p < m ? expected[p] : -1);
        for (let j = 0; j < Math.min(m, 50); j++) expect(so.at(j)).toBe(expected[j]);
        expect(Array.from(so.full())).toEqual(Array.from(expected));
      }),
      { numRuns: 60 },
    );
  });

  it("orders equal leading words by the remaining ticket bytes, then by code (forced ties)", () => {
    const n = 3000;
    const T = new Uint32Array(8 * n);
    for (let i = 0; i < n; i++) {
      T[8 * i] = (i % 7) * 0x2000_0000; // only 7 distinct leading words
      T[8 * i + 1] = i % 5; // so whole tickets tie too, and the code decides
      T[8 * i + 2] = i % 3 === 0 ? 5 : 0; // words 2..7 equal for many
    }
    const cs = Array.from({ length: n }, (_, i) => codeFor(i));
    const members = Int32Array.from({ length: n }, (_, i) => i);
    const got = Array.from(new StratumOrder(T, cs, members).full());
    const want = Array.from(members).sort((a, b) => {
      for (let w = 0; w < 8; w++) if (T[8 * a + w] !== T[8 * b + w]) return T[8 * a + w]! < T[8 * b + w]! ? -1 : 1;
      return cs[a]! < cs[b]! ? -1 : 1;
    });
    expect(got).toEqual(want);
  });
});
