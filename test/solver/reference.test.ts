import { describe, expect, it } from "vitest";
import { optimize } from "../../solver/optimize.ts";
import { scheduleMetrics } from "../../solver/constraints.ts";
import { generateInstance } from "../../benchmarks/instances/generator.ts";
import { referenceOptimum } from "../../benchmarks/instances/highsReference.ts";
import { fairnessReport } from "../../benchmarks/instances/fairness.ts";

describe("quality against the HiGHS monolithic optimum", () => {
  const cases = [
    { tasks: 30, departments: 2, inspectors: 12, days: 8, districts: 1, seed: "r1" },
    { tasks: 50, departments: 3, inspectors: 18, days: 6, districts: 2, seed: "r2", unavailableRate: 0.2 },
    { tasks: 40, departments: 2, inspectors: 8, days: 5, districts: 1, seed: "r3", dailyCapacity: 1, totalCapacity: 4 },
    { tasks: 60, departments: 3, inspectors: 24, days: 10, districts: 2, seed: "r4", recusalRate: 0.05 },
  ];
  for (const c of cases)
    it(`${c.seed}: no more unscheduled tasks and visits within 2 % of the optimum`, async () => {
      const inst = generateInstance(c);
      const ours = scheduleMetrics(inst, optimize(inst));
      const ref = await referenceOptimum(inst, 120);
      expect(ref.status).toBe("Optimal");
      expect(ours.unscheduled).toBeLessThanOrEqual(ref.unscheduled);
      expect(ours.visits).toBeLessThanOrEqual(Math.floor(ref.visits * 1.02));
    });
});

describe("fairness over 200 seeds", () => {
  it("keeps P(inspector on entity) under the cap where the pool allows, and equal chances among equals", () => {
    const inst = generateInstance({ tasks: 60, departments: 2, inspectors: 24, days: 10, districts: 1, seed: "fair", unavailableRate: 0, totalCapacity: 200 });
    const schedules = Array.from({ length: 200 }, (_, n) => optimize({ ...inst, seed: n.toString(16) }));
    const f = fairnessReport(inst, schedules, 0.5);
    expect(f.classes).toBeGreaterThan(10);
    expect(f.pairsAboveCapWherePoolAllows).toBe(0);
    expect(f.pValue).toBeGreaterThan(0.001);
  });
});
