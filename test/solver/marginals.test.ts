import { describe, expect, it } from "vitest";
import fc from "fast-check";
import lpModule from "javascript-lp-solver";
import highsModule from "highs";
import { blend, capacityFeasibleMarginals, closedForm, closedFormSeat, localBlend, waterFill, withinCapacity } from "../../solver/marginals.ts";
import type { Seat } from "../../solver/marginals.ts";
import type { Inspector } from "../../solver/model.ts";

type LpSolver = { Solve(model: unknown): Record<string, unknown> };
const lp: LpSolver = (lpModule as unknown as { default?: LpSolver }).default ?? (lpModule as unknown as LpSolver);
type Loader = typeof import("highs").default;
const highsLoader: Loader = (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);

const insp = (dailyCapacity: number, totalCapacity = 100): Inspector => ({ id: "x", department: "D", districts: [], qualifications: [], dailyCapacity, totalCapacity, unavailable: [] });

describe("closed-form marginals", () => {
  it("is uniform, or lifts the qualified members to one seat in expectation", () => {
    expect(closedFormSeat(10, 10, 2)).toEqual({ qualified: 0.2, other: 0.2 });
    expect(closedFormSeat(10, 2, 2)).toEqual({ qualified: 0.5, other: 0.125 });
    expect(closedFormSeat(4, 1, 2)).toEqual({ qualified: 1, other: 1 / 3 });
    expect(closedFormSeat(5, 4, 1)).toEqual({ qualified: 0.25, other: 0 });
  });

  /** min z s.t. x ≤ z, Σx = k, Σ_Q x ≥ 1, 0 ≤ x ≤ 1: the least possible largest probability. */
  const minMaxModel = (n: number, q: number, k: number) => {
    const variables: Record<string, Record<string, number>> = { z: { obj: 1 } };
    const constraints: Record<string, { min?: number; max?: number; equal?: number }> = { seat: { equal: k }, qual: { min: 1 } };
    for (let r = 0; r < n; r++) {
      variables[`x${r}`] = { seat: 1, [`cap${r}`]: 1, [`ub${r}`]: 1, ...(r < q ? { qual: 1 } : {}) };
      variables.z![`cap${r}`] = -1;
      constraints[`cap${r}`] = { max: 0 };
      constraints[`ub${r}`] = { max: 1 };
    }
    return { optimize: "obj", opType: "min", constraints, variables };
  };
  const lpText = (n: number, q: number, k: number) => {
    const xs = Array.from({ length: n }, (_, r) => `x${r}`);
    return [
      "Minimize\n obj: z\nSubject To",
      ` seat: ${xs.join(" + ")} = ${k}`,
      ` qual: ${xs.slice(0, q).join(" + ")} >= 1`,
      ...xs.map((x, r) => ` c${r}: ${x} - z <= 0`),
      "Bounds",
      ...xs.map((x) => ` 0 <= ${x} <= 1`),
      "End",
    ].join("\n");
  };

  it("minimises the largest assignment probability (checked against javascript-lp-solver)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(20), fc.integer({ min: 1, max: 3 }), (n, qRaw, kRaw) => {
        const q = 1 + (qRaw % n);
        const k = Math.min(kRaw, n);
        const r = lp.Solve(minMaxModel(n, q, k));
        expect(r.feasible).toBe(true);
        const { qualified, other } = closedFormSeat(n, q, k);
        expect(Math.max(qualified, q < n ? other : 0)).toBeCloseTo(r.result as number, 6);
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it("agrees with HiGHS on the same LP", async () => {
    const h = await highsLoader();
    for (const [n, q, k] of [
      [10, 2, 2],
      [7, 7, 2],
      [5, 1, 3],
      [12, 5, 1],
    ] as const) {
      const r = h.solve(lpText(n, q, k));
      expect(r.Status).toBe("Optimal");
      const { qualified, other } = closedFormSeat(n, q, k);
      expect(Math.max(qualified, q < n ? other : 0)).toBeCloseTo(r.ObjectiveValue, 6);
    }
  });
});

describe("capacity-feasible marginals", () => {
  // Three seats on one day share inspectors 0..3; inspector 0 may do only one visit that day.
  const seats: Seat[] = [0, 1, 2].map((g) => ({ group: g, dept: "D", day: 0, k: 2, pool: [0, 1, 2, 3], qualified: [0, 1, 2, 3], cap: 0.5 }));
  const inspectors = [insp(1), insp(3), insp(3), insp(3)];
  const integral = [
    [0, 1, 1, 0],
    [0, 1, 0, 1],
    [1, 0, 1, 0],
  ];

  it("the closed form breaks the capacity here", () => {
    expect(withinCapacity(seats, closedForm(seats), (i) => inspectors[i]!, 1e-9)).toBe(false);
  });

  for (const lpMaxVariables of [1000, 0])
    it(`repairs it (${lpMaxVariables ? "LP" : "water-filling"})`, () => {
      const m = capacityFeasibleMarginals(seats, integral, (i) => inspectors[i]!, { lpMaxVariables, epsilon: 1e-7 });
      expect(m.method).toBe(lpMaxVariables ? "lp" : "waterfill");
      expect(withinCapacity(seats, m.x, (i) => inspectors[i]!, 1e-9)).toBe(true);
      for (const row of m.x) {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 9);
        for (const v of row) expect(v).toBeGreaterThanOrEqual(0);
      }
      // inspector 0 carries at most one seat in expectation that day
      expect(m.x.reduce((a, row) => a + row[0]!, 0)).toBeLessThanOrEqual(1 + 1e-9);
      if (lpMaxVariables) {
        // the LP stays at least as close to uniform as the blend
        const dev = (x: number[][]) => x.flat().reduce((a, v) => a + Math.abs(v - 0.5), 0);
        expect(m.lambda).toBeUndefined();
        const b = blend(seats, closedForm(seats), integral, (i) => inspectors[i]!);
        expect(dev(m.x)).toBeLessThanOrEqual(dev(b.x) + 1e-9);
      }
    });

  it("re-solves only the seats around the broken capacity when the component is too large for one LP", () => {
    const others: Seat[] = [3, 4, 5, 6, 7].map((g) => ({ group: g, dept: "D", day: 1, k: 2, pool: [4, 5, 6, 7], qualified: [4, 5, 6, 7], cap: 0.5 }));
    const all = [...seats, ...others];
    const insps = [...inspectors, insp(3), insp(3), insp(3), insp(3)];
    const m = capacityFeasibleMarginals(all, [...integral, ...others.map(() => [1, 1, 0, 0])], (i) => insps[i]!, { lpMaxVariables: 12, epsilon: 1e-7 });
    expect(m.method).toBe("lp");
    expect(withinCapacity(all, m.x, (i) => insps[i]!, 1e-9)).toBe(true);
    // the untouched seats keep the closed form exactly
    for (let j = 3; j < all.length; j++) expect(m.x[j]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it("blends only the seats around the broken capacity when no LP fits", () => {
    const others: Seat[] = [3, 4, 5, 6, 7].map((g) => ({ group: g, dept: "D", day: 1, k: 2, pool: [4, 5, 6, 7], qualified: [4, 5, 6, 7], cap: 0.5 }));
    const all = [...seats, ...others];
    const insps = [...inspectors, insp(3), insp(3), insp(3), insp(3)];
    // an integral assignment leaving inspector 0 free: λ·1.5 + (1 − λ)·0 ≤ 1 gives λ = 2/3
    const free = [
      [0, 1, 1, 0],
      [0, 1, 0, 1],
      [0, 0, 1, 1],
    ];
    const m = localBlend(all, closedForm(all), [...free, ...others.map(() => [1, 1, 0, 0])], [0, 1, 2], (i) => insps[i]!)!;
    expect(m.lambda).toBeCloseTo(2 / 3, 9);
    expect(withinCapacity(all, m.x, (i) => insps[i]!, 1e-9)).toBe(true);
    for (let j = 3; j < all.length; j++) expect(m.x[j]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it("water-filling moves only the overloaded member's excess, within its class, keeping seat and qualified sums", () => {
    // seat pools 0..3, qualified {0, 1}; inspector 0 can take one visit that day
    const qs: Seat[] = [0, 1, 2].map((g) => ({ group: g, dept: "D", day: 0, k: 2, pool: [0, 1, 2, 3], qualified: [0, 1], cap: 0.5 }));
    const x = waterFill(qs, closedForm(qs), (i) => inspectors[i]!)!;
    expect(x).not.toBeNull();
    expect(withinCapacity(qs, x, (i) => inspectors[i]!, 1e-9)).toBe(true);
    for (const row of x) {
      expect(row[0]! + row[1]! + row[2]! + row[3]!).toBeCloseTo(2, 9);
      expect(row[0]! + row[1]!).toBeGreaterThanOrEqual(1 - 1e-9);
      expect(row[2]).toBeCloseTo(0.5, 9); // the unqualified members are untouched
    }
  });
});
