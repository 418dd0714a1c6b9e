import { creditCodeCheckChar } from "../../src/directories/creditCode.ts";
import type { Inspector, Instance, Task } from "../../solver/model.ts";

/** A valid synthetic credit code for district `district`, numbered n. */
export function code(district: string, n: number): string {
  const first17 = `91${district}${String(n).padStart(9, "0")}`;
  return first17 + creditCodeCheckChar(first17);
}

export const DAYS = ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05"];
export const E1 = code("610103", 1);
export const E2 = code("610103", 2);
export const E3 = code("610113", 3);

export function inspector(id: string, department: string, over: Partial<Inspector> = {}): Inspector {
  return { id, department, districts: ["610103", "610113"], qualifications: [], dailyCapacity: 3, totalCapacity: 40, unavailable: [], ...over };
}

export function task(id: string, entity: string, department: string, from: string, to: string, over: Partial<Task> = {}): Task {
  return { id, entity, department, items: ["I01"], requires: [], window: { from, to }, kind: "random", ...over };
}

export function instance(over: Partial<Instance> = {}): Instance {
  return {
    horizon: { days: DAYS },
    entities: [
      { id: E1, district: "610103" },
      { id: E2, district: "610103" },
      { id: E3, district: "610113" },
    ],
    inspectors: [
      inspector("I-0001", "D01", { qualifications: ["food"] }),
      inspector("I-0002", "D01"),
      inspector("I-0003", "D01"),
      inspector("I-0101", "D02"),
      inspector("I-0102", "D02"),
      inspector("I-0103", "D02"),
    ],
    tasks: [],
    recusals: [],
    rules: { minTeam: 2, minPerDepartment: 1, minSoloDepartment: 2, assignmentCap: 0.5 },
    seed: "5eed",
    ...over,
  };
}
