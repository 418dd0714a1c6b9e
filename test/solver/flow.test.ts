import { describe, expect, it } from "vitest";
import fc from "fast-check";
import seedrandom from "seedrandom";
import { FlowNetwork, dependentRound } from "../../solver/flow.ts";
import { closedFormSeat } from "../../solver/marginals.ts";

describe("max-flow", () => {
  it("computes a known maximum flow", () => {
    const g = new FlowNetwork(6);
    const e = [g.addEdge(0, 2, 3), g.addEdge(0, 3, 2), g.addEdge(2, 3, 1), g.addEdge(2, 4, 2), g.addEdge(3, 5, 3), g.addEdge(4, 1, 3), g.addEdge(5, 1, 2), g.addEdge(4, 5, 1)];
    // into node 4 only 2 can arrive, node 5 sends at most 2 to the sink
    expect(g.maxflow(0, 1)).toBe(4);
    expect(g.flow(e[5]!) + g.flow(e[6]!)).toBe(4);
    expect(g.flow(e[0]!) + g.flow(e[1]!)).toBe(4);
  });
});

/**
 * A team network like the optimizer's: S → inspector (total cap) → seat (x) → T (k), with a
 * qualified sub-node where the seat needs one qualified member. Returns edge arrays and values.
 */
function network(seats: { pool: number[]; qualified: number; k: number }[], inspectors: number, totalCap: number) {
  const from: number[] = [];
  const to: number[] = [];
  const val: number[] = [];
  const kind: string[] = [];
  const cap: number[] = [];
  const add = (u: number, v: number, x: number, k: string, c = Math.ceil(x)) => (from.push(u), to.push(v), val.push(x), kind.push(k), cap.push(c), from.length - 1);
  const inspEdge: number[] = [];
  for (let i = 0; i < inspectors; i++) inspEdge.push(add(0, 2 + i, 0, "insp", totalCap));
  let node = 2 + inspectors;
  const seatX: { edge: number; inspector: number; q: boolean }[][] = [];
  for (const s of seats) {
    const sn = node++;
    const needQ = s.qualified < s.pool.length;
    const qn = needQ ? node++ : sn;
    const { qualified, other } = closedFormSeat(s.pool.length, s.qualified, s.k);
    const xs: { edge: number; inspector: number; q: boolean }[] = [];
    s.pool.forEach((i, r) => {
      const q = r < s.qualified;
      const x = q ? qualified : other;
      xs.push({ edge: add(2 + i, q ? qn : sn, x, "x", 1), inspector: i, q });
      val[inspEdge[i]!]! += x;
    });
    if (needQ) {
      add(qn, 1, 1, "sink");
      add(qn, sn, s.qualified * qualified - 1, "nq", s.k - 1);
      add(sn, 1, s.k - 1, "sink");
    } else add(sn, 1, s.k, "sink");
    seatX.push(xs);
  }
  return { from, to, val, cap, nodes: node, seatX, inspEdge };
}

const seatsArb = fc.integer({ min: 3, max: 8 }).chain((inspectors) =>
  fc.tuple(
    fc.constant(inspectors),
    fc.array(
      fc
        .tuple(fc.shuffledSubarray([...Array(inspectors).keys()], { minLength: 2 }), fc.integer({ min: 1, max: 2 }), fc.nat(8))
        .map(([pool, k, q]) => ({ pool, k: Math.min(k, pool.length), qualified: 1 + (q % pool.length) })),
      { minLength: 1, maxLength: 6 },
    ),
  ),
);

describe("dependent rounding", () => {
  it("rounds every edge to floor or ceil, keeps conservation, seats exact, a qualified member per seat", () => {
    fc.assert(
      fc.property(seatsArb, fc.string(), fc.boolean(), fc.integer({ min: 1, max: 4 }), ([inspectors, seats], seed, wide, totalCap) => {
        const net = network(seats, inspectors, 99);
        // with capacity bounds: inspector totals may move anywhere in [0, cap] (cap ≥ the load)
        for (const e of net.inspEdge) net.cap[e] = Math.max(Math.ceil(net.val[e]!), totalCap);
        const before = Float64Array.from(net.val);
        const v = Float64Array.from(net.val);
        dependentRound(net.from, net.to, v, net.nodes, seedrandom(seed), 1e-9, wide ? net.cap : undefined);
        const bal = new Float64Array(net.nodes);
        v.forEach((x, e) => {
          expect(Number.isInteger(x)).toBe(true);
          if (wide) expect(x >= 0 && x <= net.cap[e]!).toBe(true);
          else expect(x === Math.floor(before[e]! + 1e-9) || x === Math.ceil(before[e]! - 1e-9)).toBe(true);
          bal[net.from[e]!]! -= x;
          bal[net.to[e]!]! += x;
        });
        for (let n = 2; n < net.nodes; n++) expect(bal[n]).toBe(0);
        seats.forEach((s, j) => {
          const chosen = net.seatX[j]!.filter((x) => v[x.edge] === 1);
          expect(chosen.length).toBe(s.k);
          expect(chosen.some((x) => x.q)).toBe(true);
        });
      }),
      { numRuns: 200, seed: 9 },
    );
  });

  it("preserves the marginals in expectation", () => {
    const seats = [
      { pool: [0, 1, 2, 3, 4], k: 2, qualified: 2 },
      { pool: [1, 2, 3], k: 1, qualified: 3 },
      { pool: [0, 3, 4, 5], k: 2, qualified: 1 },
    ];
    const net = network(seats, 6, 99);
    const runs = 4000;
    const sum = new Float64Array(net.val.length);
    const rng = seedrandom("marginals");
    for (const e of net.inspEdge) net.cap[e] = 3;
    for (let r = 0; r < runs; r++) {
      const v = Float64Array.from(net.val);
      dependentRound(net.from, net.to, v, net.nodes, rng, 1e-9, r % 2 ? net.cap : undefined);
      v.forEach((x, e) => (sum[e]! += x));
    }
    net.seatX.flat().forEach((x) => {
      const p = net.val[x.edge]!;
      const sd = Math.sqrt((p * (1 - p)) / runs);
      expect(Math.abs(sum[x.edge]! / runs - p)).toBeLessThanOrEqual(4 * sd + 1e-9);
    });
  });
});
