/**
 * The benchmark's per-inspector load figures (benchmarks/instances/load.ts): every inspector of
 * the instance counts, those without a visit as 0; the relative load is against totalCapacity.
 */
import { describe, expect, it } from "vitest";
import { formatLoad, loadStats } from "../../benchmarks/instances/load.ts";
import type { Instance, Schedule } from "../../solver/model.ts";

const inspector = (id: string, totalCapacity: number) => ({ id, department: "D1", districts: ["X"], qualifications: [], dailyCapacity: 2, totalCapacity, unavailable: [] });
const instance = {
  horizon: { days: ["2027-09-06", "2027-09-07"] },
  entities: [{ id: "E1", district: "X" }],
  inspectors: [inspector("A", 4), inspector("B", 2), inspector("C", 0)],
  tasks: [],
  recusals: [],
  seed: "0",
} as unknown as Instance;

describe("loadStats", () => {
  it("min, max, mean and population sd of visits per inspector; largest load / capacity", () => {
    const schedule: Schedule = {
      visits: [
        { entity: "E1", day: "2027-09-06", tasks: ["t1"], team: ["A", "B"] },
        { entity: "E1", day: "2027-09-07", tasks: ["t2"], team: ["A", "B"] },
        { entity: "E1", day: "2027-09-07", tasks: ["t3"], team: ["A"] },
      ],
      unscheduled: [],
    };
    const s = loadStats(instance, schedule);
    // loads A 3, B 2, C 0: mean 5/3, variance ((4/3)² + (1/3)² + (5/3)²) / 3 = 14/9
    expect(s.min).toBe(0);
    expect(s.max).toBe(3);
    expect(s.mean).toBeCloseTo(5 / 3, 12);
    expect(s.stdev).toBeCloseTo(Math.sqrt(14 / 9), 12);
    // B: 2 of 2 (A: 3 of 4; C has no capacity and is left out of the ratio)
    expect(s.maxRelative).toBe(1);
    expect(formatLoad(s)).toBe("0–3, 1.67 ± 1.25, max/cap 1.00");
  });

  it("an empty schedule: all zero", () => {
    expect(loadStats(instance, { visits: [], unscheduled: [] })).toEqual({ min: 0, max: 0, mean: 0, stdev: 0, maxRelative: 0 });
  });
});
