/**
 * 同一企业年度检查频次上限 with exemptions (国办发〔2024〕54号), end to end through the API: the
 * administrator sets a department's cap and its reasoned exemptions; a directed check of a kind
 * that is not exempt is refused at the cap while exempt kinds are neither counted nor refused;
 * the checks of the department's superiors and subordinates count toward the cross-level cap;
 * the draw lists every entity at its cap as that department's exclusion with the rule and reason
 * in the published inputs (no entity disappears silently) while another department may still draw it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditCode, fixtureOn, pgProblem, PG_URL, REQUIRE_PG, seedBatch, type Fixture } from "./helpers.ts";

const problem = await pgProblem();
if (problem && REQUIRE_PG) throw new Error(`SSJ_REQUIRE_PG=1 but PostgreSQL at ${PG_URL} is unreachable: ${problem}`);


describe.each(["sqlite", "postgresql"] as const)("yearly frequency caps with exemptions (%s)", (provider) => {
  if (provider === "postgresql" && problem) return void it.skip(`PostgreSQL at ${PG_URL} unreachable: ${problem}`, () => {});
  let fx: Fixture;
  let batchId: number;
  let items: Record<number, number[]>;
  let childId: number;
  const cap = {
    maxPerYear: 2,
    maxPerYearAllLevels: 3,
    exemptions: [{ kind: "complaint", reason: "投诉举报引发的检查依法必须处理，不计入频次" }],
  };
  const url = () => `/departments/${fx.dept.a}/frequency-cap`;

  beforeAll(async () => {
    fx = await fixtureOn(provider);
    ({ batchId, items } = await seedBatch(fx, { entities: 12, count: 1 }));
    const a = await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } });
    // A district bureau under department A: its checks count toward A's cross-level cap.
    childId = (await fx.store.prisma.department.create({ data: { code: `${a.code}-QX`, name: "测试市某区市场监督管理局", level: "district", districtCode: "460105", parentId: a.id } })).id;
  });
  afterAll(async () => fx?.close());

  const directed = (code: string, directedKind: string, windowStart = "2026-08-03") =>
    fx.as("officerA", { method: "POST", url: "/tasks", payload: { entityCode: code, itemIds: items[fx.dept.a]!.slice(0, 1), directedKind, reason: "内部事由 #1", windowStart, windowEnd: windowStart.replace(/-\d\d$/, "-28") } });

  it("is configuration: none at first; the administrator sets it; every role reads it; only the administrator writes", async () => {
    expect((await fx.as("auditor", { method: "GET", url: url() })).json()).toMatchObject({ configured: false, maxPerYearAllLevels: null, exemptions: [] });
    expect((await fx.as("officerA", { method: "PUT", url: url(), payload: cap })).statusCode).toBe(403);
    const set = await fx.as("admin", { method: "PUT", url: url(), payload: cap });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ departmentId: fx.dept.a, level: "city", configured: true, ...cap });
    for (const who of ["officerA", "officerB", "auditor"] as const) expect((await fx.as(who, { method: "GET", url: url() })).json()).toMatchObject(cap);
    const all = (await fx.as("officerB", { method: "GET", url: "/frequency-caps" })).json() as { departmentId: number; configured: boolean }[];
    expect(all.find((c) => c.departmentId === fx.dept.a)?.configured).toBe(true);
    expect(all.find((c) => c.departmentId === fx.dept.b)?.configured).toBe(false);
    const audit = await fx.store.prisma.auditLog.findFirst({ where: { action: "frequencyCap.set" }, orderBy: { seq: "desc" } });
    expect(audit?.subject).toBe(`department:${fx.dept.a}`);
  });

  it("bad caps are refused with the field and the rule in Chinese, never a 5xx, and nothing changes", async () => {
    const bad: [unknown, number, string][] = [
      [{ ...cap, maxPerYear: 0 }, 422, "maxPerYear"],
      [{ ...cap, maxPerYear: 101 }, 422, "maxPerYear"],
      [{ ...cap, maxPerYearAllLevels: 1 }, 422, "maxPerYearAllLevels"],
      [{ ...cap, exemptions: [{ kind: "random", reason: "想少查一点" }] }, 422, "exemptions.0.kind"],
      [{ ...cap, exemptions: [{ kind: "hotline", reason: "热线" }] }, 422, "exemptions.0.kind"],
      [{ ...cap, exemptions: [...cap.exemptions, { kind: "complaint", reason: "重复一次" }] }, 422, "exemptions.1.kind"],
      [{ ...cap, exemptions: [{ kind: "referral", reason: " " }] }, 422, "exemptions.0.reason"],
      [{ ...cap, exemptions: [{ kind: "referral" }] }, 400, ""],
      [{ ...cap, maxPerYear: "2" }, 400, ""],
      [{ ...cap, extra: 1 }, 400, ""],
      [[], 400, ""],
    ];
    for (const [payload, status, field] of bad) {
      const res = await fx.as("admin", { method: "PUT", url: url(), payload: payload as object });
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(status);
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
      if (status === 422) expect(res.json()).toMatchObject({ code: "INVALID_FREQUENCY_CAP", field });
    }
    expect((await fx.as("admin", { method: "PUT", url: "/departments/999999/frequency-cap", payload: cap })).statusCode).toBe(404);
    expect((await fx.as("admin", { method: "GET", url: url() })).json()).toMatchObject(cap);
  });

  it("a directed check of a kind that is not exempt is refused at the cap; exempt kinds are neither counted nor refused", async () => {
    const x = creditCode(0);
    for (let i = 0; i < 3; i++) expect((await directed(x, "complaint")).statusCode).toBe(201);
    expect((await directed(x, "dataAlert")).statusCode).toBe(201);
    expect((await directed(x, "dataAlert")).statusCode).toBe(201);
    const third = await directed(x, "dataAlert");
    expect(third.statusCode, third.body).toBe(409);
    expect(third.json()).toMatchObject({ code: "FREQUENCY_CAP_REACHED", field: "body.directedKind" });
    expect(third.json().message).toContain("数据监测不在本部门的豁免之列");
    expect(third.json().message).toContain("投诉举报");
    expect((await directed(x, "referral")).statusCode).toBe(409);
    expect((await directed(x, "complaint")).statusCode).toBe(201);
    // Another year, and another department without a cap, are not affected.
    expect((await directed(x, "dataAlert", "2027-03-01")).statusCode).toBe(201);
    const other = await fx.as("officerB", { method: "POST", url: "/tasks", payload: { entityCode: x, itemIds: items[fx.dept.b]!.slice(0, 1), directedKind: "dataAlert", reason: "内部", windowStart: "2026-08-03", windowEnd: "2026-08-28" } });
    expect(other.statusCode, other.body).toBe(201);
    // A cancelled check does not count.
    const y = creditCode(3);
    const t1 = (await directed(y, "dataAlert")).json();
    expect((await directed(y, "dataAlert")).statusCode).toBe(201);
    await fx.store.prisma.task.update({ where: { id: t1.id }, data: { status: "cancelled" } });
    expect((await directed(y, "dataAlert")).statusCode).toBe(201);
  });

  it("the checks of the department's subordinates count toward the cross-level cap, not the same-level one", async () => {
    const code = creditCode(1);
    const e = await fx.store.prisma.entity.findUniqueOrThrow({ where: { code } });
    for (let i = 0; i < 2; i++)
      await fx.store.prisma.task.create({ data: { taskNo: `QX-${i}-${Math.random().toString(36).slice(2, 7)}`, entityId: e.id, departmentId: childId, kind: "directed", directedKind: "dataAlert", directedReason: "区级", windowStart: "2026-05-06", windowEnd: "2026-05-29" } });
    expect((await directed(code, "dataAlert")).statusCode).toBe(201); // A: 1 at its level, 3 across levels
    const refused = await directed(code, "dataAlert");
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain("跨层级 3 次");
  });

  it("the draw lists each entity at its cap as the department's exclusion, with rule and reason, in the published inputs", async () => {
    const res = await fx.as("officerA", { method: "POST", url: `/batches/${batchId}/draws`, payload: { seed: { mode: "commitReveal" } } });
    expect(res.statusCode, res.body).toBe(201);
    const row = await fx.store.prisma.draw.findUniqueOrThrow({ where: { id: res.json().id } });
    const pub = JSON.parse(row.publicInputs!) as { pool: { codes: string[] }; departments: { id: string; excluded: { code: string; rule: string; reason: string }[] }[] };
    const codeA = (await fx.store.prisma.department.findUniqueOrThrow({ where: { id: fx.dept.a } })).code;
    const a = pub.departments.find((d) => d.id === codeA)!;
    const b = pub.departments.find((d) => d.id !== codeA)!;
    // Entities 0 (two counted checks), 1 (three across levels) and 3 (two counted, one cancelled) are at A's cap.
    expect(a.excluded.map((x) => x.code).sort()).toEqual([creditCode(0), creditCode(1), creditCode(3)].sort());
    for (const x of a.excluded) expect(x).toMatchObject({ rule: "frequencyCap", reason: expect.stringMatching(/达到(跨层级)?年度频次上限 [23] 次$/) });
    // Entity 2 (no checks) stays a candidate of A; B has no cap and keeps every entity.
    expect(b.excluded).toEqual([]);
    expect(pub.pool.codes).toContain(creditCode(0));
    expect(res.json().summary.pool).toBe(12);
    // and the draw says so: per department, how many it excludes and how many for the cap
    expect(res.json().summary.departments).toEqual(expect.arrayContaining([{ department: codeA, name: "测试市市场监督管理局", excluded: 3, frequencyCap: 3 }, expect.objectContaining({ excluded: 0, frequencyCap: 0 })]));
    expect((await fx.as("auditor", { method: "GET", url: `/draws/${res.json().id}` })).json().summary.departments).toHaveLength(2);
    expect(row.publicInputs).not.toMatch(/riskClass|内部事由/);
  });

  it("removing the cap lets the refused check through", async () => {
    expect((await fx.as("officerA", { method: "DELETE", url: url() })).statusCode).toBe(403);
    expect((await fx.as("admin", { method: "DELETE", url: url() })).statusCode).toBe(204);
    expect((await fx.as("admin", { method: "GET", url: url() })).json().configured).toBe(false);
    expect((await directed(creditCode(0), "dataAlert")).statusCode).toBe(201);
  });
});
