/**
 * The 审管联动 step pages on the demo city's loop (src/demo/loop.ts: a year of decisions, pushes,
 * verifications, 函告, alerts; demoPanels), as a newcomer sees them after `npm start`: every list
 * and the first record of each opens for the bureau's officer, a supervising department's officer
 * and the auditor, shows the demo's records and nothing unrendered; the supervising officer's
 * pages show only its own department's cases.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/index.ts";
import { loadDemoCity } from "../../src/demo/index.ts";
import { loadDemoLoop } from "../../src/demo/loop.ts";
import { demoPanels } from "../../src/store/repos/panels.ts";
import { createAccount } from "../../src/store/repos/accounts.ts";
import { buildApp } from "../../api/app.ts";
import { todayBeijing } from "../../api/console/html.ts";
import { cookieOf } from "./helpers.ts";

type App = Awaited<ReturnType<typeof buildApp>>;

describe("console: 审管联动 pages on the demo", () => {
  let dir: string;
  let store: Store;
  let app: App;
  const cookies: Record<string, string> = {};
  let supervisorId = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ssj-loop-console-"));
    store = await openStore({ databaseUrl: `file:${join(dir, "demo.db")}` });
    await loadDemoCity(store, { seed: "loop-console", entities: 1_500 });
    await loadDemoLoop(store, { seed: "loop-console" });
    const p = store.prisma;
    const bureau = await p.department.findFirstOrThrow({ where: { kind: "approval", level: "city" } });
    // the supervising department with the most verifications
    const top = await p.verification.groupBy({ by: ["departmentId"], _count: { _all: true }, orderBy: { _count: { departmentId: "desc" } }, take: 1 });
    supervisorId = top[0]!.departmentId;
    const admin = await createAccount(store, { name: "演示管理员", role: "admin", department: null, login: "t-admin", password: "Admin-pass-2026" }, "test", { mustChange: false });
    await demoPanels(store, { userId: admin.id, role: "admin", departmentId: null }, { perBureau: 1, day: "2026-12-21" });
    const people = { bureau: ["officer", bureau.id], supervisor: ["officer", supervisorId], auditor: ["auditor", null] } as const;
    for (const [who, [role, department]] of Object.entries(people))
      await createAccount(store, { name: `演示${who}`, role, department, login: `t-${who}`, password: `Pass-${who}-2026` }, "test", { mustChange: false });
    app = await buildApp({ store });
    for (const who of Object.keys(people)) {
      const res = await app.inject({ method: "POST", url: "/session", payload: { login: `t-${who}`, password: `Pass-${who}-2026` } });
      expect(res.statusCode, res.body).toBe(200);
      cookies[who] = cookieOf(res);
    }
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (who: string, url: string) => app.inject({ method: "GET", url, headers: { cookie: cookies[who]! } });
  const firstLink = (body: string, path: string) => new RegExp(`href="(/console/${path}/\\d+)"`).exec(body)?.[1];
  const LISTS = ["duty-lists", "law-change-notices", "decisions", "verifications", "disputes", "alerts", "panels"];

  for (const who of ["bureau", "supervisor", "auditor"]) {
    it(`${who}: every list and its first record open and render`, async () => {
      for (const list of LISTS) {
        const res = await get(who, `/console/${list}`);
        expect(res.statusCode, `${who} /console/${list}`).toBe(200);
        for (const bad of ["undefined", "NaN", "[object Object]", "null</"]) expect(res.body, `${who} /console/${list}`).not.toContain(bad);
        const detail = list === "law-change-notices" ? undefined : firstLink(res.body, list);
        const none = (who === "supervisor" && list === "panels") || (who === "bureau" && list === "alerts"); // not a party: the demo's panels take staff of other departments; alerts go to supervising departments
        if (list !== "law-change-notices" && !none) expect(detail, `${who} ${list}: a demo record is listed`).toBeDefined();
        if (!detail) continue;
        const d = await get(who, detail);
        expect(d.statusCode, `${who} ${detail}`).toBe(200);
        for (const bad of ["undefined", "NaN", "[object Object]"]) expect(d.body, `${who} ${detail}`).not.toContain(bad);
      }
    });
  }

  it("lists are paged on the server: the auditor's decisions come 50 a page, the next page holds the next ones", async () => {
    const total = await store.prisma.approvalDecision.count();
    expect(total).toBeGreaterThan(50);
    const first = await get("auditor", "/console/decisions");
    expect(first.body).toContain(`第 1–50 条，共 ${total} 条`);
    expect(first.body).toContain('href="/console/decisions?offset=50" rel="next"');
    const rows = (b: string) => [...b.matchAll(/href="\/console\/decisions\/(\d+)"/g)].map((m) => m[1]);
    expect(rows(first.body)).toHaveLength(50);
    const second = await get("auditor", "/console/decisions?offset=50");
    expect(second.body).toContain(`第 51–${Math.min(100, total)} 条`);
    expect(rows(second.body).filter((id) => rows(first.body).includes(id))).toEqual([]);
  });

  it("the supervising officer sees only its own department's verifications and alerts; the overdue ones are marked", async () => {
    const own = await store.prisma.verification.count({ where: { departmentId: supervisorId } });
    const v = await get("supervisor", "/console/verifications");
    expect(v.body).toContain(`共 ${own} 条`);
    const overdue = await store.prisma.verification.count({ where: { departmentId: supervisorId, outcome: null, dueOn: { lt: todayBeijing() } } });
    if (overdue > 0) expect((await get("supervisor", "/console/verifications?open=1")).body).toContain("⚠ 逾期未办");
    const alerts = await store.prisma.riskAlert.count({ where: { departmentId: supervisorId } });
    expect((await get("supervisor", "/console/alerts")).body).toContain(`共 ${alerts} 条`);
  });

  it("the task pages open with the loop's directed tasks among them (GET /tasks once answered 500 on their kinds), named in Chinese", async () => {
    const loopTask = await store.prisma.task.findFirstOrThrow({ where: { kind: "directed", directedKind: "commitment", departmentId: supervisorId } });
    for (const who of ["supervisor", "auditor"]) {
      const list = await get(who, "/console/tasks");
      expect(list.statusCode, `${who} ${list.body.slice(0, 300)}`).toBe(200);
    }
    const api = await app.inject({ method: "GET", url: `/tasks?limit=500`, headers: { cookie: cookies.auditor! } });
    expect(api.statusCode, api.body.slice(0, 300)).toBe(200);
    const page = await get("supervisor", `/console/tasks/${loopTask.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("定向检查（告知承诺核查）");
  });
});
