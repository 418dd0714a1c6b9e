/**
 * The role matrix: for every route of the API (except the public read path, tested by its owner),
 * who may call it. The table below is the specification; the test checks that
 *   1. the app's routes and the table agree exactly (a new route must be added here), and
 *   2. for every protected route: no token → 401, each role not listed → 403, each listed role →
 *      neither 401 nor 403 (resources of the officer's own department are used).
 * Department scoping (officer on another department's data → 403) is tested at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, type Fixture } from "./helpers.ts";

type Who = "admin" | "officer" | "auditor";
const A: Who[] = ["admin", "officer", "auditor"];
const ADMIN: Who[] = ["admin"];
const AA: Who[] = ["admin", "auditor"];
const AO: Who[] = ["admin", "officer"];
const OFFICER: Who[] = ["officer"];

/** route → [access, sample URL (":dept" = officer A's department, ":plan"/":batch"/… = its resources)] */
const MATRIX: Record<string, ["public" | Who[], string]> = {
  "GET /": ["public", "/"],
  "GET /health": ["public", "/health"],
  "GET /ready": ["public", "/ready"],
  "GET /me": [A, "/me"],
  "GET /users": [ADMIN, "/users"],
  "POST /users": [ADMIN, "/users"],
  "POST /users/:id/revoke": [ADMIN, "/users/999999/revoke"],
  "POST /users/:id/password": [ADMIN, "/users/999999/password"],
  "POST /session": ["public", "/session"],
  "GET /session": [A, "/session"],
  "DELETE /session": ["public", "/session"],
  "POST /session/password": [A, "/session/password"],
  "GET /departments": [A, "/departments"],
  "POST /departments": [ADMIN, "/departments"],
  "GET /entities": [A, "/entities"],
  "GET /entities/:code": [A, "/entities/91350100M000100Y43"],
  "GET /inspectors": [A, "/inspectors"],
  "GET /departments/:id/items": [A, "/departments/:dept/items"],
  "POST /departments/:id/items": [ADMIN, "/departments/:dept/items"],
  "GET /config": [AA, "/config"],
  "PUT /config/:key": [ADMIN, "/config/publication"],
  "GET /frequency-caps": [A, "/frequency-caps"],
  "GET /departments/:id/frequency-cap": [A, "/departments/:dept/frequency-cap"],
  "PUT /departments/:id/frequency-cap": [ADMIN, "/departments/:dept/frequency-cap"],
  "DELETE /departments/:id/frequency-cap": [ADMIN, "/departments/999999/frequency-cap"],
  "GET /plans": [A, "/plans"],
  "POST /plans": [AO, "/plans"],
  "GET /plans/:id": [A, "/plans/:plan"],
  "POST /plans/:id/status": [AO, "/plans/:plan/status"],
  "POST /plans/:id/batches": [AO, "/plans/:plan/batches"],
  "GET /batches/:id": [A, "/batches/:batch"],
  "PUT /batches/:id": [AO, "/batches/:batch"],
  "DELETE /batches/:id": [AO, "/batches/999999"],
  "GET /draws": [A, "/draws"],
  "GET /stats": [A, "/stats?year=2026"],
  "GET /draw-rules": [A, "/draw-rules"],
  "POST /batches/:id/draws": [AO, "/batches/:batch/draws"],
  "GET /batches/:id/draws": [A, "/batches/:batch/draws"],
  "GET /draws/:id": [A, "/draws/999999"],
  "POST /draws/:id/commitments": [OFFICER, "/draws/999999/commitments"],
  "POST /draws/:id/reveals": [OFFICER, "/draws/999999/reveals"],
  "POST /draws/:id/external-value": [AO, "/draws/999999/external-value"],
  "POST /draws/:id/run": [AO, "/draws/999999/run"],
  "POST /draws/:id/void": [AO, "/draws/999999/void"],
  "POST /draws/:id/substitutions": [AO, "/draws/999999/substitutions"],
  "GET /draws/:id/manifest": [A, "/draws/999999/manifest"],
  "GET /draws/:id/class-proof": [A, "/draws/999999/class-proof?code=91350100M000100Y43"],
  "POST /draws/verify": [A, "/draws/verify"],
  "GET /draws/:id/verify": [A, "/draws/999999/verify"],
  "GET /result-categories": [A, "/result-categories"],
  "GET /tasks": [A, "/tasks"],
  "POST /tasks": [AO, "/tasks"],
  "GET /tasks/:id": [A, "/tasks/999999"],
  "PUT /tasks/:id/result": [OFFICER, "/tasks/999999/result"],
  "POST /tasks/:id/publish": [OFFICER, "/tasks/999999/publish"],
  "GET /results/deadlines": [A, "/results/deadlines"],
  "POST /imports/:kind": [ADMIN, "/imports/entities"],
  "GET /imports/templates/:kind": [A, "/imports/templates/entities"],
  "GET /imports/:importId/changes": [AA, "/imports/00000000-0000-4000-8000-000000000000/changes"],
  "GET /imports/:importId/changes/:part": [AA, "/imports/00000000-0000-4000-8000-000000000000/changes/0"],
  "POST /batches/:id/optimize": [AO, "/batches/:batch/optimize"],
  "GET /batches/:id/schedule": [A, "/batches/:batch/schedule"],
  // 专家和人员抽取 (api/routes/panels.ts; case scoping: test/panels/api.test.ts)
  "GET /experts": [A, "/experts"],
  "POST /experts": [AO, "/experts"],
  "PUT /experts/:id": [AO, "/experts/999999"],
  "GET /experts/search": [A, "/experts/search"],
  "GET /experts/:id": [A, "/experts/999999"],
  "GET /recusals": [AA, "/recusals"],
  "POST /recusals": [ADMIN, "/recusals"],
  "DELETE /recusals/:kind/:id": [ADMIN, "/recusals/inspector/999999"],
  "POST /recusals/import": [ADMIN, "/recusals/import"],
  "GET /jobs/:id": [A, "/jobs/nosuchjob1"],
  "GET /panels": [A, "/panels"],
  "POST /panels": [AO, "/panels"],
  "GET /panels/:id": [A, "/panels/999999"],
  "POST /panels/:id/draws": [AO, "/panels/999999/draws"],
  "GET /panel-draws/:id": [A, "/panel-draws/999999"],
  "POST /panel-draws/:id/commitments": [OFFICER, "/panel-draws/999999/commitments"],
  "POST /panel-draws/:id/reveals": [OFFICER, "/panel-draws/999999/reveals"],
  "POST /panel-draws/:id/external-value": [AO, "/panel-draws/999999/external-value"],
  "POST /panel-draws/:id/run": [AO, "/panel-draws/999999/run"],
  "POST /panel-draws/:id/substitutions": [AO, "/panel-draws/999999/substitutions"],
  "POST /panel-draws/:id/void": [AO, "/panel-draws/999999/void"],
  "GET /panel-draws/:id/manifest": [A, "/panel-draws/999999/manifest"],
  "GET /panel-draws/:id/verify": [A, "/panel-draws/999999/verify"],
  "POST /panel-draws/verify": [A, "/panel-draws/verify"],
  "GET /audit": [AA, "/audit"],
  "GET /audit/verify": [AA, "/audit/verify"],
  // 审管联动 (docs/approvals.md): department scoping (approval bureau vs supervising departments) in test/api/approvals.test.ts
  "GET /duty-lists": ["public", "/duty-lists"],
  "GET /duty-lists/:id": ["public", "/duty-lists/999999"],
  "POST /duty-lists": [AO, "/duty-lists"],
  "POST /duty-lists/import": [AO, "/duty-lists/import?reason=%E4%BF%AE%E8%AE%A2"],
  "POST /approval-decisions/import": [AO, "/approval-decisions/import"],
  "POST /risk-alerts/import": [AO, "/risk-alerts/import"],
  "GET /law-change-notices": [A, "/law-change-notices"],
  "POST /law-change-notices": [AO, "/law-change-notices"],
  "POST /law-change-notices/:id/resolve": [AO, "/law-change-notices/999999/resolve"],
  "POST /approval-decisions": [AO, "/approval-decisions"],
  "GET /approval-decisions": [A, "/approval-decisions"],
  "GET /approval-decisions/:id": [A, "/approval-decisions/999999"],
  "GET /pushes": [A, "/pushes"],
  "POST /pushes/:id/acknowledge": [AO, "/pushes/999999/acknowledge"],
  "GET /verifications": [A, "/verifications"],
  "GET /verifications/:id": [A, "/verifications/999999"],
  "POST /verifications/:id/outcome": [AO, "/verifications/999999/outcome"],
  "GET /disputes": [A, "/disputes"],
  "GET /disputes/:id": [A, "/disputes/999999"],
  "POST /disputes": [OFFICER, "/disputes"],
  "POST /disputes/:id/review": [AO, "/disputes/999999/review"],
  "POST /disputes/:id/acknowledge": [AO, "/disputes/999999/acknowledge"],
  "GET /risk-alerts": [A, "/risk-alerts"],
  "GET /risk-alerts/:id": [A, "/risk-alerts/999999"],
  "POST /risk-alerts": [AO, "/risk-alerts"],
  "POST /risk-alerts/:id/feedback": [AO, "/risk-alerts/999999/feedback"],
  "GET /approvals/overdue": [A, "/approvals/overdue"],
  "GET /approvals/stats": [A, "/approvals/stats?year=2026"],
  "GET /approvals/stats/export": [A, "/approvals/stats/export?year=2026"],
  "POST /approvals/schedule": [AO, "/approvals/schedule"],
};

const key = (method: string, url: string) => `${method} ${url}`;
// The console's pages (/console/…) have their own matrix: test/console/pages.test.ts.
const isOurs = (url: string) => !url.startsWith("/docs") && !url.startsWith("/api/public") && !url.startsWith("/public") && !url.startsWith("/console");

describe("role matrix", () => {
  let fx: Fixture;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    fx = await fixture();
    const p = fx.store.prisma;
    const plan = await p.annualPlan.create({ data: { departmentId: fx.dept.a, year: 2026, name: "矩阵测试计划" } });
    const batch = await p.batch.create({
      data: { planId: plan.id, code: "MATRIX-1", name: "矩阵批次", directed: false, conditions: {}, windowStart: "2026-03-01", windowEnd: "2026-06-30" },
    });
    await p.batchDepartment.create({ data: { batchId: batch.id, departmentId: fx.dept.a, role: "lead" } });
    Object.assign(ids, { dept: fx.dept.a, plan: plan.id, batch: batch.id });
  });
  afterAll(async () => fx.close());

  const sample = (url: string) => url.replace(/:(dept|plan|batch|draw|task)\b/g, (_, k: string) => String(ids[k]));

  it("the table covers exactly the app's routes, with the same access", () => {
    const actual = new Map(fx.app.ssj.routes.filter((r) => isOurs(r.url)).map((r) => [key(r.method, r.url), r.access]));
    expect([...actual.keys()].sort()).toEqual(Object.keys(MATRIX).sort());
    for (const [k, [access]] of Object.entries(MATRIX)) {
      const got = actual.get(k);
      expect(got === "public" ? "public" : [...(got as Who[])].sort(), k).toEqual(access === "public" ? "public" : [...access].sort());
    }
  });

  for (const [route, [access, url]] of Object.entries(MATRIX)) {
    const [method] = route.split(" ") as ["GET" | "POST" | "PUT" | "DELETE"];
    if (access === "public") {
      it(`${route}: public`, async () => {
        const res = await fx.as("public", { method, url: sample(url) });
        expect([401, 403]).not.toContain(res.statusCode);
      });
      continue;
    }
    it(`${route}: no token → 401`, async () => {
      const res = await fx.as("public", { method, url: sample(url), payload: method === "GET" ? undefined : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ statusCode: 401, code: "UNAUTHENTICATED" });
    });
    for (const who of A) {
      const token = who === "officer" ? "officerA" : who;
      const allowed = access.includes(who);
      it(`${route}: ${who} → ${allowed ? "allowed" : "403"}`, async () => {
        const res = await fx.as(token, { method, url: sample(url), payload: method === "GET" ? undefined : {} });
        if (allowed) expect([401, 403], `${res.statusCode} ${res.body}`).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, res.body).toBe(403);
          expect(res.json()).toMatchObject({ statusCode: 403, code: "FORBIDDEN" });
        }
      });
    }
  }

  describe("department scoping: an officer of department B on department A's data → 403", () => {
    const cases: [string, string, string, unknown?][] = [
      ["GET", "/inspectors?department=:dept", "inspector list"],
      ["GET", "/plans?department=:dept", "plan list"],
      ["GET", "/plans/:plan", "plan"],
      ["POST", "/plans/:plan/status", "plan status", { status: "approved" }],
      ["POST", "/plans", "plan creation", { departmentId: ":dept", year: 2026, name: "越权" }],
      ["GET", "/batches/:batch", "batch"],
      ["GET", "/batches/:batch/draws", "draw history"],
      ["GET", "/batches/:batch/schedule", "schedule"],
      ["GET", "/tasks?department=:dept", "task list"],
      ["GET", "/results/deadlines?department=:dept", "deadline list"],
      ["GET", "/draws?department=:dept", "draw list"],
      ["GET", "/stats?year=2026&department=:dept", "dashboard figures"],
      ["GET", "/pushes?department=:dept", "approval pushes (审管联动)"],
      ["GET", "/approvals/overdue?department=:dept", "overdue steps (审管联动)"],
      ["POST", "/approvals/schedule", "scheduling another department's loop tasks", { from: "2026-03-02", to: "2026-03-06", departmentId: ":dept" }],
    ];
    for (const [method, url, what, body] of cases) {
      it(`${method} ${url} (${what})`, async () => {
        const payload = body === undefined ? undefined : JSON.parse(sample(JSON.stringify(body)).replace(/"(\d+)"/g, "$1"));
        const res = await fx.as("officerB", { method: method as "GET", url: sample(url), payload });
        expect(res.statusCode, res.body).toBe(403);
        const own = await fx.as("officerA", { method: method as "GET", url: sample(url), payload });
        expect([401, 403], own.body).not.toContain(own.statusCode);
      });
    }
  });
});
