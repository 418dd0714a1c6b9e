/**
 * The HiGHS adapter's column order (solver/mip.ts `inReaderOrder`): costed columns first, then by
 * first appearance row by row, the rest last; values map back to build order exactly.
 */
import { describe, expect, it } from "vitest";
import { inReaderOrder, MipBuilder } from "../../solver/mip.ts";
import { loadHighs } from "../../solver/highs.ts";

function model() {
  const b = new MipBuilder();
  const a = b.binary(0); // 0: first in row 1
  const c = b.binary(0); // 1: never in a row
  const y = b.binary(3); // 2: costed
  const d = b.binary(0); // 3: first in row 0
  const u = b.binary(1); // 4: costed
  b.row([[d, 1], [y, -1]], -Infinity, 0);
  b.row([[a, 1], [d, 1], [u, 1]], 1, 1);
  b.fixZero(c);
  return { m: b.model(), cols: { a, c, y, d, u } };
}

describe("inReaderOrder", () => {
  it("orders costed columns, then first appearance in rows, then the rest; same rows", () => {
    const { m } = model();
    const { model: p } = inReaderOrder(m);
    // new position of build columns: y 0, u 1, d 2, a 3, c 4
    expect([...p.colCost]).toEqual([3, 1, 0, 0, 0]);
    expect([...p.colUpper]).toEqual([1, 1, 1, 1, 0]);
    expect([...p.indices]).toEqual([2, 0, 3, 2, 1]);
    expect([...p.starts]).toEqual([...m.starts]);
    expect([...p.values]).toEqual([...m.values]);
    expect([...p.rowLower]).toEqual([...m.rowLower]);
  });

  it("maps values back to build order (and a start forward)", () => {
    const { m } = model();
    const { model: p, back } = inReaderOrder({ ...m, start: Float64Array.from([10, 11, 12, 13, 14]) });
    expect([...p.start!]).toEqual([12, 14, 13, 10, 11]);
    expect([...back(p.start!)]).toEqual([10, 11, 12, 13, 14]);
  });

  it("HiGHS through the adapter answers in build order", async () => {
    const { m, cols } = model();
    const r = (await loadHighs()).solve(m, { maxNodes: 100 });
    expect(r.status).toBe("optimal");
    // d = 1 forces y = 1 (cost 3); u = 1 costs 1; a = 1 costs 0 → a carries the equality row
    expect(r.objective).toBe(0);
    expect(r.values![cols.a]).toBe(1);
    expect(r.values![cols.u]).toBe(0);
    expect(r.values![cols.d]).toBe(0);
  });
});
