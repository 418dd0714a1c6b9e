import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addWorkingDays, builtInCalendar, coveredYears, publicationDeadline } from "../../src/calendar/index.ts";
import { openReadModel } from "../../src/store/readModel/index.ts";
import { recordResult, todayInChina } from "../../src/store/repos/results.ts";
import { creditCode, fixture, type Fixture } from "./helpers.ts";

describe("results and publication", () => {
  let fx: Fixture;
  const tasks: Record<string, number> = {};
  const today = todayInChina();
  const cal = builtInCalendar();

  beforeAll(async () => {
    fx = await fixture();
    const p = fx.store.prisma;
    let i = 500;
    for (const [name, dept] of [["a1", fx.dept.a], ["a2", fx.dept.a], ["a3", fx.dept.a], ["a4", fx.dept.a], ["b1", fx.dept.b]] as const) {
      const e = await p.entity.create({
        data: { code: creditCode(i++), codeKind: "uscc", name: `公示测试商行${name}`, districtCode: "460106", industryCode: "F5211", kind: "enterprise", riskClass: "C" },
      });
      const t = await p.task.create({
        data: { taskNo: `T-${name}-${Date.now()}`, entityId: e.id, departmentId: dept, kind: "directed", directedKind: "complaint", directedReason: "12345 热线工单", windowStart: "2026-01-05", windowEnd: "2026-12-31" },
      });
      tasks[name] = t.id;
    }
  });
  afterAll(async () => fx.close());

  it("validation names the field and the rule", async () => {
    const res = await fx.as("officerA", { method: "PUT", url: `/tasks/${tasks.a1}/result`, payload: { categories: ["no_problem", "problem_corrected"], checkDate: "2026-03-02" } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "VALIDATION_FAILED", field: "body.categories" });
    expect(res.json().details[0]).toMatchObject({ field: "body.categories", rule: "contradictory" });
    const future = await fx.as("officerA", { method: "PUT", url: `/tasks/${tasks.a1}/result`, payload: { categories: ["no_problem"], checkDate: "2099-01-04" } });
    expect(future.json()).toMatchObject({ field: "body.checkDate" });
    expect(future.json().details[0].rule).toBe("future");
    const shape = await fx.as("officerA", { method: "PUT", url: `/tasks/${tasks.a1}/result`, payload: { categories: ["no_problem"], checkDate: "2026/03/02" } });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().field).toBe("body.checkDate");
  });

  it("only an officer of the task's department records it", async () => {
    const payload = { categories: ["no_problem"], checkDate: "2026-03-02" };
    expect((await fx.as("officerB", { method: "PUT", url: `/tasks/${tasks.a1}/result`, payload })).statusCode).toBe(403);
    expect((await fx.as("admin", { method: "PUT", url: `/tasks/${tasks.a1}/result`, payload })).statusCode).toBe(403);
    expect((await fx.as("auditor", { method: "PUT", url: `/tasks/${tasks.a1}/result`, payload })).statusCode).toBe(403);
    expect((await fx.as("officerB", { method: "GET", url: `/tasks/${tasks.a1}` })).statusCode).toBe(403);
    expect((await fx.as("officerB", { method: "GET", url: `/tasks?department=${fx.dept.a}` })).statusCode).toBe(403);
  });

  it("record, publish with a 20-working-day deadline, and the public read model has it", async () => {
    const rec = await fx.as("officerA", {
      method: "PUT",
      url: `/tasks/${tasks.a1}/result`,
      payload: { categories: ["problem_pending.unreachable"], checkDate: "2026-03-02", note: "内部备注，不公开" },
    });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().result.categories).toEqual(["problem_pending", "problem_pending.unreachable"]);
    const pub = await fx.as("officerA", { method: "POST", url: `/tasks/${tasks.a1}/publish` });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().result.publication.deadline).toBe(publicationDeadline(cal, "2026-03-02"));
    const rm = await openReadModel(fx.store);
    const page = await rm.searchResults({ code: pub.json().entity.code, pageSize: 10 });
    expect(page.docs).toHaveLength(1);
    const doc = JSON.parse(page.docs[0]!);
    expect(doc).toMatchObject({ entityName: "公示测试商行a1", checkDate: "2026-03-02", results: ["发现问题待后续处理（通过登记的住所（经营场所）无法联系）"] });
    expect(page.docs[0]).not.toContain("内部备注");
    expect(page.docs[0]).not.toMatch(/riskClass|"C"/);
    const audit = await fx.store.prisma.auditLog.findMany({ where: { subject: `task:${tasks.a1}` }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["result.record", "result.publish"]);
  });

  it("a published result cannot be changed or published twice", async () => {
    const again = await fx.as("officerA", { method: "POST", url: `/tasks/${tasks.a1}/publish` });
    expect(again.statusCode).toBe(409);
    const change = await fx.as("officerA", { method: "PUT", url: `/tasks/${tasks.a1}/result`, payload: { categories: ["no_problem"], checkDate: "2026-03-02" } });
    expect(change.statusCode).toBe(409);
    expect(change.json().code).toBe("ALREADY_PUBLISHED");
    const none = await fx.as("officerA", { method: "POST", url: `/tasks/${tasks.a4}/publish` });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe("NO_RESULT");
  });

  it("overdue and soon-due lists for the department; other departments refused", async () => {
    const overdueCheck = addWorkingDays(cal, today, -25);
    const soonCheck = addWorkingDays(cal, today, -17);
    for (const [t, d] of [[tasks.a2, overdueCheck], [tasks.a3, soonCheck]] as const) {
      const r = await fx.as("officerA", { method: "PUT", url: `/tasks/${t}/result`, payload: { categories: ["no_problem"], checkDate: d } });
      expect(r.statusCode, r.body).toBe(200);
    }
    const res = await fx.as("officerA", { method: "GET", url: "/results/deadlines" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.overdue.map((x: { taskId: number }) => x.taskId)).toEqual([tasks.a2]);
    expect(body.overdue[0].workingDaysLeft).toBeLessThan(0);
    expect(body.dueSoon.map((x: { taskId: number }) => x.taskId)).toEqual([tasks.a3]);
    expect(body.dueSoon[0].workingDaysLeft).toBe(3);
    expect((await fx.as("officerB", { method: "GET", url: `/results/deadlines?department=${fx.dept.a}` })).statusCode).toBe(403);
    const b = await fx.as("officerB", { method: "GET", url: "/results/deadlines" });
    expect(b.json().overdue).toEqual([]);
  });

  it("a check whose deadline falls in a year without holiday data: listed as undetermined; publishing → 422", async () => {
    // Record through the repository with a later "today" (the API always uses the real date).
    const lateCheck = `${Math.max(...coveredYears(cal))}-12-28`;
    const officerB = await fx.store.prisma.user.findFirstOrThrow({ where: { name: "执法员乙" } });
    await recordResult(fx.store, tasks.b1!, { categories: ["no_problem"], checkDate: lateCheck }, officerB.id, "test", lateCheck);
    const list = await fx.as("officerB", { method: "GET", url: "/results/deadlines" });
    expect(list.json().undetermined).toHaveLength(1);
    expect(list.json().undetermined[0].year).toBeGreaterThan(Number(lateCheck.slice(0, 4)));
    const res = await fx.as("officerB", { method: "POST", url: `/tasks/${tasks.b1}/publish` });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe("HOLIDAY_DATA_MISSING");
    expect(res.json().message).toMatch(/holiday/);
  });
});
