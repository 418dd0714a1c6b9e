import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSchedule, optimize, type Schedule } from "../../solver/index.ts";
import { instanceFor } from "../../src/store/repos/schedules.ts";
import { fixture, seedBatch, type Fixture } from "./helpers.ts";

describe("joint-check optimization", () => {
  let fx: Fixture;
  let batchId: number;
  beforeAll(async () => {
    fx = await fixture();
    ({ batchId } = await seedBatch(fx, { entities: 40, count: 3 }));
  });
  afterAll(async () => fx.close());

  it("refuses a batch that has not been drawn", async () => {
    const res = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe("NOT_DRAWN");
  });

  it("merges the drawn tasks into joint visits with valid teams; replayable from the stored instance", async () => {
    const commit = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "external", source: "测试信标", reference: "round 1" } } });
    const drawId = commit.json().id;
    await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/external-value`, payload: { value: "42", publishedAt: new Date(Date.now() + 60_000).toISOString() } });
    const run = await fx.as("officerA", { method: "POST", url: `/draws/${drawId}/run` });
    expect(run.statusCode, run.body).toBe(201);

    expect((await fx.as("officerB", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} })).statusCode).toBe(403);
    const res = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    const tasks = await fx.store.prisma.task.count({ where: { drawId } });
    const scheduled = s.visits.reduce((n: number, v: { tasks: unknown[] }) => n + v.tasks.length, 0);
    expect(scheduled + s.unscheduled.length).toBe(tasks);
    expect(scheduled).toBeGreaterThan(0);
    // a visit never splits one entity's tasks needlessly: fewer visits than tasks when departments overlap
    expect(s.visits.length).toBeLessThanOrEqual(scheduled);
    for (const v of s.visits) {
      expect(v.team.length).toBeGreaterThanOrEqual(2);
      const depts = new Set(v.tasks.map((t: { departmentId: number }) => t.departmentId));
      for (const d of depts) expect(v.team.some((m: { departmentId: number }) => m.departmentId === d)).toBe(true);
    }
    // the stored schedule is what the pure optimizer gives for the stored instance, and it checks
    const { instance } = await instanceFor(fx.store.prisma, fx.store, batchId);
    const runRow = await fx.store.prisma.optimizationRun.findUniqueOrThrow({ where: { id: s.run.id } });
    expect(runRow.seed).toBe(instance.seed);
    const replay = optimize({ ...instance, tasks: instance.tasks });
    expect(JSON.parse(runRow.schedule) as Schedule).toEqual(replay);
    expect(checkSchedule(instance, replay).feasible).toBe(true);

    const again = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/optimize`, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("ALREADY_SCHEDULED");
    const replaced = await fx.as("admin", { method: "POST", url: `/batches/${batchId}/optimize`, payload: { replace: true } });
    expect(replaced.statusCode, replaced.body).toBe(201);
    expect(replaced.json().visits.length).toBe(s.visits.length);

    const view = await fx.as("officerB", { method: "GET", url: `/batches/${batchId}/schedule` });
    expect(view.statusCode).toBe(200);
    expect(view.json().run.id).toBe(replaced.json().run.id);
  });
});
