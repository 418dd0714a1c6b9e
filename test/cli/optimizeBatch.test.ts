/** `ssj optimize --batch` on a temporary SQLite database holding the demo city and a drawn batch. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { loadDemoCity } from "../../src/demo/index.ts";
import { createBatch, createPlan, setPlanStatus, type BatchInput } from "../../src/store/repos/plans.ts";
import { commitDraw, enterExternalValue, manifestText, runDraw, type DrawActor } from "../../src/store/repos/draws.ts";
import { createUser } from "../../src/store/repos/users.ts";
import { verifyFull2, type FullManifest2 } from "../../src/draws/v2/index.ts";

describe("ssj optimize --batch", () => {
  let dir: string;
  let url: string;
  let store: Store;
  let drawn: number;
  let undrawn: number;
  let drawId: number;
  let actor: DrawActor;
  let out: string[] = [];
  const savedToken = process.env.SSJ_TOKEN;

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
    await setPlanStatus(store, plan.id, "approved", "test");
    const admin = await createUser(store, { name: "测试管理员", role: "admin" }, "test");
    process.env.SSJ_TOKEN = admin.token;
    actor = { userId: admin.user.id, role: "admin", departmentId: null };
    const draw = await commitDraw(store, drawn, { mode: "external", source: "测试信标", reference: "round 1" }, actor);
    drawId = draw.id;
    await enterExternalValue(store, draw.id, "42", new Date(Date.parse(draw.frozenAt!) + 1).toISOString(), actor);
    expect((await runDraw(store, draw.id, actor)).status).toBe("drawn");
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  }, 120_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    if (savedToken === undefined) delete process.env.SSJ_TOKEN;
    else process.env.SSJ_TOKEN = savedToken;
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ssj = (...args: string[]) => main(["optimize", ...args, "--database-url", url]);

  it("refuses an unknown batch (exit 2) and a batch not drawn (exit 1, the store's reason)", async () => {
    out = [];
    expect(await ssj("--batch", "9999")).toBe(2);
    expect(out.join("\n")).toMatch(/批次 9999 不存在/);
    out = [];
    expect(await ssj("--batch", String(undrawn))).toBe(1);
    expect(out.join("\n")).toMatch(/没有已完成的抽取.*\[NOT_DRAWN\]/);
    expect(await store.prisma.optimizationRun.count()).toBe(0);
  });

  it("places the drawn teams on days: the planned joint checks carry exactly the draw's teams, and the chain verifies", async () => {
    out = [];
    expect(await ssj("--batch", String(drawn))).toBe(0);
    expect(out.join("\n")).toMatch(/已排期[\s\S]*联合检查 \d+ 次/);
    const m = JSON.parse(await manifestText(store, drawId, "full")) as FullManifest2;
    expect(m.records.map((r) => r.kind)).toEqual(["draw", "schedule"]);
    expect((await verifyFull2(m)).ok).toBe(true);
    const checks = (m.records[0]!.private as { results: { checks: { code: string; departments: { officers: string[] }[] }[] } }).results.checks;
    const planned = await store.prisma.jointCheck.findMany({ where: { status: "planned" }, include: { entity: true, team: { include: { inspector: true } }, tasks: true } });
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.some((c) => c.tasks.length > 1)).toBe(true); // joint visits (进一次门、查多项事)
    for (const c of planned) {
      const team = c.team.filter((x) => x.role === "officer").map((x) => x.inspector!.certificateNo).sort();
      expect(team).toEqual(checks.find((x) => x.code === c.entity.code)!.departments.flatMap((d) => d.officers).sort());
      expect(team.length).toBeGreaterThanOrEqual(2);
    }
  });

  it("refuses a second run without --reason (exit 1); a re-plan with a reason keeps every team", async () => {
    const before = await store.prisma.jointCheck.count({ where: { status: "planned" } });
    out = [];
    expect(await ssj("--batch", String(drawn))).toBe(1);
    expect(out.join("\n")).toMatch(/\[ALREADY_SCHEDULED\].*--reason/);
    out = [];
    expect(await ssj("--batch", String(drawn), "--reason", "执法人员培训，调整日期")).toBe(0);
    expect(await store.prisma.jointCheck.count({ where: { status: "planned" } })).toBe(before);
    expect(await store.prisma.jointCheck.count({ where: { status: "cancelled" } })).toBe(before);
  });

  it("rejects bad usage", async () => {
    expect(await main(["optimize", "--batch", "x"])).toBe(2);
    expect(await main(["optimize", "instance.json", "--batch", "1"])).toBe(2);
    expect(await main(["optimize", "instance.json", "--reason", "x"])).toBe(2);
  });
});
