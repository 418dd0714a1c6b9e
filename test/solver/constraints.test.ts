import { describe, expect, it } from "vitest";
import { checkSchedule, constraintRules } from "../../solver/constraints.ts";
import type { RuleName } from "../../solver/constraints.ts";
import type { Instance, Schedule } from "../../solver/model.ts";
import { E1, E2, inspector, instance, task } from "./fixtures.ts";

const base: Instance = instance({
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

/** One mutation per rule, each breaking exactly that rule. */
const breaks: [RuleName, (s: Schedule) => void][] = [
  ["task-coverage", (s) => s.unscheduled.push({ task: "T-4", reason: "duplicate" })],
  ["visit-entity", (s) => (s.visits[1]!.entity = E1)],
  ["visit-day", (s) => (s.visits[0]!.day = "2027-03-04")],
  ["team-members", (s) => s.visits[0]!.team.push("I-0101")],
  ["member-department", (s) => (s.visits[0]!.tasks = ["T-1"], s.visits[0]!.team = ["I-0001", "I-0002", "I-0101"], s.unscheduled.push({ task: "T-2", reason: "x" }))],
  ["member-district", (s) => (s.visits[1]!.team = ["I-0003", "I-0101"])],
  ["member-recusal", (s) => (s.visits[1]!.team = ["I-0002", "I-0102"])],
  ["member-availability", (s) => (s.visits[1]!.day = "2027-03-05", s.visits[1]!.tasks = ["T-3"], s.visits[1]!.team = ["I-0001", "I-0002"], s.unscheduled.push({ task: "T-4", reason: "x" }))],
  ["min-per-department", (s) => (s.visits[0]!.team = ["I-0001", "I-0002"])],
  ["min-team", (s) => (s.visits[0]!.team = ["I-0001"], s.visits[0]!.tasks = ["T-1"], s.unscheduled.push({ task: "T-2", reason: "x" }))],
  ["min-solo-department", (s) => (s.visits[1]!.tasks = ["T-3"], s.visits[1]!.team = ["I-0002", "I-0101"], s.unscheduled.push({ task: "T-4", reason: "x" }))],
  ["qualification", (s) => (s.visits[0]!.team = ["I-0002", "I-0101"])],
  ["pinned-team", (s) => (s.visits[1]!.team = ["I-0001", "I-0101"])],
  ["daily-capacity", (s) => s.visits.push({ entity: E1, day: "2027-03-02", tasks: [], team: ["I-0001"] })],
  ["total-capacity", (s) => (s.visits[1]!.team = ["I-0001", "I-0002", "I-0101"], s.visits.push({ entity: E2, day: "2027-03-03", tasks: [], team: ["I-0001"] }))],
];

describe("constraint rules", () => {
  it("accepts a feasible schedule", () => {
    const r = checkSchedule(base, good());
    expect(r.violations).toEqual([]);
    expect(r.feasible).toBe(true);
    expect(r.metrics).toMatchObject({ tasks: 4, visits: 2, jointVisits: 2, lowerBound: 2, unscheduled: 0, maxInspectorLoad: 2 });
  });

  it("names every rule once", () => {
    expect(new Set(constraintRules.map((r) => r.name)).size).toBe(constraintRules.length);
    expect(breaks.map(([n]) => n).sort()).toEqual(constraintRules.map((r) => r.name).sort());
  });

  for (const [rule, mutate] of breaks)
    it(`${rule}: detects its violation`, () => {
      const s = good();
      mutate(s);
      const r = checkSchedule(base, s);
      expect(r.feasible).toBe(false);
      expect(r.violations.map((v) => v.rule)).toContain(rule);
      // The rule's own check reports it in isolation too.
      const own = constraintRules.find((x) => x.name === rule)!;
      expect(r.violations.filter((v) => v.rule === rule).length).toBeGreaterThan(0);
      expect(own.description.length).toBeGreaterThan(0);
    });

  it("reports a missing task and an unknown task", () => {
    const s = good();
    s.visits[1]!.tasks = ["T-3", "T-99"];
    const r = checkSchedule(base, s);
    const msgs = r.violations.filter((v) => v.rule === "task-coverage").map((v) => v.message);
    expect(msgs.some((m) => m.includes("T-4") && m.includes("missing"))).toBe(true);
    expect(msgs.some((m) => m.includes("T-99"))).toBe(true);
  });
});
