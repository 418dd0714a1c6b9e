/**
 * Each named rule of solver/constraints.ts on its own: one mutation of a feasible schedule (and,
 * where the rule cannot break alone otherwise, of the instance) breaks exactly that rule, and the
 * rule reports an exact number of violations while every other rule reports none.
 */
import { describe, expect, it } from "vitest";
import { buildContext, checkSchedule, constraintRules } from "../../solver/constraints.ts";
import type { RuleName } from "../../solver/constraints.ts";
import type { Instance, Schedule } from "../../solver/model.ts";
import { E1, E2, inspector, instance, task } from "./fixtures.ts";

const base = (): Instance =>
  instance({
    inspectors: [
      inspector("I-0001", "D01", { qualifications: ["food"], dailyCapacity: 1, totalCapacity: 2, unavailable: ["2027-03-05"] }),
      inspector("I-0002", "D01"),
      inspector("I-0003", "D01", { districts: ["610113"] }),
      inspector("I-0101", "D02"),
      inspector("I-0102", "D02"),
    ],
    tasks: [
      task("T-1", E1, "D01", "2027-03-01", "2027-03-03", { requires: ["food"] }),
      task("T-2", E1, "D02", "2027-03-02", "2027-03-05"),
      { ...task("T-3", E2, "D01", "2027-03-01", "2027-03-05"), team: ["I-0002"] },
      task("T-4", E2, "D02", "2027-03-04", "2027-03-04"),
    ],
    recusals: [{ inspector: "I-0102", entity: E2 }],
  });

const good = (): Schedule => ({
  visits: [
    { entity: E1, day: "2027-03-02", tasks: ["T-1", "T-2"], team: ["I-0001", "I-0101"] },
    { entity: E2, day: "2027-03-04", tasks: ["T-3", "T-4"], team: ["I-0002", "I-0101"] },
  ],
  unscheduled: [],
});

const insp = (i: Instance, id: string) => i.inspectors.find((x) => x.id === id)!;

/** rule → (instance, schedule) mutation and the exact number of violations it causes. */
const cases: { rule: RuleName; count: number; mutate: (i: Instance, s: Schedule) => void }[] = [
  { rule: "task-coverage", count: 2, mutate: (_, s) => s.unscheduled.push({ task: "T-4", reason: "twice" }, { task: "T-99", reason: "unknown" }) },
  { rule: "visit-entity", count: 2, mutate: (_, s) => (s.visits[1]!.entity = E1) },
  { rule: "visit-day", count: 1, mutate: (_, s) => (s.visits[0]!.day = "2027-03-04") },
  { rule: "team-members", count: 1, mutate: (_, s) => s.visits[0]!.team.push("I-0101") },
  { rule: "member-department", count: 1, mutate: (_, s) => ((s.visits[0]!.tasks = ["T-1"]), (s.visits[0]!.team = ["I-0001", "I-0002", "I-0101"]), s.unscheduled.push({ task: "T-2", reason: "x" })) },
  { rule: "member-district", count: 1, mutate: (_, s) => (s.visits[0]!.team = ["I-0001", "I-0003", "I-0101"]) },
  { rule: "member-recusal", count: 1, mutate: (_, s) => (s.visits[1]!.team = ["I-0002", "I-0102"]) },
  { rule: "member-availability", count: 1, mutate: (i) => (insp(i, "I-0101").unavailable = ["2027-03-04"]) },
  { rule: "min-per-department", count: 4, mutate: (i) => (i.rules.minPerDepartment = 2) },
  { rule: "min-team", count: 2, mutate: (i) => (i.rules.minTeam = 3) },
  { rule: "min-solo-department", count: 1, mutate: (i, s) => ((i.rules.minTeam = 1), (s.visits[1]!.tasks = ["T-3"]), (s.visits[1]!.team = ["I-0002"]), s.unscheduled.push({ task: "T-4", reason: "x" })) },
  { rule: "qualification", count: 1, mutate: (_, s) => (s.visits[0]!.team = ["I-0002", "I-0101"]) },
  { rule: "pinned-team", count: 1, mutate: (_, s) => (s.visits[1]!.team = ["I-0001", "I-0101"]) },
  {
    rule: "daily-capacity",
    count: 1,
    mutate: (i, s) => ((i.tasks[3]!.window = { from: "2027-03-02", to: "2027-03-04" }), (insp(i, "I-0101").dailyCapacity = 1), (s.visits[1]!.day = "2027-03-02")),
  },
  { rule: "total-capacity", count: 1, mutate: (i) => (insp(i, "I-0101").totalCapacity = 1) },
];

const counts = (i: Instance, s: Schedule) => {
  const ctx = buildContext(i);
  return Object.fromEntries(constraintRules.map((r) => [r.name, r.check(ctx, s).length]));
};

describe("each constraint rule alone", () => {
  it("the unmutated schedule breaks no rule", () => {
    expect(Object.values(counts(base(), good())).every((n) => n === 0)).toBe(true);
  });

  it("covers every rule", () => {
    expect(cases.map((c) => c.rule).sort()).toEqual(constraintRules.map((r) => r.name).sort());
  });

  for (const c of cases)
    it(`${c.rule}: exactly ${c.count} violation(s), no other rule`, () => {
      const i = base();
      const s = good();
      c.mutate(i, s);
      const expected = Object.fromEntries(constraintRules.map((r) => [r.name, r.name === c.rule ? c.count : 0]));
      expect(counts(i, s)).toEqual(expected);
      // checkSchedule reports the same, each violation under the rule's name.
      const all = checkSchedule(i, s);
      expect(all.feasible).toBe(false);
      expect(all.violations.map((v) => v.rule)).toEqual(Array(c.count).fill(c.rule));
    });
});
