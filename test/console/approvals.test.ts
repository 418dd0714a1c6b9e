/**
 * 审管联动 in the console (api/console/pages/approvals.ts), as the people who use it: the approval
 * bureau pushes a decision through the API; the receiving department's officer sees it waiting on
 * the console page and signs for it there (签收, CSRF-checked form), within its deadline; another
 * department's officer sees nothing of it and cannot sign for it; the statistics page shows the departments' figures as the API gives them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/store/repos/users.ts";
import { seedBatch } from "../api/helpers.ts";
import { consoleFixture, type ConsoleFixture } from "./helpers.ts";

describe("console: 审管联动", () => {
  let fx: ConsoleFixture;
  let bureauToken = "";
  let pushId = 0;
  const decisionNo = `控制台-签收-${Math.random().toString(36).slice(2, 7)}`;

  beforeAll(async () => {
    fx = await consoleFixture();
    const p = fx.store.prisma;
    const { items } = await seedBatch(fx, { entities: 4, count: 1 });
    const bureau = await p.department.create({ data: { code: "T-XZSP-CONSOLE", name: "测试市行政审批服务局", level: "city", kind: "approval", districtCode: "460100" } });
    bureauToken = (await createUser(fx.store, { name: "审批员", role: "officer", department: bureau.id }, "test")).token;
    const auth = { authorization: `Bearer ${bureauToken}` };
    const list = await fx.app.inject({ method: "POST", url: "/duty-lists", headers: auth, payload: { reason: "首次发布", entries: [{ approvalCode: "SP-001", approvalName: "食品经营许可", supervisionName: "食品经营监督检查", departmentId: fx.dept.a, itemId: items[fx.dept.a]![0] }] } });
    expect(list.statusCode, list.body).toBe(201);
    const entity = await p.entity.findFirstOrThrow({ orderBy: { id: "asc" } });
    const d = await fx.app.inject({ method: "POST", url: "/approval-decisions", headers: auth, payload: { decisions: [{ decisionNo, entityCode: entity.code, approvalCode: "SP-001", kind: "general", decision: "grant", decidedOn: "2026-02-02" }] } });
    expect(d.statusCode, d.body).toBe(201);
    const pushes = (await fx.as("officerA", { method: "GET", url: "/pushes?pending=true" })).json();
    const mine = pushes.items.find((x: { decision: { decisionNo: string } }) => x.decision.decisionNo === decisionNo);
    expect(mine).toBeDefined();
    pushId = mine.id;
  });
  afterAll(async () => fx?.close());

  const page = async (who: "officerA" | "officerB" | "auditor" | "admin", url: string) => {
    const s = await fx.session(who);
    return fx.app.inject({ method: "GET", url, headers: { cookie: s.cookie } });
  };

  it("the receiving officer sees the push waiting, with a 签收 button; another department's officer does not", async () => {
    const a = await page("officerA", "/console/approvals");
    expect(a.statusCode).toBe(200);
    expect(a.body).toContain(decisionNo);
    expect(a.body).toContain(`/console/approvals/pushes/${pushId}/acknowledge`);
    expect(a.body).toContain("食品经营许可");
    const b = await page("officerB", "/console/approvals");
    expect(b.statusCode).toBe(200);
    expect(b.body).not.toContain(decisionNo);
    // the auditor sees every department's pushes, but has no button to sign for them
    const au = await page("auditor", "/console/approvals");
    expect(au.body).toContain(decisionNo);
    expect(au.body).not.toContain(`/console/approvals/pushes/${pushId}/acknowledge`);
  });

  it("another department's officer cannot sign for it; a missing CSRF token is refused", async () => {
    const b = await fx.session("officerB");
    const res = await fx.app.inject({ method: "POST", url: `/console/approvals/pushes/${pushId}/acknowledge`, headers: { cookie: b.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: `_csrf=${encodeURIComponent(b.csrf)}` });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("未能保存");
    const a = await fx.session("officerA");
    const noToken = await fx.app.inject({ method: "POST", url: `/console/approvals/pushes/${pushId}/acknowledge`, headers: { cookie: a.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: "" });
    expect(noToken.statusCode).toBe(403);
    const still = (await fx.as("officerA", { method: "GET", url: "/pushes?pending=true" })).json();
    expect(still.items.some((x: { id: number }) => x.id === pushId)).toBe(true);
  });

  it("signing on the page acknowledges the push, on time; it leaves the waiting list and is not among the overdue steps", async () => {
    const a = await fx.session("officerA");
    const res = await fx.app.inject({ method: "POST", url: `/console/approvals/pushes/${pushId}/acknowledge`, headers: { cookie: a.cookie, "content-type": "application/x-www-form-urlencoded" }, payload: `_csrf=${encodeURIComponent(a.csrf)}` });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toMatch(/^\/console\/approvals/);
    const pending = (await fx.as("officerA", { method: "GET", url: "/pushes?pending=true" })).json();
    expect(pending.items.some((x: { id: number }) => x.id === pushId)).toBe(false);
    const after = await fx.app.inject({ method: "GET", url: "/console/approvals", headers: { cookie: a.cookie } });
    expect(after.body).not.toContain(`/console/approvals/pushes/${pushId}/acknowledge`);
    const overdue = (await fx.as("officerA", { method: "GET", url: "/approvals/overdue" })).json();
    expect(overdue.items.some((i: { decisionNo: string | null }) => i.decisionNo === decisionNo)).toBe(false);
    expect(after.body).not.toContain(decisionNo);
  });

  it("the statistics page shows each department's figures as the API gives them", async () => {
    const api = (await fx.as("auditor", { method: "GET", url: "/approvals/stats?year=2026" })).json();
    const row = api.departments.find((d: { departmentId: number }) => d.departmentId === fx.dept.a);
    expect(row.pushes).toMatchObject({ total: 1, onTime: 1, late: 0, overdue: 0 });
    const res = await page("auditor", "/console/approvals/stats?year=2026");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("审管联动统计（2026 年）");
    expect(res.body).toContain(row.department.name);
    expect(res.body).toContain("1（按时 1，逾期办结 0，逾期未办 0，未到期 0）");
    expect(res.body).toContain("100%"); // 按时签收率
  });

  it("the statistics page links its XLSX and CSV export; the file holds the page's figures", async () => {
    const res = await page("officerB", "/console/approvals/stats?year=2026");
    expect(res.body).toContain('href="/console/approvals/stats/2026.xlsx"');
    expect(res.body).toContain('href="/console/approvals/stats/2026.csv"');
    const xlsx = await page("officerB", "/console/approvals/stats/2026.xlsx");
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    const csv = await page("auditor", "/console/approvals/stats/2026.csv");
    expect(csv.statusCode).toBe(200);
    const api = (await fx.as("auditor", { method: "GET", url: "/approvals/stats?year=2026" })).json();
    const row = api.departments.find((d: { departmentId: number }) => d.departmentId === fx.dept.a);
    const line = csv.body.split("\r\n").find((l) => l.includes(`,${row.department.name},`))!;
    expect(line.split(",").slice(0, 7)).toEqual(["2026", "市级", row.department.code, row.department.name, "监管部门", String(row.pushes.total), String(row.pushes.onTime)]);
    expect((await page("auditor", "/console/approvals/stats/2026.pdf")).statusCode).toBe(404);
  });
});
