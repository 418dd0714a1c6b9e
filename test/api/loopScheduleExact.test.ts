/**
 * The 审管联动 loop's schedule (POST /approvals/schedule → scheduleLoopTasks) runs the exact step,
 * as the batch schedule does: on a capacity-tight instance (one visit per officer and day, officers
 * on leave) where the decomposition alone leaves a directed task unscheduled that a joint visit on
 * another day can take, the loop places it. The test rebuilds the store's optimizer instance
 * (its digest must equal the recorded run's) and compares with both solvers.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/draws/canonicalJson.ts";
import { mergeInstance, type MergeInput } from "../../src/approvals/merge.ts";
import { builtInCalendar, workingDaysInRange } from "../../src/calendar/index.ts";
import { setConfig } from "../../src/store/repos/directories.ts";
import { optimize } from "../../solver/index.ts";
import { optimizeExact } from "../../solver/highs.ts";
import { creditCode, fixture, type Fixture } from "./helpers.ts";

const FROM = "2026-04-01";
const TO = "2026-04-08";
// Two departments S, W; 2 officers each, on leave on some days (a shrunk random instance the
// decomposition alone gets wrong by one task).
const OFFICERS = [
  { cert: "LX-S-1", dept: "S", unavailable: ["2026-04-02", "2026-04-03"] },
  { cert: "LX-S-2", dept: "S", unavailable: ["2026-04-01", "2026-04-02", "2026-04-03", "2026-04-07"] },
  { cert: "LX-W-1", dept: "W", unavailable: ["2026-04-01", "2026-04-08"] },
  { cert: "LX-W-2", dept: "W", unavailable: ["2026-04-07", "2026-04-08"] },
];
const TASKS = [
  { entity: 0, dept: "W", from: "2026-04-08", to: "2026-04-08" },
  { entity: 2, dept: "S", from: "2026-04-07", to: "2026-04-08" },
  { entity: 3, dept: "W", from: "2026-04-02", to: "2026-04-03" },
  { entity: 3, dept: "W", from: "2026-04-08", to: "2026-04-08" },
  { entity: 1, dept: "W", from: "2026-04-07", to: "2026-04-07" },
  { entity: 2, dept: "S", from: "2026-04-07", to: "2026-04-08" },
  { entity: 2, dept: "S", from: "2026-04-03", to: "2026-04-07" },
];

describe("审管联动 loop schedule: the exact step", () => {
  let fx: Fixture;
  let m: MergeInput;
  beforeAll(async () => {
    fx = await fixture();
    const p = fx.store.prisma;
    const deptId = { S: fx.dept.a, W: fx.dept.b } as Record<string, number>;
    const deptCode = new Map((await p.department.findMany()).map((d) => [d.id, d.code]));
    await setConfig(fx.store, "optimizer", { dailyCapacity: 1 }, "test");
    const entities: { id: number; code: string }[] = [];
    for (let k = 0; k < 4; k++) entities.push(await p.entity.create({ data: { code: creditCode(900 + k), codeKind: "uscc", name: `联动测试企业${k}`, districtCode: "460100", kind: "enterprise" } }));
    for (const o of OFFICERS)
      await p.inspector.create({ data: { departmentId: deptId[o.dept]!, name: `执法员${o.cert}`, certificateNo: o.cert, qualifications: [], specialities: [], districts: ["460100"], unavailable: o.unavailable } });
    const tasks: { id: number; entityId: number; departmentId: number; windowStart: string; windowEnd: string }[] = [];
    for (const [i, t] of TASKS.entries())
      tasks.push(await p.task.create({ data: { taskNo: `LX-${i}`, entityId: entities[t.entity]!.id, departmentId: deptId[t.dept]!, kind: "directed", directedKind: "commitment", directedReason: "告知承诺核查（测试）", windowStart: t.from, windowEnd: t.to } }));
    m = {
      days: workingDaysInRange(builtInCalendar(), FROM, TO),
      tasks: tasks.map((t) => ({ taskId: t.id, entityCode: entities.find((e) => e.id === t.entityId)!.code, district: "460100", departmentCode: deptCode.get(t.departmentId)!, windowStart: t.windowStart, windowEnd: t.windowEnd, itemIds: [] })),
      visits: [],
      inspectors: OFFICERS.map((o) => ({ certificateNo: o.cert, departmentCode: deptCode.get(deptId[o.dept]!)!, districts: ["460100"], qualifications: [], unavailable: o.unavailable })),
      recusals: [],
      dailyCapacity: 1,
      busy: new Map(),
    };
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
  });

  it("places the task the decomposition alone leaves, as the exact optimum does; the run is the store's instance", async () => {
    const instance = mergeInstance(m);
    const alone = optimize(instance).unscheduled.length;
    const exact = (await optimizeExact(instance)).schedule.unscheduled.length;
    expect(exact).toBeLessThan(alone);
    const res = await fx.as("admin", { method: "POST", url: "/approvals/schedule", payload: { from: FROM, to: TO } });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as { runId: number; tasks: number; unscheduled: unknown[] };
    expect(out.tasks).toBe(TASKS.length);
    const run = await fx.store.prisma.optimizationRun.findUniqueOrThrow({ where: { id: out.runId } });
    expect(run.instanceDigest).toBe(createHash("sha256").update(canonicalJson(instance)).digest("hex"));
    expect(run.solverVersion).toBe("ssj-solver/3");
    expect(out.unscheduled.length).toBe(exact);
    const scheduled = await fx.store.prisma.task.count({ where: { taskNo: { startsWith: "LX-" }, status: "scheduled" } });
    expect(scheduled).toBe(TASKS.length - exact);
  }, 120_000);
});
