/**
 * Real inputs (issue 11): the optimizer instance built from a draw carries each task's required
 * qualifications (the union of its department's items' qualifications, frozen as `requires`), the
 * team rules of the draw's configuration, the drawn teams (pinned), absences and recusals.
 */
import { describe, expect, it } from "vitest";
import { instanceFromDraw } from "../../src/store/translate/draws.ts";
import { checkSchedule } from "../../solver/constraints.ts";
import { optimize } from "../../solver/optimize.ts";

const days = ["2027-03-01", "2027-03-02", "2027-03-03"];
const inputs = {
  public: {
    batch: { horizon: days, window: { from: "2027-03-01", to: "2027-03-03" } },
    departments: [
      { id: "D01", items: [{ id: "I1" }, { id: "I2" }], requires: ["食品"] },
      { id: "D02", items: [{ id: "I3" }], requires: [] },
    ],
    config: { team: { minTotal: 3, minPerDepartment: 1 } },
  },
  private: {
    inspectors: {
      officers: [
        { id: "O1", department: "D01", districts: ["6101"], qualifications: ["食品"], dailyCapacity: 1, capacity: 2, unavailable: ["2027-03-01"] },
        { id: "O2", department: "D01", districts: ["610103"], qualifications: [], dailyCapacity: 1, capacity: 2, unavailable: [] },
        { id: "O3", department: "D02", districts: ["610103"], qualifications: [], dailyCapacity: 1, capacity: 2, unavailable: [] },
      ],
      recusals: [{ inspectorId: "O2", code: "E-OTHER" }, { inspectorId: "nobody", code: "E1" }],
    },
  },
};
const checks = [
  {
    code: "E1",
    district: "610103",
    departments: [
      { department: "D01", officers: ["O1", "O2"], shortfall: 0 },
      { department: "D02", officers: ["O3"], shortfall: 0 },
    ],
    experts: { required: 0, drawn: [], reserve: [], shortfall: 0 },
  },
  { code: "E2", district: "610103", departments: [{ department: "D02", officers: [], shortfall: 1 }], experts: { required: 0, drawn: [], reserve: [], shortfall: 0 } },
];

describe("instance from a draw", () => {
  const inst = instanceFromDraw(inputs as never, checks as never, "ab12", (d, c) => `${d}-${c}`);

  it("carries requirements, team rules, pinned teams, absences and recusals", () => {
    expect(inst.tasks.map((t) => [t.id, t.requires, t.items, t.team])).toEqual([
      ["D01-E1", ["食品"], ["I1", "I2"], ["O1", "O2"]],
      ["D02-E1", [], ["I3"], ["O3"]],
    ]);
    expect(inst.rules).toMatchObject({ minTeam: 3, minPerDepartment: 1, minSoloDepartment: 3 });
    expect(inst.entities).toEqual([{ id: "E1", district: "610103" }]); // E2 has a shortfall: left out
    expect(inst.inspectors.find((i) => i.id === "O1")).toMatchObject({ districts: ["610103"], unavailable: ["2027-03-01"], totalCapacity: 2, qualifications: ["食品"] });
    expect(inst.recusals).toEqual([{ inspector: "O2", entity: "E-OTHER" }]);
  });

  it("the optimizer places the drawn check whole on a day its pinned officers are all available", () => {
    const s = optimize(inst);
    expect(checkSchedule(inst, s).violations).toEqual([]);
    expect(s.visits).toEqual([{ entity: "E1", day: "2027-03-02", tasks: ["D01-E1", "D02-E1"], team: ["O1", "O2", "O3"] }]);
  });

  it("a requirement nobody on the drawn team holds leaves the check unscheduled, with the reason", () => {
    const strict = { ...inputs, public: { ...inputs.public, departments: [{ ...inputs.public.departments[0]!, requires: ["特种设备"] }, inputs.public.departments[1]!] } };
    const i2 = instanceFromDraw(strict as never, checks as never, "ab12", (d, c) => `${d}-${c}`);
    const s = optimize(i2);
    expect(s.visits).toEqual([]);
    expect(s.unscheduled.map((u) => u.task).sort()).toEqual(["D01-E1", "D02-E1"]);
  });
});
