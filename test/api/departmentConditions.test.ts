/**
 * Each department's own 定向 conditions in a directed batch (directed draw: only within conditions
 * of type, size, industry, area): accepted as typed, refused with the field named when they make no
 * sense, returned with the batch, and frozen into that department's published scope so the draw
 * stays verifiable (docs/draw-spec.md §3.2) — the public inputs hold the conditions, never classes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditCode, fixtureOn, pgProblem, PG_URL, REQUIRE_PG, seedBatch, type Fixture } from "./helpers.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);


describe.each(["sqlite", "postgresql"] as const)("per-department 定向 conditions (%s)", (provider) => {
  if (provider === "postgresql" && problem) return void it.skip(`PostgreSQL at ${PG_URL} unreachable: ${problem}`, () => {});
  let fx: Fixture;
  let planId: number;
  let items: Record<number, number[]>;
  beforeAll(async () => {
    fx = await fixtureOn(provider);
    // 8 entities of seedBatch: 460105, H6210, enterprise, small. Then 6 more: 460106, F5211, individual, micro.
    ({ planId, items } = await seedBatch(fx, { entities: 8, count: 1 }));
    for (let i = 8; i < 14; i++)
      await fx.store.prisma.entity.create({ data: { code: creditCode(i), codeKind: "uscc", name: `测试便利店${i}`, districtCode: "460106", industryCode: "F5211", kind: "individual", riskClass: "B", size: "micro" } });
  });
  afterAll(async () => fx?.close());

  const dept = (id: number, role: "lead" | "partner", conditions?: object) => ({
    departmentId: id,
    role,
    itemIds: items[id],
    samplingRules: [{ riskClass: "B", count: 1 }],
    ...(conditions ? { conditions } : {}),
  });
  const batch = (over: Record<string, unknown>) => ({
    code: `DC-${Math.random().toString(36).slice(2, 8)}`,
    name: "定向联合抽查",
    directed: true,
    conditions: {},
    windowStart: "2026-04-01",
    windowEnd: "2026-05-29",
    departments: [dept(fx.dept.a, "lead", { districts: ["460105"] }), dept(fx.dept.b, "partner", { kinds: ["individual"], industries: ["F52"] })],
    ...over,
  });
  const post = (payload: object) => fx.as("officerA", { method: "POST", url: `/plans/${planId}/batches`, payload });

  it("a directed batch takes each department's own conditions and returns them", async () => {
    const res = await post(batch({}));
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b.departments.map((d: { conditions: unknown }) => d.conditions)).toEqual([{ districts: ["460105"] }, { kinds: ["individual"], industries: ["F52"] }]);
    const got = (await fx.as("officerB", { method: "GET", url: `/batches/${b.id}` })).json();
    expect(got.departments[1].conditions).toEqual({ kinds: ["individual"], industries: ["F52"] });
    // Edited: the partner falls back to the batch's conditions (null), the lead keeps its own.
    const put = await fx.as("officerA", { method: "PUT", url: `/batches/${b.id}`, payload: batch({ code: b.code, conditions: { sizes: ["micro"] }, departments: [dept(fx.dept.a, "lead", { districts: ["460105"] }), dept(fx.dept.b, "partner", {})] }) });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().departments.map((d: { conditions: unknown }) => d.conditions)).toEqual([{ districts: ["460105"] }, null]);
  });

  it("conditions that make no sense are refused with the field named", async () => {
    const refusals: [object, number, string | RegExp][] = [
      [batch({ directed: false }), 422, "departments.0.conditions"],
      [batch({ departments: [dept(fx.dept.a, "lead", { districts: ["460105"] }), dept(fx.dept.b, "partner")] }), 422, "departments.1.conditions"],
      [batch({ departments: [dept(fx.dept.a, "lead"), dept(fx.dept.b, "partner")] }), 422, "conditions"],
      [batch({ departments: [dept(fx.dept.a, "lead", { industries: ["h62"] })] }), 400, /industries/],
      [batch({ departments: [dept(fx.dept.a, "lead", { districts: ["4601050"] })] }), 400, /districts/],
      [batch({ departments: [dept(fx.dept.a, "lead", { kinds: ["company"] })] }), 400, /kinds/],
      [batch({ departments: [dept(fx.dept.a, "lead", { sizes: ["small", "small"] })] }), 400, /sizes/],
      [batch({ departments: [dept(fx.dept.a, "lead", { riskClasses: ["D"] })] }), 400, /conditions/],
    ];
    for (const [payload, status, field] of refusals) {
      const res = await post(payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
      if (typeof field === "string") expect(res.json().field).toBe(field);
      else expect(JSON.stringify(res.json())).toMatch(field);
    }
  });

  it("the draw freezes each department's conditions and scope into the published inputs; the scopes hold only matching entities", async () => {
    const res = await post(batch({ code: `DC-DRAW-${Math.random().toString(36).slice(2, 6)}` }));
    expect(res.statusCode, res.body).toBe(201);
    expect((await fx.as("officerA", { method: "POST", url: `/plans/${planId}/status`, payload: { status: "approved" } })).statusCode).toBe(200);
    const d = await fx.as("officerA", { method: "POST", url: `/batches/${res.json().id}/draws`, payload: { seed: { mode: "commitReveal" } } });
    expect(d.statusCode, d.body).toBe(201);
    const row = await fx.store.prisma.draw.findUniqueOrThrow({ where: { id: d.json().id } });
    const pub = JSON.parse(row.publicInputs!) as { pool: { codes: string[] }; departments: { id: string; scope: { kind: string; conditions?: object; codes?: string[] } }[] };
    const codes = async (id: number) => (await fx.store.prisma.department.findUniqueOrThrow({ where: { id } })).code;
    const byId = new Map(pub.departments.map((x) => [x.id, x.scope]));
    const sa = byId.get(await codes(fx.dept.a))!;
    const sb = byId.get(await codes(fx.dept.b))!;
    expect(sa).toEqual({ kind: "directed", conditions: { districts: ["460105"] }, codes: Array.from({ length: 8 }, (_, i) => creditCode(i)).sort() });
    expect(sb).toEqual({ kind: "directed", conditions: { industries: ["F52"], kinds: ["individual"] }, codes: Array.from({ length: 6 }, (_, i) => creditCode(8 + i)).sort() });
    expect(pub.pool.codes).toHaveLength(14);
    expect(row.publicInputs).not.toMatch(/riskClass|"strata"/);
  });
});
