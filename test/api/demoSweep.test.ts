/**
 * Every GET route of the API and the console on the data a newcomer has after `npm start` (the demo
 * city, its 审管联动 year and the panel draws), as each role: nothing answers 5xx. Routes with an id
 * take the first id their list route returns (`/tasks/:id` ← `GET /tasks`), so records the loop made
 * (directed tasks of its kinds, pushes, verifications…) pass through every response schema.
 * The fuzz suite covers hostile input; this covers the seams between the loop's rows and the routes
 * that were written before the loop existed (GET /tasks once answered 500 on the loop's tasks).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../api/app.ts";
import { loadDemoCity } from "../../src/demo/index.ts";
import { loadDemoLoop } from "../../src/demo/loop.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { demoPanels } from "../../src/store/repos/panels.ts";
import { createUser } from "../../src/store/repos/users.ts";

type App = Awaited<ReturnType<typeof buildApp>>;

describe("every GET route on the demo city and its loop", () => {
  let dir: string;
  let store: Store;
  let app: App;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ssj-sweep-"));
    store = await openStore({ databaseUrl: `file:${join(dir, "demo.db")}` });
    const city = await loadDemoCity(store, { seed: "sweep", entities: 1_500 });
    await loadDemoLoop(store, { seed: city.seed });
    await demoPanels(store, { userId: 0, role: "admin", departmentId: null, actor: "test" }, { perBureau: 1, day: "2026-12-21" });
    const p = store.prisma;
    const bureau = await p.department.findFirstOrThrow({ where: { kind: "approval", level: "city" } });
    const top = await p.verification.groupBy({ by: ["departmentId"], _count: { _all: true }, orderBy: { _count: { departmentId: "desc" } }, take: 1 });
    const people = { admin: ["admin", null], bureau: ["officer", bureau.id], supervisor: ["officer", top[0]!.departmentId], auditor: ["auditor", null] } as const;
    for (const [who, [role, department]] of Object.entries(people)) tokens[who] = (await createUser(store, { name: `巡检${who}`, role, department }, "test")).token;
    app = await buildApp({ store });
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const firstId = (body: unknown): number | undefined => {
    const list = Array.isArray(body) ? body : (body as { items?: unknown[] } | null)?.items;
    const id = (list?.[0] as { id?: unknown } | undefined)?.id;
    return typeof id === "number" ? id : undefined;
  };

  it("answers every role without a server error", async () => {
    const gets = app.ssj.routes.filter((r) => r.method === "GET" && !r.url.startsWith("/docs") && !r.url.startsWith("/console") && !r.url.includes("*"));
    const plain = gets.filter((r) => !r.url.includes(":"));
    const withId = gets.filter((r) => /^\/[a-z-]+\/:id$/.test(r.url));
    const failures: string[] = [];
    let answered = 0;
    for (const [who, token] of Object.entries(tokens)) {
      const headers = { authorization: `Bearer ${token}` };
      const lists = new Map<string, unknown>();
      for (const r of plain) {
        const res = await app.inject({ method: "GET", url: r.url, headers });
        answered++;
        if (res.statusCode >= 500) failures.push(`${who} GET ${r.url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (res.statusCode === 200 && res.headers["content-type"]?.toString().includes("json")) lists.set(r.url, res.json());
      }
      for (const r of withId) {
        const id = firstId(lists.get(r.url.replace("/:id", "")));
        if (id === undefined) continue;
        const url = r.url.replace(":id", String(id));
        const res = await app.inject({ method: "GET", url, headers });
        answered++;
        if (res.statusCode >= 500) failures.push(`${who} GET ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(100);
  }, 300_000);

  it("shows a newcomer the demo's published frequency cap (D01: 2 a year, 4 across levels, its exemptions with reasons)", async () => {
    const caps = (await app.inject({ method: "GET", url: "/api/public/frequency-caps" })).json() as { department: string; maxPerYear: number; maxPerYearAllLevels: number; exemptions: { label: string; reason: string }[] }[];
    expect(caps).toHaveLength(1);
    expect(caps[0]).toMatchObject({ department: "西安市市场监督管理局", maxPerYear: 2, maxPerYearAllLevels: 4 });
    expect(caps[0]!.exemptions.map((e) => e.label)).toEqual(["投诉举报", "转办交办", "告知承诺核查", "风险预警", "复核后续监管"]);
    const page = (await app.inject({ method: "GET", url: "/public" })).body;
    expect(page).toContain("投诉举报：投诉举报引发的检查依法必须处理，不计入频次");
  });
});
