import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReadModel } from "../../src/store/readModel/index.ts";
import { creditCode, fixture, seedBatch, type Fixture } from "./helpers.ts";

describe("plans, batches, directed tasks", () => {
  let fx: Fixture;
  let planId: number;
  let items: Record<number, number[]>;
  beforeAll(async () => {
    fx = await fixture();
    ({ planId, items } = await seedBatch(fx, { entities: 8, count: 1 }));
  });
  afterAll(async () => fx.close());

  const batch = (over: Record<string, unknown> = {}) => ({
    code: `X-${Math.random().toString(36).slice(2, 8)}`,
    name: "批次",
    directed: false,
    conditions: {},
    windowStart: "2026-04-01",
    windowEnd: "2026-05-31",
    departments: [{ departmentId: fx.dept.a, role: "lead", itemIds: items[fx.dept.a], samplingRules: [{ riskClass: "A", ratioPerMille: 50 }] }],
    ...over,
  });

  it("a batch needs exactly one lead, the plan's own department, and the departments' own items", async () => {
    const twoLeads = await fx.as("officerA", {
      method: "POST",
      url: `/plans/${planId}/batches`,
      payload: batch({ departments: [...batch().departments, { departmentId: fx.dept.b, role: "lead", itemIds: items[fx.dept.b], samplingRules: [] }] }),
    });
    expect(twoLeads.statusCode).toBe(422);
    expect(twoLeads.json()).toMatchObject({ code: "INVALID_BATCH", field: "departments" });
    const foreign = await fx.as("officerA", {
      method: "POST",
      url: `/plans/${planId}/batches`,
      payload: batch({ departments: [{ departmentId: fx.dept.a, role: "lead", itemIds: items[fx.dept.b], samplingRules: [] }] }),
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json()).toMatchObject({ code: "FOREIGN_ITEM", field: "departments.0.itemIds" });
    const both = await fx.as("officerA", {
      method: "POST",
      url: `/plans/${planId}/batches`,
      payload: batch({ departments: [{ departmentId: fx.dept.a, role: "lead", itemIds: items[fx.dept.a], samplingRules: [{ riskClass: "A", ratioPerMille: 5, count: 3 }] }] }),
    });
    expect(both.statusCode).toBe(422);
    expect(both.json().field).toBe("departments.0.samplingRules.0");
    const window = await fx.as("officerA", { method: "POST", url: `/plans/${planId}/batches`, payload: batch({ windowEnd: "2026-03-01" }) });
    expect(window.json()).toMatchObject({ statusCode: 422, field: "windowEnd" });
    const ok = await fx.as("officerA", { method: "POST", url: `/plans/${planId}/batches`, payload: batch() });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().departments[0].samplingRules).toEqual([{ riskClass: "A", ratioPerMille: 50, count: null }]);
  });

  it("approving a plan publishes it to the public read model", async () => {
    const res = await fx.as("officerA", { method: "POST", url: `/plans/${planId}/status`, payload: { status: "approved" } });
    expect(res.statusCode, res.body).toBe(200);
    const rm = await openReadModel(fx.store);
    const doc = await rm.getPlan(String(planId));
    expect(doc).not.toBeNull();
    expect(JSON.parse(doc!)).toMatchObject({ year: 2026, leadDepartment: "测试市市场监督管理局" });
    expect(doc).toContain("测试市住房和城乡建设局");
  });

  it("directed tasks are recorded with their kind, their reason and a D- number", async () => {
    const code = creditCode(0);
    const body = { entityCode: code, itemIds: items[fx.dept.a]!.slice(0, 1), directedKind: "complaint", reason: "12345 热线 #2026-0815", windowStart: "2026-08-15", windowEnd: "2026-08-31" };
    const res = await fx.as("officerA", { method: "POST", url: "/tasks", payload: body });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: "directed", directedKind: "complaint", directedReason: "12345 热线 #2026-0815", departmentId: fx.dept.a });
    expect(res.json().taskNo).toMatch(/^D-/);
    const other = await fx.as("officerB", { method: "POST", url: "/tasks", payload: { ...body, departmentId: fx.dept.a, directedKind: "referral" } });
    expect(other.statusCode).toBe(403);
    const { reason: _r, ...noReason } = body;
    expect((await fx.as("officerA", { method: "POST", url: "/tasks", payload: noReason })).json()).toMatchObject({ statusCode: 400, field: "body.reason" });
    const { directedKind: _k, ...noKind } = body;
    expect((await fx.as("officerA", { method: "POST", url: "/tasks", payload: noKind })).json()).toMatchObject({ statusCode: 400, code: "VALIDATION_FAILED", field: "body.directedKind" });
    const badKind = await fx.as("officerA", { method: "POST", url: "/tasks", payload: { ...body, directedKind: "hotline" } });
    expect(badKind.json()).toMatchObject({ statusCode: 400, code: "VALIDATION_FAILED", field: "body.directedKind" });
    expect(badKind.json().details).toHaveLength(1);
    for (const directedKind of ["referral", "dataAlert"]) {
      const ok = await fx.as("officerA", { method: "POST", url: "/tasks", payload: { ...body, directedKind } });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().directedKind).toBe(directedKind);
    }
  });
});
