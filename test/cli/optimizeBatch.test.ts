/** `ssj optimize --batch` on a temporary SQLite database holding the demo city and a drawn batch. */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { loadDemoCity } from "../../src/demo/index.ts";
import { createBatch, createPlan, type BatchInput } from "../../src/store/repos/plans.ts";
import { commitDraw, enterExternalValue, runDrawOnce } from "../../src/store/repos/draws.ts";
import { canonicalJson } from "../../src/draws/index.ts";
import { instanceFor } from "../../src/store/repos/schedules.ts";
import { checkSchedule, parseSchedule } from "../../solver/index.ts";

describe("ssj optimize --batch", () => {
  let dir: string;
  let url: string;
  let store: Store;
  let drawn: number;
  let undrawn: number;
  let out: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ssj-optimize-"));
    url = `file:${join(dir, "test.db")}`;
    store = await openStore({ databaseUrl: url });
    await loadDemoCity(store, { seed: "optimize-cli", entities: 1_000 });
    // the demo's 餐饮 joint template: lead D01 (市场监管), partners D10, D11
    const template = await store.prisma.jointTemplate.findUniqueOrThrow({ where: { code: "JT01" }, include: { partners: true, items: { include: { item: true } } } });
    const depts = [template.leadDepartmentId, ...template.partners.map((p) => p.departmentId)];
    const plan = await createPlan(store, { departmentId: template.leadDepartmentId, year: 2026, name: "2026年度餐饮联合抽查" }, "test");
    const input = (code: string): BatchInput => ({
      code,
      name: "餐饮服务单位部门联合抽查",
      directed: false,
      conditions: {},
      windowStart: "2026-03-01",
      windowEnd: "2026-06-30",
      jointTemplateId: template.id,
      departments: depts.map((d, k) => ({
        departmentId: d,
        role: k === 0 ? "lead" : "partner",
        itemIds: template.items.filter((i) => i.item.departmentId === d).map((i) => i.itemId),
        samplingRules: (["A", "B", "C", "D"] as const).map((riskClass) => ({ riskClass, count: 3 })),
      })),
    });
    drawn = (await createBatch(store, plan.id, input("B-OPT-1"), "test")).id;
    undrawn = (await createBatch(store, plan.id, input("B-OPT-2"), "test")).id;
    const draw = await commitDraw(store, drawn, { mode: "external", source: "测试信标", reference: "round 1" }, "test");
    await enterExternalValue(store, draw.id, "42", new Date(Date.now() + 60_000).toISOString(), "test");
    expect((await runDrawOnce(store, draw.id, "test")).status).toBe("drawn");
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  }, 120_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ssj = (...args: string[]) => main(["optimize", ...args, "--database-url", url]);

  it("refuses an unknown batch and a batch not drawn (exit 2, the store's reason)", async () => {
    out = [];
    expect(await ssj("--batch", "9999")).toBe(2);
    expect(out.join("\n")).toMatch(/batch 9999 not found \[NOT_FOUND\]/);
    out = [];
    expect(await ssj("--batch", String(undrawn))).toBe(2);
    expect(out.join("\n")).toMatch(/no completed draw .*\[NOT_DRAWN\]/);
    expect(await store.prisma.optimizationRun.count()).toBe(0);
  });

  it("stores the joint checks and their teams, writes the stored schedule, which checks against the stored instance", async () => {
    const file = join(dir, "schedule.json");
    out = [];
    expect(await ssj("--batch", String(drawn), "--out", file)).toBe(0);
    const text = out.join("\n");
    const runId = Number(/^optimization run (\d+) of batch/.exec(text)![1]);
    expect(text).toMatch(/visits \d+ \(joint \d+\), lower bound \d+/);
    const run = await store.prisma.optimizationRun.findUniqueOrThrow({ where: { id: runId } });
    const checks = await store.prisma.jointCheck.findMany({ where: { optimizationRunId: runId }, include: { team: true, tasks: true } });
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) {
      expect(c.status).toBe("planned");
      expect(c.team.length).toBeGreaterThanOrEqual(2);
      expect(c.tasks.length).toBeGreaterThan(0);
    }
    expect(readFileSync(file, "utf8")).toBe(run.schedule);
    const schedule = parseSchedule(JSON.parse(run.schedule));
    expect(schedule.visits.length).toBe(checks.length);
    const { instance } = await instanceFor(store.prisma, store, drawn);
    expect(run.seed).toBe(instance.seed);
    expect(run.instanceDigest).toBe(createHash("sha256").update(canonicalJson(instance)).digest("hex"));
    const result = checkSchedule(instance, schedule);
    expect(result.violations).toEqual([]);
    expect(result.feasible).toBe(true);
    expect(result.metrics.jointVisits).toBeGreaterThan(0);
    expect(text).toContain(`unscheduled ${result.metrics.unscheduled},`);
    expect(text).toContain(`visits ${result.metrics.visits} (joint ${result.metrics.jointVisits}), lower bound ${result.metrics.lowerBound}`);
  });

  it("refuses a second run without --replace (exit 2); --replace re-plans", async () => {
    const before = await store.prisma.jointCheck.count({ where: { status: "planned" } });
    out = [];
    expect(await ssj("--batch", String(drawn))).toBe(2);
    expect(out.join("\n")).toMatch(/\[ALREADY_SCHEDULED\].*--replace/);
    expect(await store.prisma.optimizationRun.count()).toBe(1);
    out = [];
    expect(await ssj("--batch", String(drawn), "--replace")).toBe(0);
    expect(await store.prisma.optimizationRun.count()).toBe(2);
    expect(await store.prisma.jointCheck.count({ where: { status: "planned" } })).toBe(before);
    expect(await store.prisma.jointCheck.count({ where: { status: "cancelled" } })).toBe(before);
  });

  it("rejects bad usage", async () => {
    expect(await main(["optimize", "--batch", "x"])).toBe(2);
    expect(await main(["optimize", "instance.json", "--batch", "1"])).toBe(2);
    expect(await main(["optimize", "instance.json", "--replace"])).toBe(2);
  });
});
