/**
 * Rotation (轮换): with the previous rounds as input, an inspector who visited an entity within
 * `rotationRounds` rounds is not drawn for it again where the pool allows, and rotation never
 * changes visits, days or unscheduled tasks.
 */
import { describe, expect, it } from "vitest";
import { generateInstance } from "../../benchmarks/instances/generator.ts";
import { rotationReport } from "../../benchmarks/instances/rotation.ts";
import { checkSchedule } from "../../solver/constraints.ts";

const inst = generateInstance({ tasks: 120, departments: 3, inspectors: 45, days: 10, districts: 2, seed: "rot-test", totalCapacity: 200 });
const strip = (s: { visits: { entity: string; day: string; tasks: string[] }[]; unscheduled: { task: string }[] }) => ({
  visits: s.visits.map((v) => [v.entity, v.day, v.tasks]),
  unscheduled: s.unscheduled.map((u) => u.task),
});

describe("rotation across rounds", () => {
  it("repeats no inspector × entity pair of the last round where the pools allow; the random baseline does", () => {
    const base = rotationReport(inst, 3, 0);
    const rot = rotationReport(inst, 3, 1);
    expect(base.repeats).toBeGreaterThan(0);
    expect(rot.repeats).toBe(0);
    for (const s of rot.schedules) expect(checkSchedule(inst, s).feasible).toBe(true);
    // Same visits, days and unscheduled tasks: rotation only chooses among equally good teams.
    rot.schedules.forEach((s, r) => expect(strip(s)).toEqual(strip(base.schedules[r]!)));
  });

  it("falls back to repeating when the pool is too small to rotate", () => {
    // Two officers per department and district: every solo visit needs both, again and again.
    const tiny = generateInstance({ tasks: 20, departments: 1, inspectors: 2, days: 5, districts: 1, seed: "rot-tiny", totalCapacity: 100, dailyCapacity: 5 });
    const rot = rotationReport(tiny, 2, 1);
    expect(rot.schedules[1]!.visits.length).toBe(rot.schedules[0]!.visits.length);
    expect(rot.repeatRate).toBe(1);
  });
});
