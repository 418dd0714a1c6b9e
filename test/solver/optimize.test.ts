import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { optimize, optimizeDetailed } from "../../solver/optimize.ts";
import { checkSchedule, scheduleMetrics } from "../../solver/constraints.ts";
import { parseInstance, pierce, visitLowerBound } from "../../solver/model.ts";
import type { Instance, Schedule } from "../../solver/model.ts";
import { generateInstance } from "../../benchmarks/instances/generator.ts";
import { DAYS, E1, E2, E3, inspector, instance, task } from "./fixtures.ts";

function expectSound(inst: Instance, s: Schedule): void {
  const r = checkSchedule(inst, s);
  expect(r.violations).toEqual([]);
  const ids = [...s.visits.flatMap((v) => v.tasks), ...s.unscheduled.map((u) => u.task)];
  expect(ids.length).toBe(inst.tasks.length);
  expect(new Set(ids)).toEqual(new Set(inst.tasks.map((t) => t.id)));
  const byId = new Map(inst.tasks.map((t) => [t.id, t]));
  for (const v of s.visits)
    for (const id of v.tasks) {
      const t = byId.get(id)!;
      expect(v.day >= t.window.from && v.day <= t.window.to).toBe(true);
      expect(t.entity).toBe(v.entity);
    }
}

describe("interval piercing", () => {
  it("finds the minimum number of piercing points", () => {
    expect(pierce([[0, 1], [2, 3], [1, 2]]).points.length).toBe(2);
    expect(pierce([[0, 4], [1, 1], [3, 3], [2, 4]]).points).toEqual([1, 3]);
    expect(pierce([]).points).toEqual([]);
  });

  it("matches brute force on random interval sets", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(6), fc.nat(3)), { minLength: 1, maxLength: 7 }), (raw) => {
        const iv = raw.map(([a, l]) => [a, a + l] as const);
        const got = pierce(iv);
        // every interval contains its assigned point
        iv.forEach(([lo, hi], j) => {
          const p = got.points[got.assignment[j]!]!;
          expect(p >= lo && p <= hi).toBe(true);
        });
        // no smaller set of points works
        const pts = Array.from({ length: 10 }, (_, i) => i);
        const k = got.points.length;
        const pierces = (set: number[]) => iv.every(([lo, hi]) => set.some((p) => p >= lo && p <= hi));
        const subsets = (n: number, from: number): number[][] =>
          n === 0 ? [[]] : pts.slice(from).flatMap((p, i) => subsets(n - 1, from + i + 1).map((s) => [p, ...s]));
        expect(subsets(k - 1, 0).some(pierces)).toBe(false);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe("hand-made instances with known optima", () => {
  it("merges two departments and a directed task on one entity into one joint visit", () => {
    const inst = instance({
      tasks: [
        task("T-1", E1, "D01", "2027-03-01", "2027-03-05", { requires: ["food"] }),
        task("T-2", E1, "D02", "2027-03-02", "2027-03-04"),
        task("T-3", E1, "D01", "2027-03-03", "2027-03-03", { kind: "directed" }),
      ],
    });
    const s = optimize(inst);
    expectSound(inst, s);
    expect(s.visits).toHaveLength(1);
    expect(s.visits[0]!.day).toBe("2027-03-03");
    expect(s.visits[0]!.tasks).toEqual(["T-1", "T-2", "T-3"]);
    // one officer per department, the D01 one must hold "food": only I-0001 does
    expect(s.visits[0]!.team).toHaveLength(2);
    expect(s.visits[0]!.team).toContain("I-0001");
  });

  it("needs two visits when windows cannot all be pierced by one day", () => {
    const inst = instance({
      tasks: [
        task("T-1", E2, "D01", "2027-03-01", "2027-03-02"),
        task("T-2", E2, "D02", "2027-03-04", "2027-03-05"),
        task("T-3", E2, "D02", "2027-03-02", "2027-03-04"),
        task("T-4", E3, "D01", "2027-03-01", "2027-03-05"),
      ],
    });
    const s = optimize(inst);
    expectSound(inst, s);
    expect(s.visits).toHaveLength(3);
    expect(scheduleMetrics(inst, s).lowerBound).toBe(3);
    // a single-department visit gets two officers of that department
    const solo = s.visits.find((v) => v.entity === E3)!;
    expect(solo.team).toHaveLength(2);
  });

  it("explains why a task cannot be scheduled", () => {
    const inst = instance({
      horizon: { days: DAYS.slice(0, 3) },
      inspectors: [inspector("I-0001", "D01"), inspector("I-0002", "D01", { unavailable: ["2027-03-02"] }), inspector("I-0101", "D02")],
      tasks: [
        task("T-1", E1, "D01", "2027-03-06", "2027-03-07"), // weekend: no horizon day
        task("T-2", E1, "D03", "2027-03-01", "2027-03-03"), // no inspector of D03
        task("T-3", E2, "D01", "2027-03-01", "2027-03-03", { requires: ["drug"] }), // nobody holds it
        task("T-4", E2, "D02", "2027-03-02", "2027-03-02"), // only one D02 officer and alone: cannot staff 2
        task("T-5", E3, "D01", "2027-03-02", "2027-03-02"), // I-0002 unavailable, I-0001 alone is not 2
      ],
      recusals: [],
    });
    const s = optimize(inst);
    expectSound(inst, s);
    expect(s.visits).toEqual([]);
    const why = Object.fromEntries(s.unscheduled.map((u) => [u.task, u.reason]));
    expect(why["T-1"]).toMatch(/no working day/);
    expect(why["T-2"]).toMatch(/no inspector of department D03/);
    expect(why["T-3"]).toMatch(/holds \[drug\]/);
    expect(why["T-4"]).toMatch(/capacity|staffed/);
    expect(why["T-5"]).toMatch(/capacity|staffed/);
  });

  it("respects recusals (回避)", () => {
    const inst = instance({
      tasks: [task("T-1", E1, "D01", "2027-03-01", "2027-03-05")],
      recusals: [{ inspector: "I-0001", entity: E1 }],
    });
    for (const seed of ["1", "2", "3", "4", "5", "6"]) {
      const s = optimize({ ...inst, seed });
      expectSound(inst, s);
      expect(s.visits[0]!.team.sort()).toEqual(["I-0002", "I-0003"]);
    }
  });

  it("repairs tight daily capacity by moving visits to other days", () => {
    const two = [inspector("I-0001", "D01", { dailyCapacity: 1 }), inspector("I-0002", "D01", { dailyCapacity: 1 })];
    const inst = instance({
      inspectors: two,
      tasks: [task("T-1", E1, "D01", "2027-03-01", "2027-03-03"), task("T-2", E2, "D01", "2027-03-01", "2027-03-03"), task("T-3", E3, "D01", "2027-03-01", "2027-03-03")],
    });
    const s = optimize(inst);
    expectSound(inst, s);
    expect(s.unscheduled).toEqual([]);
    expect(new Set(s.visits.map((v) => v.day)).size).toBe(3);
  });

  it("leaves unscheduled only what capacity cannot hold", () => {
    const two = [inspector("I-0001", "D01", { dailyCapacity: 1, totalCapacity: 2 }), inspector("I-0002", "D01", { dailyCapacity: 1, totalCapacity: 2 })];
    const inst = instance({
      inspectors: two,
      tasks: [task("T-1", E1, "D01", "2027-03-01", "2027-03-01"), task("T-2", E2, "D01", "2027-03-01", "2027-03-02"), task("T-3", E3, "D01", "2027-03-01", "2027-03-05")],
    });
    const { schedule: s, stats } = optimizeDetailed(inst);
    expectSound(inst, s);
    // totalCapacity 2 each and two officers per visit: at most two visits.
    expect(s.visits).toHaveLength(2);
    expect(s.unscheduled).toHaveLength(1);
    expect(s.unscheduled[0]!.reason).toMatch(/capacity/);
    expect(stats.repairRounds).toBeGreaterThan(0);
  });

  it("splits a visit when no officer holds a department's combined requirements", () => {
    const inst = instance({
      inspectors: [
        inspector("I-0001", "D01", { qualifications: ["food"] }),
        inspector("I-0002", "D01", { qualifications: ["drug"] }),
        inspector("I-0003", "D01"),
      ],
      tasks: [task("T-1", E1, "D01", "2027-03-01", "2027-03-05", { requires: ["food", "drug"] }), task("T-2", E1, "D01", "2027-03-01", "2027-03-05", { requires: ["food"] })],
    });
    const s = optimize(inst);
    expectSound(inst, s);
    expect(s.unscheduled.map((u) => u.task)).toEqual(["T-1"]);
    expect(s.visits).toHaveLength(1);
  });
});

const smallInstance = fc
  .record({
    tasks: fc.integer({ min: 1, max: 60 }),
    departments: fc.integer({ min: 1, max: 4 }),
    inspectors: fc.integer({ min: 2, max: 30 }),
    days: fc.integer({ min: 1, max: 30 }),
    districts: fc.integer({ min: 1, max: 3 }),
    entities: fc.integer({ min: 1, max: 30 }),
    dailyCapacity: fc.integer({ min: 1, max: 3 }),
    totalCapacity: fc.integer({ min: 1, max: 12 }),
    unavailableRate: fc.constantFrom(0, 0.1, 0.3),
    recusalRate: fc.constantFrom(0, 0.05),
    seed: fc.string({ minLength: 1, maxLength: 6 }),
  })
  .map((o) => generateInstance(o));

describe("properties (fast-check)", () => {
  it("every schedule passes the checker; no task lost or duplicated; windows kept", () => {
    fc.assert(
      fc.property(smallInstance, (inst) => {
        expectSound(inst, optimize(inst));
      }),
      { numRuns: 120, seed: 42 },
    );
  });

  it("stays feasible under other rules (team sizes 0–4, caps 0.2–1)", () => {
    const withRules = fc
      .record({
        tasks: fc.integer({ min: 1, max: 50 }),
        departments: fc.integer({ min: 1, max: 4 }),
        inspectors: fc.integer({ min: 2, max: 30 }),
        days: fc.integer({ min: 1, max: 15 }),
        districts: fc.integer({ min: 1, max: 3 }),
        entities: fc.integer({ min: 1, max: 20 }),
        dailyCapacity: fc.integer({ min: 1, max: 3 }),
        totalCapacity: fc.integer({ min: 1, max: 10 }),
        unavailableRate: fc.constantFrom(0, 0.2),
        recusalRate: fc.constantFrom(0, 0.1),
        seed: fc.string({ minLength: 1, maxLength: 4 }),
        rules: fc.record({
          minTeam: fc.integer({ min: 0, max: 4 }),
          minPerDepartment: fc.integer({ min: 0, max: 2 }),
          minSoloDepartment: fc.integer({ min: 0, max: 3 }),
          assignmentCap: fc.constantFrom(0.2, 0.5, 1),
        }),
      })
      .map((o) => generateInstance(o));
    fc.assert(
      fc.property(withRules, (inst) => {
        expectSound(inst, optimize(inst));
      }),
      { numRuns: 200, seed: 46 },
    );
  });

  it("is deterministic: same instance and seed give a byte-identical schedule", () => {
    fc.assert(
      fc.property(smallInstance, (inst) => {
        const a = JSON.stringify(optimize(inst));
        const b = JSON.stringify(optimize(parseInstance(JSON.parse(JSON.stringify(inst)))));
        expect(b).toBe(a);
      }),
      { numRuns: 40, seed: 43 },
    );
  });

  it("reaches the lower bound exactly when capacities are slack", () => {
    fc.assert(
      fc.property(smallInstance, (raw) => {
        const depts = [...new Set(raw.inspectors.map((i) => i.department))];
        const districts = [...new Set(raw.entities.map((e) => e.district))];
        const quals = [...new Set([...raw.inspectors.flatMap((i) => i.qualifications), ...raw.tasks.flatMap((t) => t.requires)])];
        const inst: Instance = {
          ...raw,
          recusals: [],
          tasks: raw.tasks.filter((t) => depts.includes(t.department)),
          inspectors: depts.flatMap((d, k) =>
            [0, 1, 2].map((n) => ({ id: `S-${k}-${n}`, department: d, districts, qualifications: quals, dailyCapacity: 1000, totalCapacity: 100000, unavailable: [] })),
          ),
        };
        const s = optimize(inst);
        expectSound(inst, s);
        const lb = visitLowerBound(inst);
        const noDay = inst.tasks.filter((t) => !inst.horizon.days.some((d) => d >= t.window.from && d <= t.window.to)).length;
        expect(s.unscheduled.length).toBe(noDay);
        expect(s.visits.length).toBe(lb);
      }),
      { numRuns: 80, seed: 44 },
    );
  });

  it("the seed changes teams only: visits, days and unscheduled tasks do not depend on it", () => {
    fc.assert(
      fc.property(smallInstance, fc.stringMatching(/^[0-9a-f]{1,8}$/), (inst, seed) => {
        const a = optimize(inst);
        const b = optimize({ ...inst, seed });
        expect(b.unscheduled).toEqual(a.unscheduled);
        expect(b.visits.map((v) => [v.entity, v.day, v.tasks, v.team.length])).toEqual(a.visits.map((v) => [v.entity, v.day, v.tasks, v.team.length]));
      }),
      { numRuns: 40, seed: 45 },
    );
  });

  it("draws different teams for different seeds (the seed matters)", () => {
    const inst = generateInstance({ tasks: 40, departments: 2, inspectors: 20, days: 10, districts: 1, seed: "teams" });
    const seen = new Set<string>();
    for (const seed of ["a1", "b2", "c3", "d4", "e5"]) seen.add(JSON.stringify(optimize({ ...inst, seed }).visits.map((v) => v.team)));
    expect(seen.size).toBeGreaterThan(1);
  });
});
